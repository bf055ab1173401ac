"""Actions that change indicators, the library, the evaluation group and scores.

Who may act (score, confirm, name the group) is asked of the access policy
(``departments.access``) here too, so a service called outside a view is just as safe.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from budgets.models import ProjectLine
from budgets.services import project_funds_write
from departments.access import Access
from departments.models import Membership, Role, UnitYear, YearStatus
from departments.services import renumber, unit_year_claim

from .directions import propose_direction
from .models import (
    EvaluationGroup,
    Goal,
    Indicator,
    LibraryIndicator,
    LibrarySource,
    MemberScore,
    ProjectEvaluation,
    RuleSet,
    TargetKind,
    YearScoring,
)
from .scoring import Rules, ScoringError, check_qualitative, q, score_quantitative
from .selectors import RuleBook, group_results, group_size_problem, project_rules, rules_for_year
from .targets import parse_target
from .vocabulary import Band, direction_of_comparator

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CENT = Decimal("0.01")


# --- the indicator table ------------------------------------------------------------------


def indicator_set_target(*, indicator: Indicator, text: str) -> None:
    """Parse the target as typed ("≥20次", "有效促进", "2024年12月底之前完成") into its parts."""
    try:
        parsed = parse_target(text)
    except ValueError as exc:
        raise ValidationError({"target": str(exc)}) from exc
    indicator.target_kind = parsed.kind
    indicator.comparator = parsed.comparator
    indicator.target_value = parsed.value
    indicator.target_unit = parsed.unit
    indicator.target_text = parsed.text
    indicator.deadline = parsed.deadline
    if not indicator.is_bare:
        # A comparator written out says the direction itself.
        indicator.direction_proposed = indicator.direction = ""


def indicator_propose_direction(*, indicator: Indicator, library_direction: str | None = None) -> None:
    """For a bare quantitative target ("3%"), propose the direction from the indicator's meaning:
    its library entry's direction (looked up by name among the entries the unit may use, unless
    given), else its wording, tier 2 and unit. The officer's confirmed ``direction`` is kept."""
    if not indicator.is_bare:
        indicator.direction_proposed = indicator.direction = ""
        return
    if library_direction is None:
        unit_id = indicator.unit_year.unit_id if indicator.unit_year_id else None
        library_direction = (
            LibraryIndicator.objects.for_unit(unit_id)
            .filter(name=indicator.name)
            .exclude(direction="")
            .values_list("direction", flat=True)
            .first()
        ) or ""
    indicator.direction_proposed = propose_direction(
        name=indicator.name, tier2=indicator.tier2, unit=indicator.target_unit, library_direction=library_direction
    ).direction


def indicator_confirm_directions(
    *,
    unit_year: UnitYear,
    indicator_ids: list[int] | None = None,
    user: User | None = None,
    expected_version: int | None = None,
    project: ProjectLine | None = None,
) -> int:
    """确认建议方向: the officer accepts the proposed direction of bare targets (all of the
    department's table or of one project's, or the ones named). Returns the number confirmed."""
    _require_editable(unit_year)
    qs = unit_year.indicators.of_table(project).filter(target_kind=TargetKind.QUANTITATIVE, comparator="", direction="")
    if indicator_ids is not None:
        qs = qs.filter(pk__in=indicator_ids)
    confirmed = 0
    with transaction.atomic():
        _claim(unit_year=unit_year, user=user, expected_version=expected_version)
        for ind in qs:
            if ind.proposal:  # the stored proposal, else the wording's
                before = scoring_key(ind)
                ind.direction_proposed = ind.direction = ind.proposal
                ind.save(update_fields=["direction_proposed", "direction"])
                indicator_reset_stale_scores(indicator=ind, before=before)
                confirmed += 1
    return confirmed


def _claim(*, unit_year: UnitYear, user: User | None, expected_version: int | None) -> None:
    """Claim the year's version for a save made from a page (``expected_version`` is the hidden
    ``version`` the page was read at; a stale page raises ``EditConflict``). ``None`` is a
    script or a test acting without a page: nothing to compare against."""
    if expected_version is not None:
        if user is None:
            raise ValueError("A claimed save names its user.")
        unit_year_claim(unit_year=unit_year, user=user, expected_version=expected_version)


