"""Read-side queries for goals, indicators and scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet

from budgets.figures import year_figures
from departments.access import GROUP_LEAD, GROUP_MEMBER

from .models import EvaluationGroup, Indicator, LibraryIndicator, MemberScore, RuleSet, YearScoring
from .scoring import NATIONAL_RULES, IndicatorScore, Rules, YearScore, q, score_total

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from departments.models import UnitYear

    from .quality import Finding


def default_rules() -> Rules:
    """The administrator's default rule set (the national rules until someone changes them)."""
    rule_set = RuleSet.objects.default()
    return rule_set.to_rules() if rule_set else NATIONAL_RULES


def rules_for_year(unit_year: UnitYear, *, default: Rules | None = None) -> Rules:
    """The rules that score this year: the snapshot taken when its evaluation started, else the
    current default. ``select_related("scoring")`` saves the first query; pages listing many
    years pass ``default`` (one ``default_rules()`` per request) to save the second."""
    try:
        scoring = unit_year.scoring
    except YearScoring.DoesNotExist:
        scoring = None
    if scoring is not None:
        return scoring.rules
    return default if default is not None else default_rules()


def year_score(
    unit_year: UnitYear, *, rules: Rules | None = None, scores: dict[int, Decimal | None] | None = None
) -> YearScore:
    """The year's total and grade from the stored indicator scores and the budget figures.

    ``scores`` (indicator id → score) replaces the confirmed ``Indicator.score`` — the scoring
    page uses it for one member's running total and for the group's mean.
    Prefetch ``indicators`` and the ``budgets.figures.FIGURE_PREFETCH`` relations (and
    ``select_related("scoring")`` or pass ``rules``) to keep this free of queries.
    """
    rules = rules or rules_for_year(unit_year)
    rows = []
    for i in unit_year.indicators.all():
        score = scores.get(i.pk) if scores is not None else i.score
        rows.append(IndicatorScore(weight=i.weight, score=score, not_applicable=i.not_applicable))
    return score_total(
        indicators=rows,
        execution_rate=year_figures(unit_year).execution_rate,
        rules=rules,
    )


def evaluation_group(unit_year: UnitYear) -> EvaluationGroup | None:
    return (
        EvaluationGroup.objects.filter(unit_year=unit_year).select_related("lead").prefetch_related("members").first()
    )


def group_roles(unit_year: UnitYear, user: User | AnonymousUser) -> frozenset[str]:
    """The user's seats on the year's evaluation group (member, lead), in one query. Registered
    with the access policy (``departments.access.register_group_roles``) by ``IndicatorsConfig``."""
    if not user.is_authenticated:
        return frozenset()
    through = EvaluationGroup.members.through
    row = (
        EvaluationGroup.objects.filter(unit_year=unit_year)
        .annotate(is_member=Exists(through.objects.filter(evaluationgroup_id=OuterRef("pk"), user_id=user.pk)))
        .values_list("lead_id", "is_member")
        .first()
    )
    if row is None:
        return frozenset()
    lead_id, is_member = row
    roles: set[str] = set()
    if is_member:
        roles.add(GROUP_MEMBER)
    if lead_id == user.pk:
        roles.add(GROUP_LEAD)
    return frozenset(roles)


@dataclass
class GroupRow:
    """The group's result for one indicator: each member's score, the mean and the spread."""

    indicator: Indicator
    scores: list[MemberScore] = field(default_factory=list)
    expected: int = 0

    @property
    def values(self) -> list[Decimal]:
        return [s.score for s in self.scores]

    @property
    def mean(self) -> Decimal | None:
        return q(sum(self.values, Decimal(0)) / len(self.values)) if self.values else None

    @property
    def spread(self) -> Decimal | None:
        return q(max(self.values) - min(self.values)) if self.values else None

    @property
    def complete(self) -> bool:
        return self.indicator.not_applicable or len(self.scores) >= self.expected


def group_results(unit_year: UnitYear, group: EvaluationGroup | None = None) -> list[GroupRow]:
    """Per indicator, the scores of the group's members (two queries)."""
    group = group if group is not None else evaluation_group(unit_year)
    member_ids = {m.pk for m in group.members.all()} if group else set()
    indicators = list(unit_year.indicators.all())
    rows = {i.pk: GroupRow(indicator=i, expected=len(member_ids)) for i in indicators}
    for s in (
        MemberScore.objects.filter(indicator__unit_year=unit_year).select_related("member").order_by("member__username")
    ):
        if s.member_id in member_ids and s.indicator_id in rows:
            rows[s.indicator_id].scores.append(s)
    return [rows[i.pk] for i in indicators]


def member_scores(unit_year: UnitYear, member: User) -> dict[int, MemberScore]:
    return {s.indicator_id: s for s in MemberScore.objects.filter(indicator__unit_year=unit_year, member=member)}


def library_for_unit(unit_id: int | None, *, tier1: str = "", query: str = "") -> QuerySet[LibraryIndicator]:
    qs = LibraryIndicator.objects.for_unit(unit_id)
    if tier1:
        qs = qs.filter(tier1=tier1)
    if query:
        qs = qs.filter(name__icontains=query)
    return qs


def year_quality(unit_year: UnitYear, *, rules: Rules | None = None) -> list[Finding]:
    """The quality findings of the year's indicator table (one query for the indicators)."""
    from .quality import check_indicators

    rules = rules or rules_for_year(unit_year)
    return check_indicators(unit_year.indicators.all(), rules=rules, year=unit_year.year)
