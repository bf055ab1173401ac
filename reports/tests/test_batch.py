"""Batch generation in-process: the synchronous runner (most tests), the real background thread
(one test, with a real PDF render), failures retried then reported, retry, the zip."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from departments.models import Membership, Role, UnitYear
from reports import batch
from reports.models import BatchItem, BatchJob, BatchStatus, ItemStatus

from .conftest import fake_pdf, pdf_text, squash


@pytest.fixture
def sync_batches(settings):
    settings.CELERY_BROKER_URL = None
    settings.REPORTS_BATCH_SYNC = True


def start(django_capture_on_commit_callbacks, **kwargs) -> BatchJob:
    """batch_start, running its on-commit dispatch (the test's transaction never commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        job = batch.batch_start(**kwargs)
    job.refresh_from_db()
    return job


def zip_of(job: BatchJob, user) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(batch.batch_zip_stream(job=job, user=user))))


pytestmark = pytest.mark.django_db


def test_admin_batch_generates_every_unit(
    sync_batches, renderer, admin_user, year_a, year_b, year_c, django_capture_on_commit_callbacks
):
    UnitYear.objects.create(unit=year_a.unit, year=2023)  # another year: not part of the batch
    job = start(django_capture_on_commit_callbacks, year=2024, user=admin_user)

    assert job.status == BatchStatus.DONE
    assert job.backend == "thread"
    assert job.finished_at is not None
    items = list(job.items.select_related("unit_year__unit").order_by("unit_year__unit__code"))
    assert [item.unit_year.unit.code for item in items] == ["A001", "B001", "C001"]
    assert {item.status for item in items} == {ItemStatus.DONE}
    assert [item.attempts for item in items] == [1, 1, 1]
    assert len(renderer.rendered) == 3
    # Each stored file is that unit's report.
    for item in items:
        with item.pdf.open("rb") as stored:
            content = stored.read()
        assert content.startswith(b"%PDF-")
        html = next(h for h in renderer.rendered if item.unit_year.unit.name in h)
        assert content == fake_pdf(html)


def test_leader_batch_covers_only_the_units_they_lead(
    sync_batches, renderer, leader_a, year_a, year_b, django_capture_on_commit_callbacks
):
    job = start(django_capture_on_commit_callbacks, year=2024, user=leader_a)
    assert list(job.items.values_list("unit_year__unit__code", flat=True)) == ["A001"]
    assert job.status == BatchStatus.DONE


def test_officer_and_empty_year_are_refused(officer_a, leader_a, year_a):
    with pytest.raises(ValidationError, match="2024年度没有您可以批量生成报告的单位"):
        batch.batch_start(year=2024, user=officer_a)
    with pytest.raises(ValidationError, match="2023年度"):
        batch.batch_start(year=2023, user=leader_a)
    assert not BatchJob.objects.exists()


def test_a_running_batch_is_not_started_twice(admin_user, year_a, settings, django_capture_on_commit_callbacks):
    settings.CELERY_BROKER_URL = None
    dispatched = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = batch.batch_start(year=2024, user=admin_user)
        second = batch.batch_start(year=2024, user=admin_user)
    dispatched.extend(callbacks)
    assert first.pk == second.pk
    assert len(dispatched) == 1
    assert BatchItem.objects.count() == 1


def test_failing_unit_is_retried_then_reported(
    sync_batches, renderer, admin_user, year_a, year_b, year_c, django_capture_on_commit_callbacks
):
    renderer.fail_for = {"乙单位"}
    job = start(django_capture_on_commit_callbacks, year=2024, user=admin_user)

    assert job.status == BatchStatus.DONE_WITH_FAILURES
    assert job.get_status_display() == "完成（有失败）"
    failed = job.items.get(unit_year=year_b)
    assert failed.status == ItemStatus.FAILED
    assert failed.attempts == batch.MAX_RETRIES + 1 == 3
    assert renderer.failures == 3
    assert failed.error == "第3次尝试失败：模拟的渲染故障"
    assert not failed.pdf
    assert set(job.items.exclude(pk=failed.pk).values_list("status", flat=True)) == {ItemStatus.DONE}

    # The zip holds the two generated PDFs and names the unit that failed.
    archive = zip_of(job, admin_user)
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert pdfs == [
        "A001-甲单位2024年度部门整体支出绩效自评报告.pdf",
        "C001-丙单位_分局2024年度部门整体支出绩效自评报告.pdf",  # "/" in a name cannot make a folder
    ]
    listing = archive.read("未生成的报告.txt").decode("utf-8")
    assert "B001\t乙单位\t第3次尝试失败：模拟的渲染故障" in listing

    # Retry once the cause is fixed: the failed unit is generated, attempts keep counting.
    renderer.fail_for = set()
    with django_capture_on_commit_callbacks(execute=True):
        assert batch.batch_retry_failed(job=job, user=admin_user) == 1
    job.refresh_from_db()
    failed.refresh_from_db()
    assert job.status == BatchStatus.DONE
    assert (failed.status, failed.attempts, failed.error) == (ItemStatus.DONE, 4, "")
    names = zip_of(job, admin_user).namelist()
    assert "B001-乙单位2024年度部门整体支出绩效自评报告.pdf" in names
    assert "未生成的报告.txt" not in names


def test_retry_needs_a_finished_job(admin_user, year_a, settings):
    settings.CELERY_BROKER_URL = None
    job = batch.batch_start(year=2024, user=admin_user)  # dispatch never runs: the test never commits
    with pytest.raises(ValidationError, match="任务尚未完成"):
        batch.batch_retry_failed(job=job, user=admin_user)