# What a member's score of an indicator was measured against: when any of these change, the
# score no longer means anything (a qualitative band cannot score "≥20次").
SCORING_FIELDS = (
    "target_kind",
    "comparator",
    "target_value",
    "target_unit",
    "target_text",
    "deadline",
    "direction",
    "weight",
    "not_applicable",
)

STALE_SCORES_NOTE = "指标值已修改，原评分已清除，请重新评分"


def scoring_key(indicator: Indicator) -> tuple:
    return tuple(getattr(indicator, name) for name in SCORING_FIELDS)


def indicator_reset_stale_scores(*, indicator: Indicator, before: tuple | None) -> int:
    """After an indicator was saved: if what its scores were measured against changed
    (``before`` is ``scoring_key`` of the stored row, None for a new one), clear the members'
    scores and the group's result for it and mark it, so the group sees
    ``STALE_SCORES_NOTE`` on the scoring page. Returns the member scores cleared."""
    if before is None or before == scoring_key(indicator):
        return 0
    cleared, _ = MemberScore.objects.filter(indicator=indicator).delete()
    if cleared or indicator.score is not None or indicator.actual_value is not None or indicator.actual_text:
        indicator.score = indicator.actual_value = None
        indicator.actual_text = ""
        indicator.scores_reset_at = timezone.now()
        indicator.save(update_fields=["score", "actual_value", "actual_text", "scores_reset_at"])
        YearScoring.objects.filter(unit_year_id=indicator.unit_year_id).update(confirmed_at=None, confirmed_by=None)
    return cleared


def _require_editable(unit_year: UnitYear) -> None:
    if not unit_year.is_draft:
        raise PermissionDenied("该年度已送审或定稿，不能再修改。")


def _next_order(unit_year: UnitYear, fund_category: str, project: ProjectLine | int | None = None) -> int:
    top = unit_year.indicators.of_table(project).filter(fund_category=fund_category).aggregate(m=Max("order"))["m"]
    return (top or 0) + 1


def _require_project_of(unit_year: UnitYear, project: ProjectLine | None) -> None:
    if project is not None and project.unit_year_id != unit_year.pk:
        raise PermissionDenied("该项目不属于本年度。")


def indicator_create(
    *,
    unit_year: UnitYear,
    fund_category: str,
    tier1: str,
    tier2: str,
    name: str,
    target: str,
    project: ProjectLine | None = None,
    **extra,
) -> Indicator:
    _require_editable(unit_year)
    _require_project_of(unit_year, project)
    indicator = Indicator(
        unit_year=unit_year,
        project=project,
        fund_category=fund_category,
        tier1=tier1,
        tier2=tier2,
        name=name,
        order=_next_order(unit_year, fund_category, project),
    )
    library_direction = extra.pop("library_direction", None)
    indicator_set_target(indicator=indicator, text=target)
    for key, value in extra.items():
        setattr(indicator, key, value)
    indicator_propose_direction(indicator=indicator, library_direction=library_direction)
    indicator.full_clean()
    indicator.save()
    return indicator


def indicator_delete(*, indicator: Indicator) -> None:
    _require_editable(indicator.unit_year)
    indicator.delete()


def indicator_move(
    *, indicator: Indicator, up: bool, user: User | None = None, expected_version: int | None = None
) -> None:
    """Swap the indicator with its neighbour in the same group (renumbering the group 1..n)."""
    _require_editable(indicator.unit_year)
    with transaction.atomic():
        _claim(unit_year=indicator.unit_year, user=user, expected_version=expected_version)
        rows = list(
            indicator.unit_year.indicators.of_table(indicator.project_id)
            .filter(fund_category=indicator.fund_category)
            .order_by("order", "id")
        )
        i = next(k for k, r in enumerate(rows) if r.pk == indicator.pk)
        j = i - 1 if up else i + 1
        if 0 <= j < len(rows):
            rows[i], rows[j] = rows[j], rows[i]
        for n, row in enumerate(rows, start=1):
            if row.order != n:
                row.order = n
                row.save(update_fields=["order"])


