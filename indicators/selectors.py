"""Read-side queries for goals, indicators and scores."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, TextField

from budgets.figures import Amounts, ProjectFigure, YearFigures, project_figures, year_spending_total
from budgets.models import ProjectKind, ProjectLine, SpendingLine
from departments.access import GROUP_LEAD, GROUP_MEMBER, GROUP_SEAT_ANNOTATIONS
from perfeval.jsonrows import from_row_json, json_row, row_json

from .models import (
    EvaluationGroup,
    Indicator,
    LibraryIndicator,
    MemberScore,
    ProjectEvaluation,
    RuleSet,
    RuleSetAssignment,
    UnitYearWeights,
    YearScoring,
    department_only,
)
from .scoring import NATIONAL_RULES, IndicatorScore, Rules, YearScore, q, score_total

# What ``year_score`` and the project tables read besides the indicators (and the scoring
# record): the spending lines (预算执行率, 无预算) and the project lines (each project's own
# money) with their evaluations (goal, inclusion, own weights: ``project_evaluations``). Their
# readers key or sort them themselves: the models' ordering (by unit and year, two joins) is left out.
SCORE_PREFETCH = (
    Prefetch("spending_lines", queryset=SpendingLine.objects.order_by()),
    Prefetch("project_lines", queryset=ProjectLine.objects.select_related("evaluation").order_by()),
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from departments.models import UnitYear

    from .quality import Finding


@dataclass(frozen=True)
class RulesInForce:
    rules: Rules
    rule_set_id: int | None  # None: no rule set stored (the national rules)


# The default rule set as one JSON value of the year's own query (``with_rules_in_force``):
# every stored field but the free-text note.
_RULE_SET_FIELDS = tuple(f for f in RuleSet._meta.concrete_fields if f.name != "note")
RULES_HEAD = "rules_default_"
RULES_HEAD_FLAGS = ("rules_any_assignment_", "rules_any_weights_")


def with_rules_in_force(queryset: QuerySet[UnitYear]) -> QuerySet[UnitYear]:
    """``queryset`` with what ``RuleBook`` reads first — the default rule set and whether any
    assignment or unit-year weights exist — fetched with each year: a page that resolves its
    year's rules (``rules_for_year``) then runs no query for them in the usual case."""
    default = RuleSet.objects.filter(is_default=True).values(json=row_json(_RULE_SET_FIELDS))[:1]
    return queryset.annotate(
        **{
            RULES_HEAD: Subquery(default, output_field=TextField()),
            RULES_HEAD_FLAGS[0]: Exists(RuleSetAssignment.objects.all()),
            RULES_HEAD_FLAGS[1]: Exists(UnitYearWeights.objects.all()),
        }
    )


