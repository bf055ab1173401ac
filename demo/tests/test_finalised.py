"""``load_demo --finalised``: the demo year finished through the real flow."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.utils import timezone

from departments.models import UnitYear, YearStatus
from flow.findings import year_findings
from flow.models import CheckExplanation, StatusChange
from flow.selectors import check_notes
from indicators.models import Indicator
from indicators.selectors import year_score

pytestmark = pytest.mark.django_db


def test_the_finished_demo_has_a_total_a_grade_and_is_finalised(finalised_demo_year):
    year = finalised_demo_year
    assert year.status == YearStatus.FINALISED
    assert year.report_date == timezone.localdate()
    result = year_score(year, rules=year.scoring.rules)
    assert result.complete
    assert (result.total, result.grade) == (D("98.89"), "优")
    assert year.scoring.confirmed_by.username == "evaluator"
    steps = list(StatusChange.objects.filter(unit_year=year).values_list("action", "user__username"))
    assert steps == [("submit", "officer"), ("start_evaluation", "leader"), ("finalise", "leader")]


def test_one_indicator_is_partly_met_with_its_reason(finalised_demo_year):
    missed = Indicator.objects.get(unit_year=finalised_demo_year, name="解决群众问题的完成率")
    assert (missed.actual_value, missed.weight, missed.score) == (D("92"), D("3.57"), D("3.46"))
    assert missed.deviation_reason.startswith("部分群众反映的问题涉及跨部门协调")
    over = Indicator.objects.get(unit_year=finalised_demo_year, name="组织各类活动")
    assert "指标值设置偏低" in over.deviation_reason
    assert not Indicator.objects.filter(unit_year=finalised_demo_year, score__isnull=True).exists()


def test_every_finding_is_explained_and_noted_for_the_report(finalised_demo_year):
    findings = year_findings(finalised_demo_year)
    assert [f.code for f in findings] == ["income_general_public", "income_vs_spending"]
    assert all(f.explanation is not None for f in findings)
    notes = check_notes(finalised_demo_year)
    assert notes[0][0].startswith("其中：一般公共预算财政拨款（年初预算数）为 1269.21 万元，大于收入合计 880.51 万元")
    assert "按已公开的2024年度自评报告原样填列" in notes[0][1]
    assert len(notes) == 2


def test_finalised_is_idempotent_and_reset_reloads(capsys):
    call_command("load_demo", "--finalised", "--no-county")
    counts = (UnitYear.objects.count(), StatusChange.objects.count(), CheckExplanation.objects.count())
    call_command("load_demo", "--finalised", "--no-county")
    assert (UnitYear.objects.count(), StatusChange.objects.count(), CheckExplanation.objects.count()) == counts
    assert "已是定稿状态，未改动" in capsys.readouterr().out
    call_command("load_demo", "--reset", "--no-county")
    assert UnitYear.objects.get(year=2024, unit__code="430923-RD").status == YearStatus.DRAFT
    call_command("load_demo", "--finalised", "--no-county")
    assert UnitYear.objects.get(year=2024, unit__code="430923-RD").status == YearStatus.FINALISED


def test_the_draft_demo_can_be_finished_later(demo_year):
    call_command("load_demo", "--finalised", "--no-county")
    demo_year.refresh_from_db()
    assert demo_year.status == YearStatus.FINALISED