def indicator_weights_default(
    *,
    unit_year: UnitYear,
    rules: Rules | None = None,
    user: User | None = None,
    expected_version: int | None = None,
    project: ProjectLine | None = None,
) -> int:
    """按默认权重分配: spread each tier-1 weight of the rule set evenly over its tier-3
    indicators (both groups together), two decimals, the remainder on the last one, so every
    tier sums exactly — of the department's table, or of ``project``'s (under its own weights
    when it has them). Returns the number of indicators weighted."""
    _require_editable(unit_year)
    _require_project_of(unit_year, project)
    rules = rules or project_rules(unit_year, project)
    by_tier1: dict[str, list[Indicator]] = defaultdict(list)
    for ind in unit_year.indicators.of_table(project).ordered():
        by_tier1[ind.tier1].append(ind)
    changed = 0
    with transaction.atomic():
        _claim(unit_year=unit_year, user=user, expected_version=expected_version)
        for tier1, weight in rules.tier1_weights.items():
            rows = by_tier1.get(tier1, [])
            if not rows:
                continue
            share = (weight / len(rows)).quantize(CENT, rounding=ROUND_DOWN)
            for k, ind in enumerate(rows):
                before = scoring_key(ind)
                ind.weight = share if k < len(rows) - 1 else weight - share * (len(rows) - 1)
                if ind.score is not None and ind.score > ind.weight:
                    ind.score = None
                ind.full_clean()
                ind.save(update_fields=["weight", "score"])
                indicator_reset_stale_scores(indicator=ind, before=before)
                changed += 1
    return changed


@transaction.atomic
def indicator_add_from_library(
    *,
    unit_year: UnitYear,
    entry: LibraryIndicator,
    fund_category: str,
    user: User | None = None,
    expected_version: int | None = None,
    project: ProjectLine | None = None,
) -> Indicator:
    if entry.unit_id not in (None, unit_year.unit_id):
        raise PermissionDenied("不能使用其他单位的自建指标。")
    _require_editable(unit_year)
    _claim(unit_year=unit_year, user=user, expected_version=expected_version)
    target = entry.suggested_target or "待定"
    return indicator_create(
        unit_year=unit_year,
        fund_category=fund_category,
        tier1=entry.tier1,
        tier2=entry.tier2,
        name=entry.name,
        target=target,
        grading_standard=entry.grading_standard,
        library_direction=entry.direction,
        project=project,
    )


def library_save_indicator(*, indicator: Indicator, user) -> LibraryIndicator:
    """A unit saves one of its indicators into the library (visible to that unit only)."""
    entry, _ = LibraryIndicator.objects.update_or_create(
        tier1=indicator.tier1,
        tier2=indicator.tier2,
        name=indicator.name,
        unit_id=indicator.unit_year.unit_id,
        defaults={
            "target_unit": indicator.target_unit,
            "suggested_target": indicator.target_display,
            "direction": indicator.direction or direction_of_comparator(indicator.comparator),
            "grading_standard": indicator.grading_standard,
            "source": LibrarySource.UNIT,
            "created_by": user,
            "active": True,
        },
    )
    entry.full_clean()
    return entry


# --- the evaluation group -----------------------------------------------------------------


