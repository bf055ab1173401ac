"""The overview's read model stays fresh: a change of a figure, a score, a status or the rules
shows on the overview after the commit; refreshes are batched, deduplicated and computed by the
one-place functions."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from budgets.figures import FIGURE_PREFETCH, year_figures
from budgets.models import SpendingKind, SpendingLine, ThreePublicLine
from departments.models import UnitYear, YearStatus
from flow.services import year_reopen
from indicators.models import Indicator, RuleSet
from indicators.selectors import year_quality, year_score
from indicators.services import year_scoring_start
from overview import summaries
from overview.models import YearSummary
from overview.summaries import year_summaries_refresh
from overview.tests.test_overview import page_rows

pytestmark = pytest.mark.django_db


def summary(code: str, year: int = 2024) -> YearSummary:
    return YearSummary.objects.get(unit_year__unit__code=code, year=year)


def overview_row(client, code: str, year: int = 2024) -> str:
    """The overview's row of a unit-year, as HTML."""
    html = client.get(reverse("overview:index"), {"sort": "code"}).content.decode()
    rows = html.split('<tr data-testid="overview-row">')[1:]
    return next(r for r in rows if f"<td>{code}</td>" in r and f'<td class="num">{year}</td>' in r)


@pytest.fixture
def ac(client, admin_user):
    client.force_login(admin_user)
    return client


def test_summary_is_computed_by_the_one_place_functions(units):
    units(3)
    for unit_year in UnitYear.objects.select_related("scoring").prefetch_related(*FIGURE_PREFETCH, "indicators"):
        s = unit_year.summary
        figures = year_figures(unit_year)
        score = year_score(unit_year)
        assert s.execution_rate == figures.execution_rate
        assert s.total_score == score.total and s.grade == score.grade
        assert s.three_public_change == figures.three_public_total.change.amount
        assert s.three_public_change_percent == figures.three_public_total.change.percent
        assert s.findings == len(year_quality(unit_year))
        assert (s.year, s.status) == (unit_year.year, unit_year.status)


def test_figure_change_shows_on_the_overview(ac, units, django_capture_on_commit_callbacks):
    units(2)
    line = SpendingLine.objects.get(unit_year__unit__code="U0001", unit_year__year=2024, kind=SpendingKind.TOTAL)
    with django_capture_on_commit_callbacks(execute=True):
        line.actual = D("45.00")
        line.full_clean()
        line.save()
    assert summary("U0001").execution_rate == D("45.00")
    assert '<td class="num">45.00%</td>' in overview_row(ac, "U0001")


def test_three_public_line_deleted_shows_on_the_overview(ac, units, django_capture_on_commit_callbacks):
    units(1)
    with django_capture_on_commit_callbacks(execute=True):
        ThreePublicLine.objects.get(unit_year__unit__code="U0000", unit_year__year=2024).delete()
    assert summary("U0000").three_public_change is None
    row = overview_row(ac, "U0000")
    assert row.count('<td class="num">—</td>') == 3  # amount and %, and no project average (no projects)


def test_score_change_shows_on_the_overview(ac, units, django_capture_on_commit_callbacks):
    units(1)
    before = summary("U0000").total_score
    indicator = Indicator.objects.get(unit_year__unit__code="U0000", unit_year__year=2024, tier1="output")
    with django_capture_on_commit_callbacks(execute=True):
        indicator.score = indicator.weight  # full marks
        indicator.save()
    after = summary("U0000").total_score
    assert after > before
    assert f'<td class="num">{after:.2f}</td>' in overview_row(ac, "U0000")


def test_status_change_through_the_flow_shows_on_the_overview(
    ac, admin_user, units, django_capture_on_commit_callbacks
):
    units(4)
    unit_year = UnitYear.objects.get(unit__code="U0002", year=2024)
    assert unit_year.status == YearStatus.FINALISED  # the fixture's rotation
    # The flow changes the status with a conditional UPDATE (no save signal) and records the step.
    with django_capture_on_commit_callbacks(execute=True):
        year_reopen(unit_year=unit_year, user=admin_user, comment="数据有误")
    assert summary("U0002").status == YearStatus.DRAFT
    assert "草稿" in overview_row(ac, "U0002")
    finalised = page_rows(ac.get(reverse("overview:index"), {"status": "finalised"}))
    assert ["U0002", "2024"] not in [r[:5:4] for r in finalised]
    assert ["U0002", "2024"] in [r[:5:4] for r in page_rows(ac.get(reverse("overview:index"), {"status": "draft"}))]


