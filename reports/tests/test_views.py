"""Report pages and downloads: permission matrix, what the user sees, pinned query counts."""

from __future__ import annotations

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.db.models import F
from django.urls import reverse

from departments.models import Membership, Role, Unit, UnitYear
from indicators.models import Indicator
from reports import pdf as pdf_module
from reports.services import pdf_forget

from .conftest import score_all

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 fake"


@pytest.fixture
def fake_renderer(monkeypatch):
    """Counts renders without running WeasyPrint (real renders are tested in test_pdf/test_safety)."""
    calls = []

    def render(html, **kwargs):
        calls.append(html)
        return FAKE_PDF

    monkeypatch.setattr(pdf_module, "html_to_pdf", render)
    return calls


def year_urls(unit_year: UnitYear) -> dict[str, str]:
    args = (unit_year.unit.code, unit_year.year)
    return {
        "report": reverse("reports:report", args=args),
        "report_pdf": reverse("reports:report_pdf", args=args),
        "report_xlsx": reverse("reports:report_xlsx", args=args),
        "report_docx": reverse("reports:report_docx", args=args),
    }


EXPECTED = {
    # persona: status for every URL of unit A's year (another unit's year answers 404)
    "anonymous": 302,
    "officer_a": 200,
    "evaluator_a": 200,
    "leader_a": 200,
    "admin": 200,
    "officer_b": 404,
}


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("name", ["report", "report_pdf", "report_xlsx", "report_docx"])
def test_permission_matrix(client, personas, year_a, fake_renderer, persona, name):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(year_urls(year_a)[name])
    assert response.status_code == EXPECTED[persona]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_index_permissions(client, personas, year_a, year_b, persona):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("reports:index"))
    if user is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    body = response.content.decode()
    sees_a = persona in ("officer_a", "evaluator_a", "leader_a", "admin")
    sees_b = persona in ("officer_b", "admin")
    assert ("甲单位" in body) == sees_a
    assert ("乙单位" in body) == sees_b


def test_post_is_refused(client, leader_a, year_a):
    client.force_login(leader_a)
    assert client.post(year_urls(year_a)["report"]).status_code == 405


@pytest.fixture
def demo_leader(demo_year):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="leader")


def test_report_page_shows_the_report(client, demo_leader, demo_year):
    client.force_login(demo_leader)
    body = client.get(year_urls(demo_year)["report"]).content.decode()
    assert "比上年1326.27万元减少21.70万元，减少1.64%" in body
    assert "上述实际使用275.61万元" in body
    assert "人大会议次数" in body and "≥20次" in body
    assert 'href="/u/430923-RD/2024/report.pdf"' in body
    # Nothing is scored in the demo: no score box, no score columns.
    assert 'data-testid="report-score"' not in body
    assert '<th class="col-score">得分</th>' not in body


def test_scored_report_shows_score_and_grade_up_front(client, demo_leader, demo_year):
    score_all(demo_year)
    client.force_login(demo_leader)
    body = client.get(year_urls(demo_year)["report"]).content.decode()
    score_at = body.index('data-testid="report-score"')
    assert score_at < body.index("一、部门概况")
    assert "98.5分" in body and "评价等级为“优”" in body
    for header in ("实际完成值", "分值", "得分", "偏差原因分析及改进措施"):
        assert f">{header}</th>" in body
    assert "部分资讯未按期刊发，下年度加强统筹。" in body
    assert "18篇" in body


def test_indicator_table_rowspans(client, demo_leader, demo_year):
    client.force_login(demo_leader)
    body = client.get(year_urls(demo_year)["report"]).content.decode()
    assert '<td class="c" rowspan="6">基本经费</td>' in body
    assert '<td class="c" rowspan="13">项目经费</td>' in body
    assert '<td class="c" rowspan="8">产出指标</td>' in body  # 项目经费 → 产出指标
    assert '<td class="c" rowspan="3">数量指标</td>' in body