def group_candidates(unit_year: UnitYear):
    """People who may sit on the group: the unit's evaluators and leaders."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(unit=unit_year.unit, role__in=[Role.EVALUATOR, Role.LEADER]).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


def evaluation_group_name(
    *, unit_year: UnitYear, user, members: list, lead, expected_version: int | None = None
) -> EvaluationGroup:
    """An administrator or the unit's leader names the group and its lead (claiming the year's
    version when called from the page, so two leaders on stale pages cannot overwrite each other)."""
    Access.for_user(user).year(unit_year).require("name_group")
    allowed = set(group_candidates(unit_year).values_list("pk", flat=True))
    members = list(members)
    if not members:
        raise ValidationError({"members": "请至少选择一名小组成员。"})
    if any(m.pk not in allowed for m in members):
        raise ValidationError({"members": "小组成员须为本单位的评价小组成员或单位领导。"})
    if lead is None or lead.pk not in {m.pk for m in members}:
        raise ValidationError({"lead": "组长须是小组成员之一。"})
    too_small = group_size_problem(unit_year, len(members), recorded=unit_year.status == YearStatus.EVALUATING)
    if too_small:
        raise ValidationError({"members": too_small})
    with transaction.atomic():
        _claim(unit_year=unit_year, user=user, expected_version=expected_version)
        group, _ = EvaluationGroup.objects.update_or_create(
            unit_year=unit_year, defaults={"lead": lead, "named_by": user}
        )
        group.full_clean()
        group.members.set(members)
        YearScoring.objects.filter(unit_year=unit_year).update(confirmed_at=None, confirmed_by=None)
    return group


# --- scoring ------------------------------------------------------------------------------


def year_scoring_start(*, unit_year: UnitYear, book: RuleBook | None = None) -> YearScoring:
    """Record the rules that score this year (called when evaluation starts): the rules in force
    for its unit and year — the most specific assignment, else the default rule set, with the
    unit-year's own tier-1 weights — kept as a snapshot, so later edits do not rescore it."""
    book = book or RuleBook()
    in_force = book.resolve(unit_year)
    rule_set_id, rules = in_force.rule_set_id, in_force.rules
    if rule_set_id is None:  # no rule set stored yet: the national rules become the default
        rule_set = RuleSet.objects.default_or_national()
        rule_set_id, rules = rule_set.pk, rule_set.to_rules(origin="默认规则")
    scoring, _ = YearScoring.objects.update_or_create(
        unit_year=unit_year,
        defaults={"rule_set_id": rule_set_id, "rules_snapshot": rules.to_data(), "confirmed_at": None},
    )
    return scoring


def _parse_number(text: str) -> Decimal:
    try:
        parsed = parse_target(text)
    except ValueError as exc:
        raise ValidationError({"actual": "请填写实际完成值。"}) from exc
    if parsed.kind != TargetKind.QUANTITATIVE or parsed.value is None:
        raise ValidationError({"actual": f"“{text}”不是数值，请填写如“22”或“98%”的实际完成值。"})
    return parsed.value


def _parse_score(text) -> Decimal | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        value = Decimal(str(text).strip())
    except ArithmeticError as exc:
        raise ValidationError({"score": "得分须为数字。"}) from exc
    if not value.is_finite():
        raise ValidationError({"score": "得分须为数字。"})
    return value


