"""The finished demo (``load_demo --finalised``): the draft demo year taken through the real
flow — default weights, 送审, an evaluation group, every indicator scored by the group, the
lead's confirmation, written explanations of the reference's own contradictions, 定稿 — with
the services a user's clicks call, so it is exactly what the app would produce."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from budgets.models import ProjectKind, ProjectLine
from departments.models import UnitYear, YearStatus
from flow import services as flow
from flow.findings import open_findings
from indicators import services as indicators
from indicators.models import Goal, GoalKind, Indicator

from . import data, projects


@transaction.atomic
def demo_finalise(*, unit_year: UnitYear) -> bool:
    """Score, confirm, explain and finalise the demo year. Returns False when it is already
    finalised; refuses a year left half-way through the flow (load with --reset)."""
    if unit_year.status == YearStatus.FINALISED:
        return False
    if unit_year.status != YearStatus.DRAFT:
        raise ValidationError(
            f"演示年度当前为“{unit_year.get_status_display()}”，无法自动完成；请使用 --reset 重新载入。"
        )
    users = {u.username: u for u in get_user_model().objects.filter(username__in=("officer", "evaluator", "leader"))}
    officer, evaluator, leader = users["officer"], users["evaluator"], users["leader"]

    # The officer: 实际完成情况 of the annual goals, the ten projects' tables (generated,
    # demo.projects), 按默认权重分配, the bare targets read as proposed, the findings explained, 送审.
    annual = Goal.objects.filter(unit_year=unit_year, kind=GoalKind.ANNUAL).order_by("order", "id")
    for goal, achievement in zip(annual, data.ANNUAL_GOAL_ACHIEVEMENTS, strict=True):
        goal.achievement = achievement
        goal.full_clean()
        goal.save(update_fields=["achievement"])
    projects.demo_project_tables_create(unit_year)
    indicators.indicator_weights_default(unit_year=unit_year)
    indicators.indicator_confirm_directions(unit_year=unit_year)
    lines = list(ProjectLine.objects.filter(unit_year=unit_year, kind=ProjectKind.PROJECT).order_by("order"))
    for line in lines:  # each project's table, the same way (generated: demo.projects)
        indicators.indicator_weights_default(unit_year=unit_year, project=line)
        indicators.indicator_confirm_directions(unit_year=unit_year, project=line)
    for finding in open_findings(unit_year):
        if finding.code in data.CHECK_EXPLANATIONS:
            flow.check_explain(
                unit_year=unit_year,
                user=officer,
                key=finding.key,
                explanation=data.CHECK_EXPLANATIONS[finding.code],
            )
    flow.year_submit(unit_year=unit_year, user=officer, comment=data.SUBMIT_COMMENT, acknowledge_warnings=True)

    # The leader names the group; the group scores; its lead confirms.
    indicators.evaluation_group_name(unit_year=unit_year, user=leader, members=[evaluator], lead=evaluator)
    flow.year_start_evaluation(unit_year=unit_year, user=leader)
    for indicator in (
        Indicator.objects.select_related("unit_year").filter(unit_year=unit_year).of_department().order_by("order")
    ):
        actual, text, reason = data.SCORES[indicator.name]
        if isinstance(actual, tuple):
            band, score = actual
            indicators.member_score_save(
                indicator=indicator, member=evaluator, actual=text, band=band, score=score, deviation_reason=reason
            )
        else:
            indicators.member_score_save(indicator=indicator, member=evaluator, actual=actual, deviation_reason=reason)
    for line in lines:
        _score_project(unit_year=unit_year, line=line, evaluator=evaluator)
    indicators.group_result_confirm(unit_year=unit_year, user=evaluator)

    flow.year_finalise(unit_year=unit_year, user=leader, comment=data.FINALISE_COMMENT)
    return True


def _score_project(*, unit_year: UnitYear, line: ProjectLine, evaluator) -> None:
    """The group scores a project's generated table and writes its 实际完成情况."""
    _goal, outcome, table = projects.PROJECT_EVALUATIONS[line.name]
    results = {name: (result, reason) for _t1, _t2, name, _target, result, reason in table}
    for indicator in Indicator.objects.select_related("unit_year").filter(project=line).order_by("order"):
        result, reason = results[indicator.name]
        if isinstance(result, tuple):
            band, percent = result
            score = (indicator.weight * Decimal(percent) / 100).quantize(Decimal("0.01"))
            actual = (
                "按期完成" if indicator.target_kind == "deadline" else ("已达成" if band == "achieved" else "部分达成")
            )
            indicators.member_score_save(
                indicator=indicator, member=evaluator, actual=actual, band=band, score=score, deviation_reason=reason
            )
        else:
            indicators.member_score_save(indicator=indicator, member=evaluator, actual=result, deviation_reason=reason)
    indicators.project_evaluation_save(project=line, user=evaluator, actual_outcome=outcome + projects.GOAL_SUFFIX)