class RuleBook:
    """The rules in force for unit-years that have not started evaluation: the default rule set,
    the administrator's assignments (a unit, or a unit and all below it; one year or every year)
    and the unit-years' own tier-1 weights.

    One query when there are no assignments and no unit-year weights (the usual case) — none
    when ``head`` is a year fetched ``with_rules_in_force`` —; otherwise three or four more,
    loaded on first use — however many unit-years it then resolves."""

    def __init__(self, head: UnitYear | None = None) -> None:
        if head is not None and RULES_HEAD in head.__dict__:
            data = json_row(head.__dict__[RULES_HEAD])
            rule_set = from_row_json(RuleSet, _RULE_SET_FIELDS, data) if data is not None else None
            self._has_assignments, self._has_weights = (bool(head.__dict__[f]) for f in RULES_HEAD_FLAGS)
        else:
            rule_set = (
                RuleSet.objects.filter(is_default=True)
                .annotate(
                    any_assignment=Exists(RuleSetAssignment.objects.all()),
                    any_weights=Exists(UnitYearWeights.objects.all()),
                )
                .first()
            )
            if rule_set is None:
                self._has_assignments = RuleSetAssignment.objects.exists()
                self._has_weights = UnitYearWeights.objects.exists()
            else:
                self._has_assignments, self._has_weights = rule_set.any_assignment, rule_set.any_weights
        if rule_set is None:
            self.default = RulesInForce(NATIONAL_RULES, None)
        else:
            self.default = RulesInForce(rule_set.to_rules(origin="默认规则"), rule_set.pk)
        self._assignments: dict[tuple[int, int | None], RuleSetAssignment] | None = None
        self._parents: dict[int, int | None] = {}
        self._weights: dict[int, UnitYearWeights] | None = None

    def _load_assignments(self) -> dict[tuple[int, int | None], RuleSetAssignment]:
        if self._assignments is None:
            self._assignments = {}
            if self._has_assignments:
                for a in RuleSetAssignment.objects.select_related("rule_set", "unit"):
                    self._assignments[(a.unit_id, a.year)] = a
                from departments.models import Unit

                self._parents = dict(Unit.objects.values_list("id", "parent_id"))
        return self._assignments

    def _load_weights(self) -> dict[int, UnitYearWeights]:
        if self._weights is None:
            self._weights = {w.unit_year_id: w for w in UnitYearWeights.objects.all()} if self._has_weights else {}
        return self._weights

    def _assignment(self, unit_id: int, year: int) -> tuple[RuleSetAssignment, bool] | None:
        """The most specific assignment and whether it was made on the unit itself."""
        assignments = self._load_assignments()
        current: int | None = unit_id
        own = True
        seen: set[int] = set()
        while current is not None and current not in seen:
            seen.add(current)
            for key in ((current, year), (current, None)):
                found = assignments.get(key)
                if found is not None and (own or found.include_descendants):
                    return found, own
            current, own = self._parents.get(current), False
        return None

    def resolve(self, unit_year: UnitYear) -> RulesInForce:
        resolved = self.default
        if self._has_assignments:
            hit = self._assignment(unit_year.unit_id, unit_year.year)
            if hit is not None:
                a, own = hit
                origin = f"指定给本单位{'' if a.year is None else f'{a.year}年度'}"
                if not own:
                    origin = f"指定给上级单位“{a.unit.name}”及其下级单位"
                resolved = RulesInForce(a.rule_set.to_rules(origin=origin), a.rule_set_id)
        weights = self._load_weights().get(unit_year.pk) if self._has_weights else None
        if weights is not None:
            resolved = RulesInForce(weights.apply(resolved.rules), resolved.rule_set_id)
        return resolved

    def for_unit_year(self, unit_year: UnitYear) -> Rules:
        return self.resolve(unit_year).rules


def rule_book() -> RuleBook:
    return RuleBook()


def default_rules() -> RuleBook:
    """The rules in force for years not yet in evaluation — one ``RuleBook`` per request, for
    pages and refreshes that resolve many years (``rules_for_year(..., default=default_rules())``).
    ``default_rules().default.rules`` is the administrator's default rule set."""
    return RuleBook()


def rules_for_year(unit_year: UnitYear, *, default: RuleBook | Rules | None = None) -> Rules:
    """The rules that score this year: the snapshot taken when its evaluation started, else the
    rules in force for its unit and year (the most specific assignment, else the default rule
    set; then the unit-year's own tier-1 weights). ``select_related("scoring")`` saves the first
    query; pages listing many years pass ``default`` (one ``default_rules()`` per request) to
    save the rest. A plain ``Rules`` as ``default`` is used as it is (tests, callers that know)."""
    try:
        scoring = unit_year.scoring
    except YearScoring.DoesNotExist:
        scoring = None
    if scoring is not None:
        return scoring.rules
    if isinstance(default, Rules):
        return default
    book = default if default is not None else RuleBook(head=unit_year)
    return book.for_unit_year(unit_year)


def no_budget(figures: YearFigures | Amounts) -> bool:
    """The full-year budget is stated and zero (0/0): "无预算", not a rate of 100 %. Takes the
    year's figures or its 支出合计 alone."""
    total = figures.spending_total if isinstance(figures, YearFigures) else figures
    budget = total.full_year_budget
    return budget is not None and budget == 0