def member_score_save(
    *,
    indicator: Indicator,
    member,
    actual: str = "",
    band: str = "",
    score: str | Decimal | None = None,
    override_reason: str = "",
    deviation_reason: str = "",
) -> MemberScore:
    """One member's actual value and score for one indicator, checked against the rules.

    Quantitative: the engine proposes the score; a member may lower it (a deduction, e.g. for
    a target set too low) with a reason, never raise it. Qualitative and deadline targets: a
    band and a score inside it. A missed or far-exceeded target needs a deviation reason.
    """
    unit_year = indicator.unit_year
    Access.for_user(member).year(unit_year).require("score")
    if indicator.not_applicable:
        raise ValidationError("该指标已标记为不适用，无须评分。")
    if indicator.weight is None:
        raise ValidationError("该指标尚未设置分值，请退回财务人员设置分值（可按默认权重分配）。")
    rules = rules_for_year(unit_year)
    weight = indicator.weight
    actual = (actual or "").strip()
    override_reason = (override_reason or "").strip()
    deviation_reason = (deviation_reason or "").strip()
    value = _parse_score(score)
    record = MemberScore.objects.filter(indicator=indicator, member=member).first() or MemberScore(
        indicator=indicator, member=member
    )
    record.deviation_reason = deviation_reason
    record.actual_value, record.actual_text, record.band = None, "", ""
    record.proposed_score, record.over_achieved, record.override_reason = None, False, ""
    record.deduction, record.deduction_note = Decimal("0"), ""

    if indicator.target_kind == TargetKind.QUANTITATIVE:
        if not actual:
            raise ValidationError({"actual": "请填写实际完成值。"})
        actual_value = _parse_number(actual)
        try:
            result = score_quantitative(
                comparator=indicator.comparator,
                direction=indicator.direction,
                target=indicator.target_value,
                actual=actual_value,
                weight=weight,
                rules=rules,
            )
        except ScoringError as exc:
            raise ValidationError({"actual": str(exc)}) from exc
        proposed = result.score
        value = proposed if value is None else q(value)
        if value < 0:
            raise ValidationError({"score": "得分不能为负数。"})
        if value > proposed:
            raise ValidationError(
                {"score": f"按评分规则该指标最高得 {proposed} 分，得分不能高于建议得分（只可在说明理由后扣减）。"}
            )
        if value < proposed and not override_reason:
            raise ValidationError({"override_reason": f"得分低于建议得分 {proposed} 分，请填写调整理由。"})
        if result.over_achieved and not deviation_reason:
            line = format(rules.overachievement_percent.normalize(), "f")
            raise ValidationError(
                {
                    "deviation_reason": f"实际完成值达到指标值的 {line}% 以上，说明指标值可能设置偏低，"
                    "请在偏差原因中说明。"
                }
            )
        if not result.met and not deviation_reason:
            raise ValidationError({"deviation_reason": "未达到指标值，请填写偏差原因分析及改进措施。"})
        record.actual_value = actual_value
        record.proposed_score = proposed
        record.over_achieved = result.over_achieved
        record.deduction, record.deduction_note = result.deduction, result.note
        record.override_reason = override_reason if value < proposed else ""
    else:
        if band not in Band.values:
            raise ValidationError({"band": "请选择评价档次。"})
        if value is None:
            raise ValidationError({"score": "请填写得分。"})
        try:
            value = check_qualitative(band=band, score=value, weight=weight, rules=rules)
        except ScoringError as exc:
            raise ValidationError({"score": str(exc)}) from exc
        if band != Band.ACHIEVED and not deviation_reason:
            raise ValidationError({"deviation_reason": "未完全达成，请填写偏差原因分析及改进措施。"})
        record.actual_text = actual
        record.band = band
        record.override_reason = override_reason
    record.score = value
    record.full_clean()
    with transaction.atomic():
        record.save()
        # A changed score makes an earlier confirmation of the group result stale.
        YearScoring.objects.filter(unit_year=unit_year, confirmed_at__isnull=False).update(
            confirmed_at=None, confirmed_by=None
        )
    return record


def group_result_confirm(*, unit_year: UnitYear, user) -> int:
    """The group lead confirms the result: each indicator's score becomes the mean of the
    members' scores; the actual value and deviation reason are the lead's (else a member's)."""
    group = EvaluationGroup.objects.filter(unit_year=unit_year).prefetch_related("members").first()
    if group is None and unit_year.status == YearStatus.EVALUATING:
        raise ValidationError("尚未指定评价小组。")
    Access.for_user(user).year(unit_year).require("confirm")
    excluded = {e.project_id for e in ProjectEvaluation.objects.filter(project__unit_year=unit_year, included=False)}
    # Every table at once: the department's and each project's marked for evaluation.
    rows = [r for r in group_results(unit_year, group) if r.indicator.project_id not in excluded]
    incomplete = [_row_name(r.indicator) for r in rows if not r.complete]
    if incomplete:
        raise ValidationError(f"以下指标尚有成员未评分：{'、'.join(incomplete)}。")
    with transaction.atomic():
        for row in rows:
            ind = row.indicator
            if ind.not_applicable:
                continue
            pick = next((s for s in row.scores if s.member_id == group.lead_id), row.scores[0])
            ind.score = row.mean
            ind.actual_value = pick.actual_value
            ind.actual_text = pick.actual_text
            reasons = [pick.deviation_reason] + [s.deviation_reason for s in row.scores if s is not pick]
            ind.deviation_reason = "；".join(dict.fromkeys(r for r in reasons if r))
            ind.full_clean()
            ind.save(update_fields=["score", "actual_value", "actual_text", "deviation_reason"])
        scoring = YearScoring.objects.filter(unit_year=unit_year).first() or year_scoring_start(unit_year=unit_year)
        scoring.confirmed_by = user
        scoring.confirmed_at = timezone.now()
        scoring.save(update_fields=["confirmed_by", "confirmed_at"])
    return len(rows)


def _row_name(indicator: Indicator) -> str:
    return f"{indicator.project.name}·{indicator.name}" if indicator.project_id else indicator.name