def test_rule_set_change_regrades_years_without_their_own_snapshot(units, django_capture_on_commit_callbacks):
    units(1)
    snapshot_year = UnitYear.objects.get(unit__code="U0000", year=2023)
    year_scoring_start(unit_year=snapshot_year)  # this year keeps the national rules
    year_summaries_refresh(unit_year_ids=[snapshot_year.pk])
    before = {y: summary("U0000", y).grade for y in (2023, 2024)}
    assert "优" not in before.values()
    rule_set = RuleSet.objects.default_or_national()
    with django_capture_on_commit_callbacks(execute=True):
        rule_set.grade_excellent, rule_set.grade_good, rule_set.grade_fair = D("50"), D("40"), D("30")
        rule_set.full_clean()
        rule_set.save()
    assert summary("U0000", 2024).grade == "优"  # no snapshot: the new default rules
    assert summary("U0000", 2023).grade == before[2023]  # its own snapshot


def test_many_changes_in_one_transaction_refresh_once(units, monkeypatch, django_capture_on_commit_callbacks):
    unit_years = units(2)
    calls = []
    real = summaries.year_summaries_refresh
    monkeypatch.setattr(
        summaries, "year_summaries_refresh", lambda **kw: calls.append(set(kw["unit_year_ids"])) or real(**kw)
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for indicator in Indicator.objects.filter(unit_year__in=unit_years[:2]):
            indicator.score = D("1.00")
            indicator.save()
        for line in SpendingLine.objects.filter(unit_year__in=unit_years[:2]):
            line.actual = D("99.00")
            line.save()
    assert calls == [{unit_years[0].pk, unit_years[1].pk}]
    assert summary("U0000", 2023).execution_rate == D("99.00")


def test_rolled_back_changes_do_not_reach_the_summary(units, django_capture_on_commit_callbacks):
    units(1)
    before = summary("U0000").execution_rate
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        SpendingLine.objects.filter(unit_year__unit__code="U0000").update(actual=D("1.00"))
        line = SpendingLine.objects.get(unit_year__unit__code="U0000", unit_year__year=2024)
        line.save()
        raise RuntimeError("rolled back")
    assert summary("U0000").execution_rate == before


@pytest.mark.parametrize("count", [5, 30])  # 10 and 60 unit-years: one batch (at most 76 on SQLite)
def test_refresh_queries_per_batch_are_constant(units, django_assert_num_queries, count):
    unit_years = units(count)
    ids = [uy.pk for uy in unit_years]
    # default rule set; the unit-years with scoring; income, spending, project, 三公 lines;
    # indicators; one upsert.
    with django_assert_num_queries(8):
        assert year_summaries_refresh(unit_year_ids=ids) == len(ids)


def test_refresh_in_batches(units, django_assert_num_queries):
    unit_years = units(5)
    # 10 unit-years in batches of 4: 1 + 3 × 7 queries.
    with django_assert_num_queries(22):
        year_summaries_refresh(unit_year_ids=[uy.pk for uy in unit_years], batch_size=4)


def test_command_rebuilds_all_or_one_year(units):
    units(3)
    YearSummary.objects.all().delete()
    call_command("refresh_year_summaries", "--year", "2023")
    assert set(YearSummary.objects.values_list("year", flat=True)) == {2023}
    call_command("refresh_year_summaries")
    assert YearSummary.objects.count() == UnitYear.objects.count() == 6


def test_demo_load_leaves_the_summary(demo_year):
    s = YearSummary.objects.get(unit_year=demo_year)
    unit_year = UnitYear.objects.prefetch_related(*FIGURE_PREFETCH).get(pk=demo_year.pk)
    assert s.execution_rate == year_figures(unit_year).execution_rate is not None
    assert s.three_public_actual == year_figures(unit_year).three_public_total.actual