def test_transient_failure_succeeds_on_retry(
    sync_batches, renderer, admin_user, year_a, monkeypatch, django_capture_on_commit_callbacks
):
    from reports import pdf as pdf_module

    calls = []

    def flaky(html, **kwargs):
        calls.append(html)
        if len(calls) == 1:
            raise pdf_module.ReportRenderTimeout("报告生成超过 60 秒，已停止。")
        return fake_pdf(html)

    monkeypatch.setattr(pdf_module, "html_to_pdf", flaky)
    job = start(django_capture_on_commit_callbacks, year=2024, user=admin_user)
    item = job.items.get()
    assert job.status == BatchStatus.DONE
    assert (item.status, item.attempts, item.error) == (ItemStatus.DONE, 2, "")


def test_a_message_delivered_twice_renders_once(
    sync_batches, renderer, admin_user, year_a, django_capture_on_commit_callbacks
):
    job = start(django_capture_on_commit_callbacks, year=2024, user=admin_user)
    item = job.items.get()
    batch.batch_item_run(item_id=item.pk, final_attempt=False)  # e.g. redelivered after acks_late
    item.refresh_from_db()
    assert item.attempts == 1
    assert len(renderer.rendered) == 1


def test_zip_lists_a_lost_file(sync_batches, renderer, admin_user, year_a, year_b, django_capture_on_commit_callbacks):
    job = start(django_capture_on_commit_callbacks, year=2024, user=admin_user)
    lost = job.items.get(unit_year=year_b)
    lost.pdf.storage.delete(lost.pdf.name)
    archive = zip_of(job, admin_user)
    assert [n for n in archive.namelist() if n.endswith(".pdf")] == ["A001-甲单位2024年度部门整体支出绩效自评报告.pdf"]
    assert "B001\t乙单位\t文件已丢失，请重新生成。" in archive.read("未生成的报告.txt").decode()


def test_zip_leaves_out_units_the_user_no_longer_leads(
    sync_batches, renderer, leader_a, unit_b, year_a, year_b, django_capture_on_commit_callbacks
):
    Membership.objects.create(user=leader_a, unit=unit_b, role=Role.LEADER)
    job = start(django_capture_on_commit_callbacks, year=2024, user=leader_a)
    assert job.items.count() == 2
    Membership.objects.filter(user=leader_a, unit=unit_b).delete()
    names = zip_of(job, leader_a).namelist()
    assert names == ["A001-甲单位2024年度部门整体支出绩效自评报告.pdf"]


def test_zip_is_streamed_in_chunks(
    sync_batches, renderer, admin_user, year_a, year_b, django_capture_on_commit_callbacks
):
    job = start(django_capture_on_commit_callbacks, year=2024, user=admin_user)
    chunks = list(batch.batch_zip_stream(job=job, user=admin_user))
    assert len(chunks) >= 3  # one per file read, then the central directory
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    for info in archive.infolist():
        assert info.flag_bits & 0x800  # names flagged UTF-8: Chinese names survive any unzip tool


@pytest.mark.django_db(transaction=True)
def test_background_thread_with_a_real_render(settings, demo_year, admin_user):
    """The single-machine default: no broker, the task runs on a thread of the app process.
    This test renders one real PDF (WeasyPrint) and waits for the thread as the page does."""
    from django.core.cache import cache

    settings.CELERY_BROKER_URL = None
    settings.REPORTS_BATCH_SYNC = False
    cache.clear()
    job = batch.batch_start(year=2024, user=admin_user)  # commits: the thread is started on commit
    deadline = time.monotonic() + 120
    while True:
        job.refresh_from_db()
        if job.finished_at is not None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert job.status == BatchStatus.DONE
    item = job.items.get()
    assert (item.status, item.attempts) == (ItemStatus.DONE, 1)
    archive = zip_of(job, admin_user)
    [name] = archive.namelist()
    assert name == "430923-RD-安化县人大常委会办公室2024年度部门整体支出绩效自评报告.pdf"
    text = squash(pdf_text(archive.read(name)))
    assert "安化县人大常委会办公室2024年度部门整体支出绩效自评报告" in text
    assert "比上年1326.27万元减少21.70万元" in text
    # The thread closed its own database connection; the test's one is still usable.
    assert connection.is_usable()


def test_a_stalled_batch_does_not_block_a_new_one(admin_user, year_a, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.CELERY_BROKER_URL = None
    first = batch.batch_start(year=2024, user=admin_user)  # never dispatched: the test never commits
    BatchItem.objects.filter(job=first).update(updated_at=timezone.now() - batch.STALLED_AFTER - timedelta(seconds=1))
    second = batch.batch_start(year=2024, user=admin_user)
    assert second.pk != first.pk
    assert batch.batch_start(year=2024, user=admin_user).pk == second.pk


def test_unreachable_broker_fails_the_items_with_a_message(
    settings, admin_user, year_a, year_b, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from reports.tasks import batch_item_generate

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    queued = []

    def delay(item_id):
        if queued:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        queued.append(item_id)

    monkeypatch.setattr(batch_item_generate, "delay", delay)
    job = start(django_capture_on_commit_callbacks, year=2024, user=admin_user)
    first, second = job.items.order_by("unit_year__unit__code")
    assert queued == [first.pk]
    assert first.status == ItemStatus.PENDING  # queued: a worker will take it
    assert second.status == ItemStatus.FAILED
    assert second.error == "无法提交到任务队列：Error 111 connecting to 127.0.0.1:6379. Connection refused."
    assert job.status == BatchStatus.QUEUED  # still waiting for the queued one