def indicator_table_save(
    *,
    unit_year: UnitYear,
    formset,
    user: User | None = None,
    expected_version: int | None = None,
    project: ProjectLine | None = None,
) -> int:
    """Save the editor's valid formset: deletions, changes and new rows. Returns rows saved.

    The year's version is claimed first, so a save from a stale page raises ``EditConflict``
    with nothing written. A changed target, kind, comparator, weight or deadline clears the
    members' scores of that indicator (``indicator_reset_stale_scores``)."""
    _require_editable(unit_year)
    _require_project_of(unit_year, project)
    saved = 0
    with transaction.atomic():
        _claim(unit_year=unit_year, user=user, expected_version=expected_version)
        stored = {ind.pk: scoring_key(ind) for ind in unit_year.indicators.all()}
        deleted = {id(f) for f in formset.deleted_forms}
        for form in formset.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        for form in formset.forms:
            if id(form) in deleted or not form.has_changed():
                continue
            indicator = form.save(commit=False)
            indicator.unit_year = unit_year
            if indicator.pk is None:
                indicator.project = project
            elif indicator.project_id != (project.pk if project else None):
                raise PermissionDenied("指标不属于当前指标表。")
            if indicator.order is None:
                indicator.order = _next_order(unit_year, indicator.fund_category, project)
            if indicator.not_applicable:
                indicator.score = None
            indicator_propose_direction(indicator=indicator)
            indicator.full_clean()
            indicator.save()
            indicator_reset_stale_scores(indicator=indicator, before=stored.get(indicator.pk))
            saved += 1
    return saved


@transaction.atomic
def goals_save(*, unit_year: UnitYear, user, expected_version: int, formsets) -> None:
    """Save the 绩效目标 page: the goal tables (validated ``(kind, title, formset)`` as built by
    ``forms.goal_formsets``) as one change, claiming the year's version."""
    Access.for_user(user).year(unit_year).require("edit")
    unit_year_claim(unit_year=unit_year, user=user, expected_version=expected_version)
    for kind, _title, formset in formsets:
        for goal in formset.save(commit=False):
            goal.unit_year = unit_year
            goal.kind = kind
            goal.full_clean()
            goal.save()
        for goal in formset.deleted_objects:
            goal.delete()
    renumber(Goal.objects.filter(unit_year=unit_year), group_by="kind")


# --- a project's self-evaluation ------------------------------------------------------------

GOAL_FIELDS = ("expected_goal", "included", "exclusion_reason", *ProjectEvaluation.WEIGHT_FIELDS, "weights_reason")


def project_evaluation_save(
    *,
    project: ProjectLine,
    user: User,
    expected_version: int | None = None,
    funds: dict[str, dict[str, Decimal | None]] | None = None,
    **values,
) -> ProjectEvaluation:
    """A project's 年度总体目标 and settings. The finance officer, while the year is a draft, sets
    the 预期目标, whether the project is evaluated (不纳入自评 with a reason), its own tier-1
    weights with the reason and its money by source (``funds``, written by
    ``budgets.services.project_funds_write`` in the same transaction); the evaluation group,
    while scoring, writes the 实际完成情况."""
    unit_year = project.unit_year
    can = Access.for_user(user).year(unit_year)
    evaluation = ProjectEvaluation.objects.filter(project=project).first() or ProjectEvaluation(project=project)
    goal_values = {k: v for k, v in values.items() if k in GOAL_FIELDS}
    outcome = values.get("actual_outcome")
    unknown = set(values) - set(GOAL_FIELDS) - {"actual_outcome"}
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if goal_values or funds is not None:
        can.require("edit_indicators")
    if outcome is not None and not goal_values and not (can.score or can.edit_indicators):
        can.require("score")
    for name, value in goal_values.items():
        setattr(evaluation, name, value)
    if outcome is not None:
        evaluation.actual_outcome = outcome
    evaluation.full_clean()
    with transaction.atomic():
        _claim(unit_year=unit_year, user=user, expected_version=expected_version)
        evaluation.save()
        if funds is not None:
            project_funds_write(project=project, funds=funds)
    return evaluation
