"""The flow of a unit-year (DOMAIN.md §6):

    draft ──送审 (officer)──▶ submitted ──开始评价 (leader)──▶ evaluating ──定稿 (leader)──▶ finalised
      ▲                          │                               │                            │
      └────────退回 (leader, or the evaluation group's lead) ────┘                            │
      └────────────────────────────重新开启 (administrator)────────────────────────────────────┘

Each step is allowed only to its role (administrators hold every role), happens only from its
state, and is recorded as a ``StatusChange`` (who, when, from, to, reasons, comment). The status
is changed with a conditional UPDATE so two people acting at once cannot both succeed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from .models import Role, StatusChange, UnitYear, YearStatus
from .permissions import is_admin, roles_in_unit

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


def _may(user, unit_year: UnitYear, *roles: str) -> bool:
    return bool(roles_in_unit(user, unit_year.unit_id) & set(roles))


def _is_group_lead(user, unit_year: UnitYear) -> bool:
    from indicators.selectors import is_group_lead

    return is_group_lead(unit_year, user)


def allowed_actions(user, unit_year: UnitYear) -> list[str]:
    """The steps ``user`` may take now (for the page's buttons; services check again)."""
    if not getattr(user, "is_authenticated", False):
        return []
    status = unit_year.status
    out = []
    if status == YearStatus.DRAFT and _may(user, unit_year, Role.OFFICER):
        out.append(SUBMIT)
    if status == YearStatus.SUBMITTED and _may(user, unit_year, Role.LEADER):
        out.append(START)
    if status in (YearStatus.SUBMITTED, YearStatus.EVALUATING) and (
        _may(user, unit_year, Role.LEADER) or _is_group_lead(user, unit_year)
    ):
        out.append(SEND_BACK)
    if status == YearStatus.EVALUATING and _may(user, unit_year, Role.LEADER):
        out.append(FINALISE)
    if status == YearStatus.FINALISED and is_admin(user):
        out.append(REOPEN)
    return out


def _transition(
    *, unit_year: UnitYear, user, action: str, from_statuses: tuple[str, ...], to_status: str, reasons=(), comment=""
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


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def year_submit(*, unit_year: UnitYear, user, comment: str = "", acknowledge_warnings: bool = False) -> StatusChange:
    """送审 by the unit's finance officer. Blocking quality findings (weights) stop it; other
    findings must be acknowledged."""
    _require(_may(user, unit_year, Role.OFFICER), "只有本单位财务人员可以送审。")
    from indicators.quality import ERROR
    from indicators.selectors import year_quality

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
def year_start_evaluation(*, unit_year: UnitYear, user, comment: str = "") -> StatusChange:
    """The leader hands the submitted year to the evaluation group; the rule set is recorded."""
    _require(_may(user, unit_year, Role.LEADER), "只有单位领导可以交评价小组评分。")
    from indicators.models import EvaluationGroup
    from indicators.services import year_scoring_start

    if unit_year.status == YearStatus.SUBMITTED and not EvaluationGroup.objects.filter(unit_year=unit_year).exists():
        raise ValidationError("请先指定评价小组及组长，再开始评价。")
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
def year_send_back(*, unit_year: UnitYear, user, reasons: list[str], comment: str = "") -> StatusChange:
    """退回 to draft by the leader or the evaluation group's lead, with reasons from DOMAIN.md §5."""
    from indicators.quality import SEND_BACK_REASONS

    _require(
        _may(user, unit_year, Role.LEADER) or _is_group_lead(user, unit_year),
        "只有单位领导或评价小组组长可以退回。",
    )
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
def year_finalise(*, unit_year: UnitYear, user, comment: str = "") -> StatusChange:
    """定稿 by the leader, once the group lead has confirmed a complete result."""
    _require(_may(user, unit_year, Role.LEADER), "只有单位领导可以定稿。")
    if unit_year.status == YearStatus.EVALUATING:
        from indicators.models import YearScoring
        from indicators.selectors import year_score

        scoring = YearScoring.objects.filter(unit_year=unit_year).first()
        if scoring is None or scoring.confirmed_at is None:
            raise ValidationError("评价小组组长尚未确认小组评分结果，不能定稿。")
        result = year_score(unit_year, rules=scoring.rules)
        if not result.complete:
            raise ValidationError("尚有指标未评分或未设分值（或缺少预算执行数据），不能定稿。")
    return _transition(
        unit_year=unit_year,
        user=user,
        action=FINALISE,
        from_statuses=(YearStatus.EVALUATING,),
        to_status=YearStatus.FINALISED,
        comment=comment,
    )


REOPEN_TARGETS = (YearStatus.DRAFT, YearStatus.EVALUATING)


@transaction.atomic
def year_reopen(*, unit_year: UnitYear, user, comment: str, to_status: str = YearStatus.DRAFT) -> StatusChange:
    """An administrator reopens a finalised year (to draft, or back to evaluation); the reason
    is required and recorded."""
    _require(is_admin(user), "只有管理员可以重新开启已定稿的年度。")
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
