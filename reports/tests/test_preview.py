"""The report preview page (自评报告): its body is stored under the year's stamp like the PDF, so
a repeated visit reads the cache — and still shows every change at once, the user's own tabs,
and user text escaped."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse

from budgets.models import IncomeLine
from departments.models import Unit, UnitYear
from flow import services as flow
from flow.findings import year_findings
from indicators.models import Indicator
from reports.services import pdf_forget

from .test_safety import poison

pytestmark = pytest.mark.django_db


def person(username: str):
    return get_user_model().objects.get(username=username)


def url(unit_year: UnitYear) -> str:
    return reverse("reports:report", args=[unit_year.unit.code, unit_year.year])


def article(client, unit_year: UnitYear) -> str:
    """The report as the page shows it (between the page's tabs and its footer)."""
    page = client.get(url(unit_year)).content.decode()
    start = page.index('<article class="report-sheet"')
    return page[start : page.index("</article>", start)]


@pytest.fixture
def leader_client(client, demo_year):
    cache.clear()
    client.force_login(person("leader"))
    return client


def test_the_preview_follows_every_change_at_once(leader_client, demo_year):
    client = leader_client
    assert "比上年1326.27万元减少21.70万元" in article(client, demo_year)
    # A figure saved (the lines' own save) …
    total = IncomeLine.objects.get(unit_year=demo_year, source="total")
    total.full_year_budget = total.full_year_budget + D("5.43")
    total.save()
    assert "比上年1326.27万元减少16.27万元" in article(client, demo_year)
    # … a version-checked save of the year (one conditional UPDATE, no signal) …
    UnitYear.objects.filter(pk=demo_year.pk).update(version=F("version") + 1, problems="问题已重新表述")
    assert "问题已重新表述" in article(client, demo_year)
    # … a 数据校验 finding explained in writing (printed as a note; the year's version stays) …
    finding = year_findings(demo_year)[0]
    flow.check_explain(unit_year=demo_year, user=person("officer"), key=finding.key, explanation="口径不同，已核实")
    assert "口径不同，已核实" in article(client, demo_year)
    # … the unit renamed, and the unit above it (主管部门 on the cover).
    parent = Unit.objects.create(code="P001", name="上级主管单位")
    unit = demo_year.unit
    unit.parent = parent
    unit.save()
    assert "上级主管单位" in article(client, demo_year)
    parent.name = "更名后的主管单位"
    parent.save()
    body = article(client, demo_year)
    assert "更名后的主管单位" in body and "上级主管单位" not in body


def test_the_draft_mark_goes_with_the_status(client, finalised_demo_year):
    cache.clear()
    client.force_login(person("admin"))
    assert 'data-testid="draft-mark"' not in article(client, finalised_demo_year)
    flow.year_reopen(unit_year=finalised_demo_year, user=person("admin"), comment="重新核对")
    finalised_demo_year.refresh_from_db()
    assert 'data-testid="draft-mark">未定稿<' in article(client, finalised_demo_year)


def test_a_repeated_visit_reads_the_cache(leader_client, demo_year, django_assert_num_queries, monkeypatch):
    from reports import services

    client = leader_client
    first = article(client, demo_year)
    monkeypatch.setattr(services, "report_context", lambda **kw: pytest.fail("report assembled again"))
    # session, user, memberships, the unit-year with its unit and the user's seats on its
    # evaluation group (the 评分 tab): nothing of the report's data.
    with django_assert_num_queries(4):
        again = article(client, demo_year)
    assert again == first
    Indicator.objects.create(
        unit_year=demo_year, fund_category="basic", tier1="output", tier2="quantity", name="新增的指标"
    )
    monkeypatch.undo()
    assert "新增的指标" in article(client, demo_year)


def test_the_background_render_of_the_pdf_stores_the_preview_too(
    leader_client, demo_year, django_assert_num_queries, monkeypatch
):
    """After a change the PDF is rendered off the request (reports.prerender): the preview of
    the same state is stored with it, so its first visit reads the cache as well."""
    from reports import pdf, services

    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kw: b"%PDF-1.7 fake")
    demo_year.problems = "渲染时写入的问题"
    demo_year.save()
    services.report_pdf_for_year(unit_year_id=demo_year.pk)
    monkeypatch.setattr(services, "report_context", lambda **kw: pytest.fail("report assembled again"))
    with django_assert_num_queries(4):
        assert "渲染时写入的问题" in article(leader_client, demo_year)


def test_the_report_assembles_in_a_fixed_number_of_queries(leader_client, demo_year, django_assert_num_queries):
    """When the year has changed (what the PDF render and the Word file read as well)."""
    client = leader_client

    def fresh_visit() -> str:
        pdf_forget([demo_year.pk])
        # session, user, memberships, the unit-year with the user's seats on its evaluation
        # group (the access policy, the 评分 tab); the unit-year with unit, parent and scoring
        # record; income, spending, the project lines with their evaluations, 三公经费; the
        # projects' money by source; duties, organs, goals; every indicator (department's and
        # projects'); the default rule set (no scoring record yet); the 数据校验 explanations.
        with django_assert_num_queries(16):
            return article(client, demo_year)

    fresh_visit()
    project = demo_year.project_lines.filter(kind="project").first()
    for i in range(10):
        Indicator.objects.create(
            unit_year=demo_year,
            project=project,
            fund_category="project",
            tier1="output",
            tier2="quantity",
            name=f"项目新增指标{i}",
            order=100 + i,
        )
    fresh_visit()


def test_the_tabs_are_the_users_own(client, finalised_demo_year):
    """The body is shared; the tabs and buttons around it are each user's (the evaluator sits
    on the evaluation group: 评分; the leader does not)."""
    cache.clear()
    client.force_login(person("leader"))
    as_leader = client.get(url(finalised_demo_year)).content.decode()
    client.force_login(person("evaluator"))
    as_evaluator = client.get(url(finalised_demo_year)).content.decode()
    assert 'data-testid="tab-scoring"' not in as_leader
    assert 'data-testid="tab-scoring"' in as_evaluator


def test_user_text_is_escaped_when_made_and_when_read_again(leader_client, demo_year):
    text = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    poison(demo_year, text)
    pdf_forget([demo_year.pk])  # update() bypasses save(), as a careless import would
    for _visit in range(2):  # rendered, then read from the cache
        page = leader_client.get(url(demo_year)).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page
        assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") > 20