def year_score(
    unit_year: UnitYear, *, rules: Rules | None = None, scores: dict[int, Decimal | None] | None = None
) -> YearScore:
    """The year's total and grade from the stored indicator scores and the budget figures.

    ``scores`` (indicator id → score) replaces the confirmed ``Indicator.score`` — the scoring
    page uses it for one member's running total and for the group's mean.
    Prefetch ``indicators`` and ``SCORE_PREFETCH`` (the money lines: 预算执行率 and 无预算 here,
    each project's own money in ``project_tables``) and ``select_related("scoring")``
    or pass ``rules``, to keep this free of queries.
    """
    rules = rules or rules_for_year(unit_year)
    rows = []
    for i in department_only(unit_year.indicators.all()):
        score = scores.get(i.pk) if scores is not None else i.score
        rows.append(IndicatorScore(weight=i.weight, score=score, not_applicable=i.not_applicable))
    spending = year_spending_total(unit_year)
    return score_total(
        indicators=rows,
        execution_rate=spending.execution_rate,
        rules=rules,
        no_budget=no_budget(spending),
    )


@dataclass
class ProjectTable:
    """One project's self-evaluation: its money (``budgets.figures``), its goal and inclusion
    (``ProjectEvaluation``), its indicator table and its total and grade under the year's rules
    (with the project's own tier-1 weights, when it has them)."""

    figure: ProjectFigure
    evaluation: ProjectEvaluation | None
    indicators: list[Indicator]
    rules: Rules
    score: YearScore

    @property
    def pk(self) -> int:
        assert self.figure.pk is not None
        return self.figure.pk

    @property
    def name(self) -> str:
        return self.figure.label

    @property
    def included(self) -> bool:
        return self.evaluation is None or self.evaluation.included

    @property
    def marked(self) -> bool:
        """Marked for evaluation: it has a table, or its goal was set and it was not excluded. A
        project with neither has not been taken up (the checklist says so; 定稿 is not held up)."""
        return self.included and (bool(self.indicators) or self.evaluation is not None)

    @property
    def evaluated(self) -> bool:
        """Marked for evaluation and has a table to score."""
        return self.included and bool(self.indicators)

    @property
    def complete(self) -> bool:
        """Not marked (excluded with its reason), or every indicator scored and the total known."""
        return not self.marked or (bool(self.indicators) and self.score.complete)

    @property
    def misses(self) -> list[Indicator]:
        """Scored indicators that lost points (the 主要差距 the summary names)."""
        return [
            i
            for i in self.indicators
            if not i.not_applicable and i.score is not None and i.weight is not None and i.score < i.weight
        ]


def project_rules(unit_year: UnitYear, project: ProjectLine | int | None, *, rules: Rules | None = None) -> Rules:
    """The rules of the department's table (``project`` None) or of a project's: the year's,
    with the project's own tier-1 weights when it has them (one query)."""
    rules = rules or rules_for_year(unit_year)
    if project is None:
        return rules
    cached = getattr(project, "_state", None)
    if cached is not None and "evaluation" in cached.fields_cache:  # select_related("evaluation"): no query
        evaluation = cached.fields_cache["evaluation"]
    else:
        evaluation = ProjectEvaluation.objects.filter(project=project).first()
    return evaluation.apply(rules) if evaluation is not None else rules


def project_evaluations(unit_year: UnitYear) -> dict[int, ProjectEvaluation]:
    """{project line id: its evaluation} of the year, in one query — none when the prefetched
    project lines hold no named project."""
    cached = getattr(unit_year, "_prefetched_objects_cache", {}).get("project_lines")
    if cached is not None and not any(p.kind == ProjectKind.PROJECT for p in cached):
        return {}
    if cached is not None and all("evaluation" in p._state.fields_cache for p in cached):
        # prefetched with "project_lines__evaluation": no query
        return {p.pk: p._state.fields_cache["evaluation"] for p in cached if p._state.fields_cache["evaluation"]}
    return {e.project_id: e for e in ProjectEvaluation.objects.filter(project__unit_year=unit_year)}


def project_score(
    figure: ProjectFigure, indicators: list[Indicator], rules: Rules, *, scores: dict[int, Decimal | None] | None = None
) -> YearScore:
    """A project's total and grade: its indicators' scores and its own 预算执行率 (全年执行数 ÷
    全年预算数 of the project line, from ``budgets.figures``)."""
    rows = []
    for i in indicators:
        score = scores.get(i.pk) if scores is not None else i.score
        rows.append(IndicatorScore(weight=i.weight, score=score, not_applicable=i.not_applicable))
    budget = figure.full_year_budget
    return score_total(
        indicators=rows,
        execution_rate=figure.execution_rate,
        rules=rules,
        no_budget=budget is not None and budget == 0,
    )


