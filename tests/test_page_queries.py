"""Every page answers in a fixed number of queries — at most ten, counted as production runs
(sessions in the cache) — whatever the amount of data:
measured on the demo year, then again after the year has grown (indicators, projects, duties,
organs, member scores, history records) and more units and years exist. Lists that page in SQL
have their own tests over 10 to 500 units (flow/tests/test_lists.py, overview/tests)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import ProjectLine
from departments.models import Duty, Organ, Unit, UnitYear
from indicators.models import Indicator, MemberScore
from overview.summaries import year_summaries_refresh

LIMIT = 10
# The report preview's body and the 自评表 stored under the year's stamp (reports.services): made
# once per change of the year (the report's 12 queries on top of the page's own; pinned in
# reports/tests/test_preview.py), then read: counted after one visit has made them.
MADE_ONCE = {"reports:report", "reports:report_xlsx"}

DRAFT_PAGES = [
    ("departments:profile", "officer"),
    ("budgets:figures", "officer"),
    ("budgets:checks", "officer"),
    ("budgets:excel", "officer"),
    ("budgets:excel_download", "officer"),
    ("indicators:table", "officer"),
    ("indicators:group", "leader"),
    ("reports:texts", "officer"),
    ("reports:report", "leader"),
    ("reports:report_xlsx", "leader"),
    ("flow:year_detail", "officer"),
    ("flow:history", "officer"),
    ("flow:page", "officer"),
    ("overview:unit", "admin"),
]
PLAIN_PAGES = [
    ("flow:home", "officer"),
    ("flow:home", "admin"),
    ("flow:help", "officer"),
    ("indicators:library", "officer"),
    ("reports:index", "leader"),
    ("overview:index", "admin"),
    ("overview:export", "admin"),
]
SCORING_PAGES = [("indicators:scoring", "evaluator"), ("indicators:group_result", "leader")]


@pytest.fixture(autouse=True)
def _sessions_as_in_production(settings):
    """Counted as production runs: the session read from the cache (``cached_db``, as
    ``perfeval/settings/production.py`` sets it), not from the database as the other tests'
    settings read it (there every page runs one query more)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def _people() -> dict:
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=["officer", "evaluator", "leader", "admin"])}


def _url(name: str, unit_year: UnitYear) -> str:
    if name == "overview:unit":
        return reverse(name, args=[unit_year.unit.code])
    if name.split(":")[1] in {"home", "help", "library", "index", "export"}:
        return reverse(name)
    return reverse(name, args=[unit_year.unit.code, unit_year.year])


def _count(client, url: str, *, made_once: bool = False) -> int:
    if made_once:
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def _grow(unit_year: UnitYear, people: dict) -> None:
    """More of everything a page could read row by row."""
    for i in range(25):
        indicator = Indicator.objects.create(
            unit_year=unit_year,
            fund_category="basic",
            tier1="output",
            tier2="quantity",
            name=f"增加的指标{i}",
            target_kind="quantitative",
            comparator="ge",
            target_value=D("1"),
            target_unit="次",
            weight=D("0"),
        )
        if unit_year.status == "evaluating":
            MemberScore.objects.create(
                indicator=indicator, member=people["evaluator"], actual_value=D("1"), score=D("0")
            )
        ProjectLine.objects.create(unit_year=unit_year, order=200 + i, name=f"增加的项目{i}")
        Duty.objects.create(unit_year=unit_year, order=200 + i, text=f"增加的职责{i}")
        Organ.objects.create(unit_year=unit_year, kind="other", order=200 + i, name=f"增加的机构{i}")
    for n in range(5):  # history records
        unit_year.problems = f"问题第{n}稿"
        unit_year.save()
    years = []
    for i in range(12):
        unit = Unit.objects.create(code=f"G{i:03d}", name=f"增加的单位{i}", region="益阳市")
        years += [UnitYear.objects.create(unit=unit, year=y) for y in (2023, 2024)]
    year_summaries_refresh(unit_year_ids=[y.pk for y in years] + [unit_year.pk])


def _check(client, people, unit_year, pages) -> None:
    before = {}
    for name, persona in pages:
        client.force_login(people[persona])
        before[(name, persona)] = _count(client, _url(name, unit_year), made_once=name in MADE_ONCE)
    _grow(unit_year, people)
    for name, persona in pages:
        client.force_login(people[persona])
        after = _count(client, _url(name, unit_year), made_once=name in MADE_ONCE)
        assert after == before[(name, persona)], f"{name} as {persona}: {before[(name, persona)]} → {after} queries"
        assert after <= LIMIT, f"{name} as {persona}: {after} queries"


@pytest.mark.parametrize("page", DRAFT_PAGES + PLAIN_PAGES, ids=lambda p: f"{p[0]}-{p[1]}")
def test_page_queries_are_few_and_constant(client, demo_year, page):
    demo_year.refresh_from_db()
    year_summaries_refresh(unit_year_ids=[demo_year.pk])
    _check(client, _people(), demo_year, [page])


@pytest.mark.parametrize("page", SCORING_PAGES, ids=lambda p: f"{p[0]}-{p[1]}")
def test_scoring_page_queries_are_few_and_constant(client, demo_year, page):
    from flow import services as flow
    from indicators import services

    people = _people()
    services.indicator_weights_default(unit_year=demo_year)
    services.evaluation_group_name(
        unit_year=demo_year, user=people["leader"], members=[people["evaluator"]], lead=people["evaluator"]
    )
    flow.year_submit(unit_year=demo_year, user=people["officer"], acknowledge_warnings=True)
    flow.year_start_evaluation(unit_year=demo_year, user=people["leader"])
    demo_year.refresh_from_db()
    _check(client, people, demo_year, [page])