def add_indicators(unit_year: UnitYear, n: int) -> None:
    Indicator.objects.bulk_create(
        Indicator(
            unit_year=unit_year,
            fund_category="project",
            order=100 + i,
            tier1="output",
            tier2="quantity",
            name=f"新增指标{i}",
            target_kind="quantitative",
            comparator="ge",
            target_value=D(i + 1),
            target_unit="次",
        )
        for i in range(n)
    )


def test_report_page_query_count_is_fixed(client, demo_leader, demo_year, django_assert_num_queries):
    client.force_login(demo_leader)
    url = year_urls(demo_year)["report"]
    client.get(url)
    # The report's body is stored under the year's stamp (test_preview.py: what it costs to
    # make): session, user, memberships (the access policy), the unit-year with its unit and
    # the user's seats on its evaluation group (the 评分 tab).
    with django_assert_num_queries(4):
        client.get(url)
    add_indicators(demo_year, 50)
    pdf_forget([demo_year.pk])  # a bulk insert (no signals) says so, as bulk loads must
    client.get(url)
    with django_assert_num_queries(4):
        body = client.get(url).content.decode()
    assert "新增指标49" in body


def test_excel_download_query_count_is_fixed(client, demo_leader, demo_year, django_assert_num_queries):
    from django.core.cache import cache
    from openpyxl import load_workbook

    cache.clear()
    client.force_login(demo_leader)
    url = year_urls(demo_year)["report_xlsx"]
    # session, user, memberships, the year; then the report's data as the report page reads it
    # (the year with unit and scoring record, four money tables — the project lines with their
    # evaluations —, the projects' money by source, duties, organs, goals, every indicator, the
    # 数据校验 explanations, the default rule set).
    with django_assert_num_queries(16):
        client.get(url)
    # Stored under the year's stamp: the same state again is a cache read.
    with django_assert_num_queries(4):
        client.get(url)
    add_indicators(demo_year, 50)  # a bulk insert (no signals) says so, as bulk loads must
    pdf_forget([demo_year.pk])
    with django_assert_num_queries(16):  # made afresh, in as many queries
        response = client.get(url)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    assert "xlsx" in response["Content-Disposition"]
    cells = [str(c.value) for ws in load_workbook(BytesIO(response.content)) for row in ws.iter_rows() for c in row]
    assert any("新增指标49" in value for value in cells)


