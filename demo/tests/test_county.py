"""The demo county (``demo.county``): thirty synthetic units over three years in every state of
the flow, consistent figures, the overview and a unit's charts filled — and the reference unit
exactly the reference."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from budgets.figures import FIGURE_PREFETCH, year_figures
from demo import county, data
from departments.models import Membership, Role, Unit, UnitYear, YearStatus
from flow.findings import year_findings
from flow.models import StatusChange
from overview.models import YearSummary

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- generation (no database)


def test_figures_are_generated_the_same_every_time():
    def draw(index: int):
        code = county.unit_code(index)
        profile = county._UnitProfile.draw(county._rng(code), index)
        return [county._year_columns(profile, year, county._rng(code, year)) for year in county.YEARS]

    assert [draw(i) for i in range(len(county.UNITS))] == [draw(i) for i in range(len(county.UNITS))]


def test_every_generated_year_is_plausible():
    for index in range(len(county.UNITS)):
        code = county.unit_code(index)
        profile = county._UnitProfile.draw(county._rng(code), index)
        for year in county.YEARS:
            initial, full, actual, previous = county._year_columns(profile, year, county._rng(code, year))
            rate = Decimal(actual.total) / full.total * 100
            assert 85 <= rate <= 100, (index, year, rate)
            for column in (initial, full, actual, previous):
                assert column.personnel > 0 and column.public > 0 and column.project > 0
            assert actual.personnel <= full.personnel and actual.public <= full.public
            assert actual.project <= full.project


def test_every_state_of_the_flow_is_there():
    states = Counter(county.state_of(i, y) for i in range(len(county.UNITS)) for y in county.YEARS)
    assert set(states) == {county.DRAFT, county.SUBMITTED, county.EVALUATING, county.RETURNED, county.FINALISED}
    assert len(county.UNITS) == 30


# ---------------------------------------------------------------- the loaded county


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """``load_demo`` with the county, once for this module (it takes a while), in a transaction
    rolled back afterwards so the other tests find the database as they expect it."""
    with django_db_blocker.unblock():
        out = StringIO()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_thirty_units_marked_as_examples_over_three_years(loaded):
    units = Unit.objects.filter(code__startswith=county.CODE_PREFIX)
    assert units.count() == 30
    assert all(u.name.startswith("示例县") and u.name.endswith("（示例）") for u in units)
    years = county.county_years()
    assert years.count() == 90
    assert set(years.values_list("year", flat=True)) == {2022, 2023, 2024}
    assert "示例县" in loaded and "非真实" in loaded and "demo01_officer" in loaded
    # The printed summary stays short: one line for the county, not ninety accounts.
    assert len(loaded.splitlines()) <= 10 and loaded.count("_officer") == 2


def test_every_state_with_its_history(loaded):
    years = county.county_years()
    statuses = Counter(years.values_list("status", flat=True))
    assert set(statuses) == set(YearStatus.values)
    returned = StatusChange.objects.filter(unit_year__in=years, action="send_back")
    assert returned.count() == 4
    assert all(c.unit_year.status == YearStatus.DRAFT and c.reasons for c in returned)
    for unit_year in years.filter(status=YearStatus.FINALISED):
        actions = list(unit_year.status_changes.order_by("at").values_list("action", flat=True))
        assert actions == ["submit", "start_evaluation", "finalise"]
        # dated in the spring after the year, with the report
        assert {c.at.year for c in unit_year.status_changes.all()} == {unit_year.year + 1}
        assert unit_year.report_date.year == unit_year.year + 1


def test_figures_are_consistent_and_finalised_years_scored(loaded):
    years = UnitYear.objects.filter(unit__code__startswith=county.CODE_PREFIX).prefetch_related(*FIGURE_PREFETCH)
    for unit_year in years:
        figures = year_figures(unit_year)
        for column in ("initial_budget", "full_year_budget", "actual"):
            assert getattr(figures.income_total, column) == getattr(figures.spending_total, column)
        assert Decimal("85") <= figures.spending_total.execution_rate <= Decimal("100")
        assert [f.code for f in year_findings(unit_year)] == []
    summaries = YearSummary.objects.filter(unit_year__in=county.county_years())
    assert summaries.count() == 90
    finalised = summaries.filter(status=YearStatus.FINALISED)
    assert all(s.score_complete and s.total_score and s.grade for s in finalised)
    assert {s.grade for s in finalised} >= {"优", "良"}  # not all alike


def test_each_unit_has_its_people(loaded):
    for unit in Unit.objects.filter(code__startswith=county.CODE_PREFIX):
        roles = set(Membership.objects.filter(unit=unit).values_list("role", flat=True))
        assert roles == {Role.OFFICER, Role.LEADER, Role.EVALUATOR}
    client = Client()
    assert client.login(username="demo01_officer", password=data.DEMO_PASSWORD)
    html = client.get("/").content.decode()
    assert "示例县教育局（示例）" in html and "安化县人大常委会办公室" not in html


def test_the_reference_unit_stays_the_reference(loaded):
    reference = UnitYear.objects.get(unit__code=data.UNIT["code"], year=data.YEAR)
    assert reference.status == YearStatus.DRAFT
    assert UnitYear.objects.filter(unit__code=data.UNIT["code"]).count() == 1
    income = {line.source: line.full_year_budget for line in reference.income_lines.all()}
    assert income["total"] == Decimal("1304.57")
    assert reference.indicators.count() == len(data.INDICATORS)
    assert not reference.status_changes.exists()


def test_the_overview_shows_the_county_within_its_query_pins(loaded, django_assert_max_num_queries):
    client = Client()
    client.login(username="admin", password=data.DEMO_PASSWORD)
    with django_assert_max_num_queries(9):
        html = client.get(reverse("overview:index"), {"year": "2024", "sort": "-score"}).content.decode()
    assert "示例县" in html
    for label in ("草稿", "已送审", "评价中", "已定稿"):
        assert re.search(label, html)
    with django_assert_max_num_queries(11):
        unit_html = client.get(reverse("overview:unit", args=["DEMO-01"])).content.decode()
    assert unit_html.count("年度</a></th>") == 3


def test_loading_again_changes_nothing(loaded):
    before = (UnitYear.objects.count(), StatusChange.objects.count(), YearSummary.objects.count())
    result = county.county_load(password=data.DEMO_PASSWORD)
    assert not result.created
    assert (UnitYear.objects.count(), StatusChange.objects.count(), YearSummary.objects.count()) == before