def project_tables(
    unit_year: UnitYear,
    *,
    rules: Rules | None = None,
    scores: dict[int, Decimal | None] | None = None,
    evaluations: dict[int, ProjectEvaluation] | None = None,
    indicators: list[Indicator] | None = None,
) -> list[ProjectTable]:
    """Every named project of the year with its table and score — a constant number of queries
    whatever the number of projects: the figure and ``indicators`` prefetches (see
    ``year_score``; or pass the project ``indicators``) and one query for the evaluations (none
    when passed or prefetched with ``project_lines__evaluation``)."""
    rules = rules or rules_for_year(unit_year)
    evaluations = evaluations if evaluations is not None else project_evaluations(unit_year)
    by_project: dict[int, list[Indicator]] = {}
    for i in indicators if indicators is not None else unit_year.indicators.all():
        if i.project_id is not None:
            by_project.setdefault(i.project_id, []).append(i)
    tables = []
    for figure in project_figures(unit_year):
        if figure.is_unitemised:
            continue
        evaluation = evaluations.get(figure.pk or 0)
        own_rules = evaluation.apply(rules) if evaluation is not None else rules
        indicators = sorted(by_project.get(figure.pk or 0, []), key=lambda i: (i.fund_category, i.order, i.pk))
        tables.append(
            ProjectTable(
                figure=figure,
                evaluation=evaluation,
                indicators=indicators,
                rules=own_rules,
                score=project_score(figure, indicators, own_rules, scores=scores),
            )
        )
    return tables


def project_quality(unit_year: UnitYear, project_id: int, *, rules: Rules) -> list[Finding]:
    """The quality findings of one project's table (one query)."""
    return table_quality(unit_year, Indicator.objects.of_project(project_id), rules=rules)


def table_quality(unit_year: UnitYear, indicators: Iterable[Indicator], *, rules: Rules) -> list[Finding]:
    """The quality findings of one table's rows as they were read — the department's (under the
    year's rules) or a project's (under its own): the editor reads its rows once for both."""
    from .quality import check_indicators

    return check_indicators(indicators, rules=rules, year=unit_year.year)


def _loaded_group(unit_year: UnitYear) -> tuple[bool, EvaluationGroup | None]:
    """(whether the year was loaded with its group and the group's members, the group or None):
    ``select_related("evaluation_group")`` and ``prefetch_related("evaluation_group__members")``
    on the year's query answer both questions below without a query of their own."""
    related = EvaluationGroup.unit_year.field.remote_field  # the year's side: unit_year.evaluation_group
    if not related.is_cached(unit_year):
        return False, None
    group = related.get_cached_value(unit_year)
    if group is None:
        return True, None
    assert isinstance(group, EvaluationGroup)
    return "members" in getattr(group, "_prefetched_objects_cache", {}), group


def evaluation_group(unit_year: UnitYear) -> EvaluationGroup | None:
    """The year's group with its lead and members (one query, or none when the year was loaded
    with them: ``_loaded_group``)."""
    loaded, group = _loaded_group(unit_year)
    if loaded:
        return group
    return (
        EvaluationGroup.objects.filter(unit_year=unit_year).select_related("lead").prefetch_related("members").first()
    )


def group_roles_annotate(queryset: QuerySet[UnitYear], user: User | AnonymousUser) -> QuerySet[UnitYear]:
    """``group_roles`` as two annotations of each year a query fetches (registered with the access
    policy: ``departments.access.Access.with_group_roles``)."""
    if not user.is_authenticated:
        return queryset
    through = EvaluationGroup.members.through
    return queryset.annotate(
        **{
            GROUP_SEAT_ANNOTATIONS[GROUP_MEMBER]: Exists(
                through.objects.filter(evaluationgroup__unit_year=OuterRef("pk"), user_id=user.pk)
            ),
            GROUP_SEAT_ANNOTATIONS[GROUP_LEAD]: Exists(
                EvaluationGroup.objects.filter(unit_year=OuterRef("pk"), lead_id=user.pk)
            ),
        }
    )


