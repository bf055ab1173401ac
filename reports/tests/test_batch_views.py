"""Batch pages: permission matrix of every URL x persona, the leadership page's form and list,
starting and retrying through the pages, the progress page and JSON, the zip download."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from conftest import make_user
from departments.access import Access
from departments.models import Role, UnitYear
from reports import batch
from reports.models import BatchItem, BatchJob, BatchStatus, ItemStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sync_batches(settings):
    settings.CELERY_BROKER_URL = None
    settings.REPORTS_BATCH_SYNC = True


@pytest.fixture
def leader_b(unit_b):
    return make_user("leader_b", role=Role.LEADER, unit=unit_b)


def finished_job(user, *, year=2024, failed_codes=()) -> BatchJob:
    """A finished batch over the unit-years ``user`` leads, as a worker leaves it."""
    job = BatchJob.objects.create(year=year, requested_by=user, backend="thread")
    for unit_year in Access.for_user(user).years_with_role(Role.LEADER).filter(year=year).select_related("unit"):
        failed = unit_year.unit.code in failed_codes
        item = BatchItem(job=job, unit_year=unit_year, attempts=3 if failed else 1)
        if failed:
            item.status, item.error = ItemStatus.FAILED, "第3次尝试失败：模拟的渲染故障"
        else:
            item.status = ItemStatus.DONE
            item.pdf.save(
                f"{unit_year.unit.code}.pdf", io.BytesIO(b"%PDF-1.7 " + unit_year.unit.code.encode()), save=False
            )
        item.save()
    batch.batch_job_finish_if_complete(job_id=job.pk)
    job.refresh_from_db()
    return job


def job_urls(job: BatchJob) -> dict[str, tuple[str, str]]:
    return {
        "detail": ("get", reverse("reports:batch_detail", args=[job.pk])),
        "progress": ("get", reverse("reports:batch_progress", args=[job.pk])),
        "zip": ("get", reverse("reports:batch_zip", args=[job.pk])),
        "retry": ("post", reverse("reports:batch_retry", args=[job.pk])),
    }


# persona -> expected status on leader_a's batch (404: another's batch is not revealed)
JOB_EXPECTED = {
    "anonymous": 302,
    "officer_a": 404,
    "officer_b": 404,
    "evaluator_a": 404,
    "leader_a": 200,
    "leader_b": 404,
    "admin": 200,
}


@pytest.mark.parametrize("persona", list(JOB_EXPECTED))
@pytest.mark.parametrize("name", ["detail", "progress", "zip", "retry"])
def test_job_permission_matrix(client, personas, leader_b, year_a, year_b, persona, name):
    personas = {**personas, "leader_b": leader_b}
    job = finished_job(personas["leader_a"], failed_codes=["A001"])
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    method, url = job_urls(job)[name]
    response = getattr(client, method)(url)
    expected = JOB_EXPECTED[persona]
    if name == "retry" and expected == 200:
        expected = 302  # back to the progress page
    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# persona -> status of POST "start a batch for 2024"
START_EXPECTED = {
    "anonymous": 302,  # to the login page
    "officer_a": 403,
    "officer_b": 403,
    "evaluator_a": 403,
    "leader_a": 302,  # to the new batch
    "admin": 302,
}


@pytest.mark.parametrize("persona", list(START_EXPECTED))
def test_start_permission_matrix(
    client, personas, renderer, year_a, year_b, persona, django_capture_on_commit_callbacks
):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:batch_start"), {"year": "2024"})
    assert response.status_code == START_EXPECTED[persona]
    if persona in ("leader_a", "admin"):
        job = BatchJob.objects.get()
        assert response["Location"] == reverse("reports:batch_detail", args=[job.pk])
        codes = sorted(job.items.values_list("unit_year__unit__code", flat=True))
        assert codes == (["A001"] if persona == "leader_a" else ["A001", "B001"])
    else:
        assert not BatchJob.objects.exists()


def test_start_refuses_a_year_the_leader_does_not_have(client, leader_a, year_a):
    client.force_login(leader_a)
    response = client.post(reverse("reports:batch_start"), {"year": "2023"}, follow=True)
    assert "请选择有效的年度。" in response.content.decode()
    assert not BatchJob.objects.exists()
    assert client.get(reverse("reports:batch_start")).status_code == 405


@pytest.mark.parametrize(
    ("persona", "sees_form"),
    [("officer_a", False), ("evaluator_a", False), ("leader_a", True), ("admin", True)],
)
def test_leadership_page_offers_the_batch_to_leaders_and_admins(client, personas, year_a, persona, sees_form):
    client.force_login(personas[persona])
    body = client.get(reverse("reports:index")).content.decode()
    assert ('data-testid="batch-section"' in body) == sees_form
    if sees_form:
        assert '<option value="2024">2024年度</option>' in body
        assert f'action="{reverse("reports:batch_start")}"' in body


def test_leadership_page_lists_own_batches(client, leader_a, leader_b, admin_user, year_a, year_b):
    mine = finished_job(leader_a, failed_codes=["A001"])
    other = finished_job(leader_b)
    client.force_login(leader_a)
    body = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:batch_detail", args=[mine.pk]) in body
    assert reverse("reports:batch_detail", args=[other.pk]) not in body
    assert "完成（有失败）" in body
    client.force_login(admin_user)
    body = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:batch_detail", args=[mine.pk]) in body
    assert reverse("reports:batch_detail", args=[other.pk]) in body


def test_start_through_the_page_then_progress(
    client, admin_user, renderer, year_a, year_b, year_c, django_capture_on_commit_callbacks
):
    renderer.fail_for = {"乙单位"}
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):  # the dispatch runs on commit
        response = client.post(reverse("reports:batch_start"), {"year": "2024"})
    job = BatchJob.objects.get()
    assert response["Location"] == reverse("reports:batch_detail", args=[job.pk])
    body = client.get(response["Location"]).content.decode()
    assert "2024年度报告批量生成" in body
    assert "完成（有失败）" in body
    # Every unit processed (two generated, one failed after its retries): the bar is full.
    assert 'max="100" value="100"' in body
    assert '已生成 <strong data-field="done">2</strong> 个' in body
    assert '失败 <strong data-field="failed">1</strong> 个' in body
    assert '<td>B001</td><td>乙单位</td><td class="num">3</td><td>第3次尝试失败：模拟的渲染故障</td>' in body
    assert 'data-show="zip" hidden' not in body and 'data-show="retry" hidden' not in body
    assert '<script src="/static/js/reports/batch.js"></script>' in body

    # Retry from the page, the renderer fixed: the job completes, nothing left to retry.
    renderer.fail_for = set()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:batch_retry", args=[job.pk]))
    body = client.get(response["Location"]).content.decode()
    assert "已重新安排 1 个失败的单位。" in body
    assert '已生成 <strong data-field="done">3</strong> 个' in body
    assert 'data-show="retry" hidden' in body
    assert 'data-show="failures" hidden' in body
    job.refresh_from_db()
    assert job.status == BatchStatus.DONE


def test_progress_page_while_running(client, admin_user, year_a, year_b):
    job = BatchJob.objects.create(year=2024, requested_by=admin_user, status=BatchStatus.RUNNING)
    BatchItem.objects.create(job=job, unit_year=year_a, status=ItemStatus.DONE, attempts=1)
    BatchItem.objects.create(job=job, unit_year=year_b, status=ItemStatus.RUNNING, attempts=1)
    client.force_login(admin_user)
    body = client.get(reverse("reports:batch_detail", args=[job.pk])).content.decode()
    assert "生成中" in body
    assert 'max="100" value="50"' in body
    assert 'data-finished="0"' in body
    assert 'data-show="zip" hidden' in body  # the zip is offered once the job is finished
    assert 'data-show="retry" hidden' in body


def test_progress_json(client, leader_a, unit_b, year_a, year_b, django_assert_num_queries):
    from departments.models import Membership

    Membership.objects.create(user=leader_a, unit=unit_b, role=Role.LEADER)
    job = finished_job(leader_a, failed_codes=["B001"])
    client.force_login(leader_a)
    url = reverse("reports:batch_progress", args=[job.pk])
    # session, user, admin check (for_user), the job with its counts, the failed items with units
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "id": job.pk,
        "year": 2024,
        "status": "failed",
        "status_label": "完成（有失败）",
        "finished": True,
        "total": 2,
        "done": 1,
        "failed": 1,
        "percent": 100,
        "failures": [
            {"unit_code": "B001", "unit_name": "乙单位", "attempts": 3, "error": "第3次尝试失败：模拟的渲染故障"}
        ],
    }


def test_progress_query_count_does_not_grow(client, admin_user, django_assert_num_queries):
    from departments.models import Unit

    units = Unit.objects.bulk_create(Unit(code=f"U{i:03}", name=f"单位{i}") for i in range(30))
    years = UnitYear.objects.bulk_create(UnitYear(unit=unit, year=2024) for unit in units)
    job = BatchJob.objects.create(year=2024, requested_by=admin_user, status=BatchStatus.RUNNING)
    BatchItem.objects.bulk_create(
        BatchItem(job=job, unit_year=uy, status=ItemStatus.FAILED if i % 2 else ItemStatus.DONE, error="x")
        for i, uy in enumerate(years)
    )
    client.force_login(admin_user)
    for name in ("reports:batch_progress", "reports:batch_detail"):
        # session, user, admin check, the job with counts, the failed items (with units);
        # the page also reads the requesting user.
        with django_assert_num_queries(5 if name == "reports:batch_progress" else 6):
            response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 200
    assert response.content.decode().count("<td>x</td>") == 15


def test_zip_download(client, admin_user, year_a, year_b, year_c, django_assert_num_queries):
    job = finished_job(admin_user, failed_codes=["C001"])
    client.force_login(admin_user)
    response = client.get(reverse("reports:batch_zip", args=[job.pk]))
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''2024" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [
        "A001-甲单位2024年度部门整体支出绩效自评报告.pdf",
        "B001-乙单位2024年度部门整体支出绩效自评报告.pdf",
        "未生成的报告.txt",
    ]
    assert archive.read("A001-甲单位2024年度部门整体支出绩效自评报告.pdf") == b"%PDF-1.7 A001"
    assert archive.read("B001-乙单位2024年度部门整体支出绩效自评报告.pdf") == b"%PDF-1.7 B001"
