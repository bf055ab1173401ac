"""The flow of a unit-year (docs/domain.md §6):

    draft ──送审 (officer)──▶ submitted ──开始评价 (leader)──▶ evaluating ──定稿 (leader)──▶ finalised
      ▲                          │                               │                            │
      └────────退回 (leader, or the evaluation group's lead) ────┘                            │
      └────────────────────────────重新开启 (administrator)────────────────────────────────────┘

Who may take each step is the access policy's (``departments.access.RULES``); each step happens
only from its state, and is recorded as a ``StatusChange`` (who, when, from, to, reasons,
comment). The status is changed with a conditional UPDATE so two people acting at once cannot
both succeed. Creating the next year is here too: it starts a new year from this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from budgets.services import figures_seed_next_year
from departments.access import Access, YearAccess
from departments.models import Duty, Organ, UnitYear, YearStatus
from indicators.models import EvaluationGroup, YearScoring
from indicators.quality import ERROR
from indicators.selectors import group_rule_set, group_size_problem, project_tables, year_quality, year_score
from indicators.services import year_scoring_start

from .findings import open_findings, year_findings
from .models import CheckExplanation, StatusChange
from .reasons import SEND_BACK_REASONS

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SUBMIT = "submit"
START = "start_evaluation"
SEND_BACK = "send_back"
FINALISE = "finalise"
REOPEN = "reopen"

ACTION_LABELS = {
    SUBMIT: "送审",
    START: "开始评价",
    SEND_BACK: "退回",
    FINALISE: "定稿",
    REOPEN: "重新开启",
}


def _year_access(user: User, unit_year: UnitYear) -> YearAccess:
    return Access.for_user(user).year(unit_year)


def _transition(
    *,
    unit_year: UnitYear,
    user: User,
    action: str,
    from_statuses: tuple[str, ...],
    to_status: str,
    reasons: Iterable[str] = (),
    comment: str = "",
) -> StatusChange:
    from_status = unit_year.status
    if from_status not in from_statuses:
        raise ValidationError(f"当前状态为“{YearStatus(from_status).label}”，不能{ACTION_LABELS[action]}。")
    updated = UnitYear.objects.filter(pk=unit_year.pk, status=from_status).update(
        status=to_status, version=F("version") + 1, updated_by=user
    )
    if not updated:
        raise ValidationError("该年度的状态刚被他人改变，请刷新页面后重试。")
    unit_year.refresh_from_db(fields=["status", "version", "updated_by"])
    change = StatusChange(
        unit_year=unit_year,
        from_status=from_status,
        to_status=to_status,
        action=action,
        user=user,
        reasons=list(reasons),
        comment=comment.strip(),
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def year_submit(
    *, unit_year: UnitYear, user: User, comment: str = "", acknowledge_warnings: bool = False
) -> StatusChange:
    """送审 by the unit's finance officer. Blocking quality findings (weights) stop it; other
    findings must be acknowledged."""
    _year_access(user, unit_year).require_role("submit")
    if unit_year.status == YearStatus.DRAFT:
        findings = year_quality(unit_year)
        blocking = [f for f in findings if f.severity == ERROR]
        if blocking:
            raise ValidationError(["送审前须先解决以下问题："] + [f"{f.problem}（{f.fix}）" for f in blocking])
        if findings and not acknowledge_warnings:
            raise ValidationError(f"指标质量检查发现 {len(findings)} 个问题，请确认已知悉后再送审。")
    return _transition(
        unit_year=unit_year,
        user=user,
        action=SUBMIT,
        from_statuses=(YearStatus.DRAFT,),
        to_status=YearStatus.SUBMITTED,
        comment=comment,
    )


@transaction.atomic
def year_start_evaluation(*, unit_year: UnitYear, user: User, comment: str = "") -> StatusChange:
    """The leader hands the submitted year to the evaluation group; the rule set is recorded."""
    _year_access(user, unit_year).require_role("start_evaluation")
    group = EvaluationGroup.objects.filter(unit_year=unit_year).first()
    if unit_year.status == YearStatus.SUBMITTED:
        if group is None:
            raise ValidationError("请先指定评价小组及组长，再开始评价。")
        too_small = group_size_problem(unit_year, group.members.count(), recorded=False)
        if too_small:
            raise ValidationError(too_small + "请先调整评价小组。")
    change = _transition(
        unit_year=unit_year,
        user=user,
        action=START,
        from_statuses=(YearStatus.SUBMITTED,),
        to_status=YearStatus.EVALUATING,
        comment=comment,
    )
    year_scoring_start(unit_year=unit_year)
    return change


@transaction.atomic
def year_send_back(*, unit_year: UnitYear, user: User, reasons: list[str], comment: str = "") -> StatusChange:
    """退回 to draft by the leader or the evaluation group's lead, with reasons (``flow.reasons``)."""
    _year_access(user, unit_year).require_role("send_back")
    unknown = [r for r in reasons if r not in SEND_BACK_REASONS]
    if unknown:
        raise ValidationError(f"未知的退回原因：{'、'.join(unknown)}。")
    if not reasons and not comment.strip():
        raise ValidationError("请至少选择一项退回原因或填写意见。")
    return _transition(
        unit_year=unit_year,
        user=user,
        action=SEND_BACK,
        from_statuses=(YearStatus.SUBMITTED, YearStatus.EVALUATING),
        to_status=YearStatus.DRAFT,
        reasons=reasons,
        comment=comment,
    )