def test_word_file_is_made_once_per_state_of_the_year(client, demo_leader, demo_year, django_assert_num_queries):
    from django.core.cache import cache
    from django.db.models import F
    from docx import Document

    cache.clear()
    client.force_login(demo_leader)
    url = year_urls(demo_year)["report_docx"]
    first = client.get(url)
    assert first["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "attachment" in first["Content-Disposition"]
    # Stored under the year's stamp: the same state again is a cache read (session, user,
    # memberships, the year), the same bytes.
    with django_assert_num_queries(4):
        again = client.get(url)
    assert again.content == first.content
    # A saved change is in the next download at once.
    UnitYear.objects.filter(pk=demo_year.pk).update(version=F("version") + 1, problems="新写的问题<b>与不足</b>")
    changed = client.get(url)
    text = "\n".join(p.text for p in Document(BytesIO(changed.content)).paragraphs)
    assert "新写的问题<b>与不足</b>" in text


def test_pdf_download_is_cached_until_something_changes(client, demo_leader, demo_year, fake_renderer):
    from django.core.cache import cache

    cache.clear()
    client.force_login(demo_leader)
    url = year_urls(demo_year)["report_pdf"]
    first = client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert first.content == FAKE_PDF
    assert "attachment" in first["Content-Disposition"]
    client.get(url)
    assert len(fake_renderer) == 1  # the repeat download rendered nothing
    indicator = Indicator.objects.get(unit_year=demo_year, name="人大资讯")
    indicator.actual_text = "21篇"
    indicator.save()
    client.get(url)
    assert len(fake_renderer) == 2  # any change to the content renders afresh
    assert "21篇" in fake_renderer[-1]
    # A version-checked save (one conditional UPDATE, no signal) changes the stamp too.
    UnitYear.objects.filter(pk=demo_year.pk).update(version=F("version") + 1, problems="问题已修改")
    client.get(url)
    assert len(fake_renderer) == 3 and "问题已修改" in fake_renderer[-1]
    # Writes that bypass both save() and the version (bulk loads) must say so: pdf_forget.
    Indicator.objects.filter(pk=indicator.pk).update(actual_text="22篇")
    client.get(url)
    assert len(fake_renderer) == 3
    pdf_forget([demo_year.pk])
    client.get(url)
    assert len(fake_renderer) == 4 and "22篇" in fake_renderer[-1]


def test_settled_pdf_download_reads_the_cache_without_assembling_the_report(
    client, demo_leader, demo_year, fake_renderer, django_assert_max_num_queries, monkeypatch
):
    from django.core.cache import cache

    from reports import services

    cache.clear()
    client.force_login(demo_leader)
    url = year_urls(demo_year)["report_pdf"]
    client.get(url)
    monkeypatch.setattr(services, "report_render_html", lambda **kw: pytest.fail("HTML rendered"))
    # session, user, memberships, the unit-year: nothing of the report's data
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert response.content == FAKE_PDF and len(fake_renderer) == 1


def test_pdf_timeout_answers_503(client, demo_leader, demo_year, monkeypatch):
    def too_slow(html, **kwargs):
        raise pdf_module.ReportRenderTimeout("报告生成超过 1 秒，已停止。")

    monkeypatch.setattr(pdf_module, "html_to_pdf", too_slow)
    from django.core.cache import cache

    cache.clear()
    client.force_login(demo_leader)
    response = client.get(year_urls(demo_year)["report_pdf"])
    assert response.status_code == 503
    assert "超时" in response.content.decode()


def test_leadership_page(client, demo_leader, demo_year, django_assert_num_queries):
    score_all(demo_year)
    client.force_login(demo_leader)
    url = reverse("reports:index")
    response = client.get(url)
    body = response.content.decode()
    assert "安化县人大常委会办公室" in body
    assert "98.5" in body and "优" in body and "100.00%" in body
    assert 'href="/u/430923-RD/2024/report.pdf"' in body
    assert 'href="/u/430923-RD/2024/self-evaluation.xlsx"' in body


def test_leadership_page_follows_a_saved_figure(client, demo_leader, demo_year, django_capture_on_commit_callbacks):
    from budgets.models import SpendingLine

    client.force_login(demo_leader)
    assert "100.00%" in client.get(reverse("reports:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # as when the save commits
        line = SpendingLine.objects.get(unit_year=demo_year, kind="total")
        line.actual = D("1043.66")
        line.save()
    body = client.get(reverse("reports:index")).content.decode()
    assert "80.00%" in body and "100.00%" not in body


def test_leadership_page_query_count_does_not_grow(client, admin_user, demo_year, django_assert_num_queries):
    from reports.models import BatchJob, BatchStatus

    client.force_login(admin_user)
    url = reverse("reports:index")
    # session, user, memberships (the access policy), count of the visible years (the pager),
    # the page's keys, the page of years with their units and stored summaries; for the batch
    # form: the years, then the latest batches with their counts and requesters.
    with django_assert_num_queries(8):
        client.get(url)
    for i in range(5):
        unit = Unit.objects.create(code=f"X{i}", name=f"单位{i}")
        for year in (2023, 2024):
            other = UnitYear.objects.create(unit=unit, year=year)
            add_indicators(other, 3)
        BatchJob.objects.create(year=2024, requested_by=admin_user, status=BatchStatus.DONE)
    with django_assert_num_queries(8):
        body = client.get(url).content.decode()
    assert body.count("<tr>") == 1 + 1 + 10 + 1 + 5  # the reports table, then the batches table


def test_leader_of_one_unit_sees_only_that_unit(client, leader_a, year_a, year_b):
    Membership.objects.get(user=leader_a, role=Role.LEADER)
    client.force_login(leader_a)
    body = client.get(reverse("reports:index")).content.decode()
    assert "甲单位" in body and "乙单位" not in body