def group_roles(unit_year: UnitYear, user: User | AnonymousUser) -> frozenset[str]:
    """The user's seats on the year's evaluation group (member, lead), in one query — none when
    the year was loaded with its group and members (the scoring pages). Registered with the access
    policy (``departments.access.register_group_roles``) by ``IndicatorsConfig``."""
    if not user.is_authenticated:
        return frozenset()
    loaded, group = _loaded_group(unit_year)
    if loaded:
        seat = None if group is None else (group.lead_id, any(m.pk == user.pk for m in group.members.all()))
        return _seats(seat, user)
    through = EvaluationGroup.members.through
    row = (
        EvaluationGroup.objects.filter(unit_year=unit_year)
        .annotate(is_member=Exists(through.objects.filter(evaluationgroup_id=OuterRef("pk"), user_id=user.pk)))
        .values_list("lead_id", "is_member")
        .first()
    )
    return _seats(row, user)


def _seats(row: tuple[int, bool] | None, user: User) -> frozenset[str]:
    """The seats of (the group's lead id, whether ``user`` is a member); None: no group."""
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


def year_member_scores(unit_year: UnitYear) -> list[MemberScore]:
    """Every member score of the year, with its member, by member (one query)."""
    return list(
        MemberScore.objects.filter(indicator__unit_year=unit_year).select_related("member").order_by("member__username")
    )


def group_results(
    unit_year: UnitYear, group: EvaluationGroup | None = None, *, scores: list[MemberScore] | None = None
) -> list[GroupRow]:
    """Per indicator, the scores of the group's members (two queries; one with ``scores``, the
    year's ``year_member_scores``)."""
    group = group if group is not None else evaluation_group(unit_year)
    member_ids = {m.pk for m in group.members.all()} if group else set()
    indicators = list(unit_year.indicators.all())
    rows = {i.pk: GroupRow(indicator=i, expected=len(member_ids)) for i in indicators}
    for s in scores if scores is not None else year_member_scores(unit_year):
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
    return check_indicators(department_only(unit_year.indicators.all()), rules=rules, year=unit_year.year)


def submission_quality(unit_year: UnitYear, *, rules: Rules | None = None) -> list[Finding]:
    """What 送审 checks: the department table's quality findings, then those of every project
    table marked for evaluation (each under its own rules, its subject and problem naming the
    project). A constant number of queries, whatever the number of projects."""
    from .quality import check_indicators

    rules = rules or rules_for_year(unit_year)
    indicators = list(unit_year.indicators.all())  # every table's, once
    findings = check_indicators(department_only(indicators), rules=rules, year=unit_year.year)
    for table in project_tables(unit_year, rules=rules, indicators=indicators):
        if table.marked and table.indicators:
            findings += [
                replace(f, subject=f"{table.name} · {f.subject}", problem=f"项目“{table.name}”：{f.problem}")
                for f in check_indicators(table.indicators, rules=table.rules, year=unit_year.year)
            ]
    return findings


def group_rule_set(unit_year: UnitYear, *, recorded: bool = True) -> RuleSet | None:
    """The rule set whose group rules (``min_group_members``, ``finaliser_not_lead``) govern this
    year: the one recorded when its evaluation started (``recorded``), else the one in force
    (None: the national rules, which require neither)."""
    rule_set_id = None
    if recorded:
        rule_set_id = YearScoring.objects.filter(unit_year=unit_year).values_list("rule_set_id", flat=True).first()
    if rule_set_id is None:
        rule_set_id = RuleBook().resolve(unit_year).rule_set_id
    return None if rule_set_id is None else RuleSet.objects.filter(pk=rule_set_id).first()


def group_size_problem(unit_year: UnitYear, member_count: int, *, recorded: bool = True) -> str:
    """A Chinese message when the group is smaller than the rule set requires, else ""."""
    rule_set = group_rule_set(unit_year, recorded=recorded)
    need = rule_set.min_group_members if rule_set else 0
    if rule_set is not None and member_count < need:
        return f"评分规则“{rule_set.name}”要求评价小组至少 {need} 名成员，目前为 {member_count} 名。"
    return ""