@transaction.atomic
def year_finalise(*, unit_year: UnitYear, user: User, comment: str = "") -> StatusChange:
    """定稿 by the leader, once the group lead has confirmed a complete result and every
    数据校验 finding is resolved or explained in writing.

    报告日期: set to the finalisation date when empty; a date entered on 基本信息 is kept. A year
    reopened later keeps its date (the report stays dated as signed) until it is changed on 基本信息;
    finalising again does not move a date that is set."""
    _year_access(user, unit_year).require_role("finalise")
    if unit_year.status == YearStatus.EVALUATING:
        scoring = YearScoring.objects.filter(unit_year=unit_year).first()
        if scoring is None or scoring.confirmed_at is None:
            raise ValidationError("评价小组组长尚未确认小组评分结果，不能定稿。")
        result = year_score(unit_year, rules=scoring.rules)
        if not result.complete:
            raise ValidationError("尚有指标未评分或未设分值（或缺少预算执行数据），不能定稿。")
        unscored = [t.name for t in project_tables(unit_year, rules=scoring.rules) if not t.complete]
        if unscored:
            raise ValidationError(
                f"以下纳入自评的项目尚未评完（指标未评分、未设分值或缺少项目预算执行数据），不能定稿："
                f"{'、'.join(unscored)}。如某项目不纳入本年度自评，请在绩效指标表中注明理由。"
            )
        unexplained = open_findings(unit_year)
        if unexplained:
            raise ValidationError(
                ["定稿前须修改数据或逐条书面说明以下数据校验问题："] + [f"{f.message}" for f in unexplained]
            )
        _check_group_rules_at_finalise(unit_year=unit_year, user=user)
    change = _transition(
        unit_year=unit_year,
        user=user,
        action=FINALISE,
        from_statuses=(YearStatus.EVALUATING,),
        to_status=YearStatus.FINALISED,
        comment=comment,
    )
    if unit_year.report_date is None:
        unit_year.report_date = timezone.localdate()
        UnitYear.objects.filter(pk=unit_year.pk, report_date__isnull=True).update(report_date=unit_year.report_date)
    return change


@transaction.atomic
def check_explain(*, unit_year: UnitYear, user: User, key: str, explanation: str) -> CheckExplanation:
    """A written explanation of one current 数据校验 finding (identified by ``Finding.key``), by
    the finance officer while the year is a draft or the leader while it is being evaluated —
    the people at 送审 and 定稿. Writing again replaces the text (the history keeps the old)."""
    _year_access(user, unit_year).require_explain_findings()
    text = explanation.strip()
    if not text:
        raise ValidationError("请填写说明。")
    finding = next((f for f in year_findings(unit_year) if f.key == key), None)
    if finding is None:
        raise ValidationError("该数据校验问题已不存在或已变化（数据可能刚被修改），请刷新页面后重试。")
    note = finding.explanation or CheckExplanation(
        unit_year=unit_year, key=finding.key, code=finding.code, message=finding.message
    )
    note.explanation, note.user, note.at = text, user, timezone.now()
    note.full_clean()
    note.save()
    return note


def _check_group_rules_at_finalise(*, unit_year: UnitYear, user: User) -> None:
    """The rule set's group rules (default off): a group of at least N members, and a finaliser
    who is not the group's lead — so one leader cannot name themselves the group, score, confirm
    and finalise alone."""
    rule_set = group_rule_set(unit_year)
    if rule_set is None:
        return
    group = EvaluationGroup.objects.filter(unit_year=unit_year).first()
    too_small = group_size_problem(unit_year, group.members.count() if group else 0)
    if too_small:
        raise ValidationError(too_small + "不能定稿。")
    if rule_set.finaliser_not_lead and group is not None and group.lead_id == user.pk:
        raise ValidationError(f"评分规则“{rule_set.name}”要求定稿人不得为评价小组组长，请由其他单位领导定稿。")


REOPEN_TARGETS = (YearStatus.DRAFT, YearStatus.EVALUATING)


@transaction.atomic
def year_reopen(*, unit_year: UnitYear, user: User, comment: str, to_status: str = YearStatus.DRAFT) -> StatusChange:
    """An administrator reopens a finalised year (to draft, or back to evaluation); the reason
    is required and recorded."""
    _year_access(user, unit_year).require_role("reopen")
    if to_status not in REOPEN_TARGETS:
        raise ValidationError("只能重新开启为“草稿”或“评价中”。")
    if not comment.strip():
        raise ValidationError("请填写重新开启的原因。")
    return _transition(
        unit_year=unit_year,
        user=user,
        action=REOPEN,
        from_statuses=(YearStatus.FINALISED,),
        to_status=to_status,
        comment=comment,
    )


# ---------------------------------------------------------------- the next year


class NextYearExists(Exception):  # noqa: N818
    pass


@transaction.atomic
def unit_year_create_next(*, unit_year: UnitYear, user: User) -> UnitYear:
    """Start the next fiscal year from this one (the unit's finance officer): profile, duties,
    organisation and project names are copied; this year's figures become next year's 上年数.
    Amounts and texts that are the year's own (explanations, problems, measures) start blank."""
    _year_access(user, unit_year).require_role("create_next_year")
    if UnitYear.objects.filter(unit_id=unit_year.unit_id, year=unit_year.year + 1).exists():
        raise NextYearExists(f"{unit_year.unit.name} {unit_year.year + 1}年度已存在。")
    nxt = UnitYear(
        unit_id=unit_year.unit_id,
        year=unit_year.year + 1,
        status=YearStatus.DRAFT,
        headcount_authorized=unit_year.headcount_authorized,
        headcount_actual=unit_year.headcount_actual,
        contact_name=unit_year.contact_name,
        contact_phone=unit_year.contact_phone,
        function_summary=unit_year.function_summary,
        evaluation_method=unit_year.evaluation_method,
        updated_by=user,
    )
    nxt.full_clean()
    nxt.save()
    for duty in unit_year.duties.order_by("order", "id"):
        Duty.objects.create(unit_year=nxt, order=duty.order, text=duty.text)
    for organ in unit_year.organs.order_by("kind", "order", "id"):
        Organ.objects.create(
            unit_year=nxt, kind=organ.kind, order=organ.order, name=organ.name, affiliated_unit=organ.affiliated_unit
        )
    figures_seed_next_year(source=unit_year, target=nxt)
    return nxt
