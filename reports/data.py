"""The report's data: one query set-up, then pure assembly of everything the report and the
Excel table show (the sentences are ``reports.prose``, the outline ``reports.outline``). Figures
come from ``budgets.figures``, scores from ``indicators.selectors.year_score``; nothing here
computes money or scores itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from budgets.figures import YearFigures, figure_prefetch, year_figures
from budgets.models import ProjectFunds, ProjectLine
from departments.models import Duty, Organ, OrganKind, UnitYear, YearStatus
from flow.selectors import CheckNote, report_check_notes
from indicators.models import FundCategory, Goal, GoalKind, Indicator, Tier1, Tier2, department_only
from indicators.scoring import Rules, YearScore
from indicators.selectors import rules_for_year, year_score

# Everything the report reads, fetched in one query per relation (sorted only where the report
# keeps the database's order): the project lines with their evaluations (the projects' goals,
# reports.projects) in the same query, every indicator of the year — the department's table and
# the projects' — in one (split in Python, same order).
REPORT_PREFETCH = (
    *figure_prefetch(project_lines=ProjectLine.objects.select_related("evaluation")),
    Prefetch("project_lines__funds", queryset=ProjectFunds.objects.order_by()),  # keyed by source
    Prefetch("duties", queryset=Duty.objects.order_by("order", "id")),
    Prefetch("organs", queryset=Organ.objects.order_by("kind", "order", "id")),
    Prefetch("goals", queryset=Goal.objects.order_by("kind", "order", "id")),
    Prefetch("indicators", queryset=Indicator.objects.ordered()),
)

_GROUP_ORDER = {value: i for i, value in enumerate(FundCategory.values)}
_TIER1_ORDER = {value: i for i, value in enumerate(Tier1.values)}
_TIER2_ORDER = {value: i for i, value in enumerate(Tier2.values)}
_ORGAN_ORDER = {value: i for i, value in enumerate(OrganKind.values)}


def report_queryset() -> QuerySet[UnitYear]:
    return UnitYear.objects.select_related("unit", "unit__parent", "scoring").prefetch_related(*REPORT_PREFETCH)


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the indicator table with the rowspans of its merged cells (0 = covered)."""

    indicator: Indicator
    group_label: str
    group_span: int
    tier1_label: str
    tier1_span: int
    tier2_label: str
    tier2_span: int


@dataclass(frozen=True)
class IndicatorColumns:
    """Which optional columns the indicator table shows: each appears once its data does."""

    actual: bool
    weight: bool
    score: bool
    deviation: bool
    note: bool

    @property
    def count(self) -> int:
        return 5 + sum((self.actual, self.weight, self.score, self.deviation, self.note))


@dataclass(frozen=True)
class OrganGroup:
    kind: str
    label: str
    names: list[str]


def report_title(unit_year: UnitYear) -> str:
    return f"{unit_year.year}年度部门整体支出绩效自评报告"


def report_document_title(unit_year: UnitYear) -> str:
    """The unit's name and the title: the document's (and the preview page's) title."""
    return f"{unit_year.unit.name}{report_title(unit_year)}"


@dataclass(frozen=True)
class ReportData:
    unit_year: UnitYear
    figures: YearFigures
    rules: Rules  # the year's recorded rules (its snapshot, else the rules in force)
    score: YearScore
    duties: list[Duty]
    organ_groups: list[OrganGroup]
    goals: dict[str, list[Goal]]
    indicators: list[Indicator]
    indicator_rows: list[IndicatorRow]
    columns: IndicatorColumns
    report_date: date | None  # the date fixed at 定稿 (or entered); never today by default
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[CheckNote] = field(default_factory=list)  # 数据校验 findings explained in writing

    @property
    def title(self) -> str:
        return report_title(self.unit_year)

    @property
    def is_final(self) -> bool:
        return self.unit_year.status == YearStatus.FINALISED

    @property
    def draft_mark(self) -> str:
        """ "未定稿" on every page of a year not yet finalised; "" once it is."""
        return "" if self.is_final else "未定稿"

    @property
    def report_date_text(self) -> str:
        """ "2025年3月20日" once fixed; a draft without a date says so; never today's date."""
        if self.report_date is not None:
            d = self.report_date
            return f"{d.year}年{d.month}月{d.day}日"
        return "（未定稿）" if not self.is_final else ""

    @property
    def document_title(self) -> str:
        return report_document_title(self.unit_year)

    @property
    def competent_department(self) -> str:
        """主管部门: the parent unit, or the unit itself when it is a first-level unit."""
        parent = self.unit_year.unit.parent
        return parent.name if parent is not None else self.unit_year.unit.name

    @property
    def full_marks(self):
        """The weights of the rules in force added up (100 under every rule set admitted)."""
        return self.rules.indicator_weight_total + self.rules.execution_weight

    @property
    def show_score(self) -> bool:
        """The score part appears once the indicators carry weights (a total exists)."""
        return self.score.total is not None and self.score.scored > 0

    @property
    def long_term_goals(self) -> list[Goal]:
        return self.goals.get(GoalKind.LONG_TERM, [])

    @property
    def annual_goals(self) -> list[Goal]:
        return self.goals.get(GoalKind.ANNUAL, [])

    @property
    def overall_goals(self) -> list[Goal]:
        return self.goals.get(GoalKind.OVERALL, [])


def _indicator_sort_key(indicator: Indicator) -> tuple:
    return (
        _GROUP_ORDER.get(indicator.fund_category, 99),
        _TIER1_ORDER.get(indicator.tier1, 99),
        _TIER2_ORDER.get(indicator.tier2, 99),
        indicator.order,
        indicator.pk or 0,
    )


def indicator_rows(indicators: list[Indicator]) -> list[IndicatorRow]:
    """The table grouped 经费类别 → 一级 → 二级, with the rowspan of each merged cell."""
    ordered = sorted(indicators, key=_indicator_sort_key)
    keys = [
        ((i.fund_category,), (i.fund_category, i.tier1), (i.fund_category, i.tier1, i.tier2)) for i in ordered
    ]  # the merge keys per level

    def spans(level: int) -> list[int]:
        result = [0] * len(ordered)
        start = 0
        for pos in range(1, len(ordered) + 1):
            if pos == len(ordered) or keys[pos][level] != keys[start][level]:
                result[start] = pos - start
                start = pos
        return result

    group_spans, tier1_spans, tier2_spans = spans(0), spans(1), spans(2)
    return [
        IndicatorRow(
            indicator=indicator,
            group_label=indicator.get_fund_category_display(),
            group_span=group_spans[pos],
            tier1_label=indicator.get_tier1_display(),
            tier1_span=tier1_spans[pos],
            tier2_label=indicator.get_tier2_display(),
            tier2_span=tier2_spans[pos],
        )
        for pos, indicator in enumerate(ordered)
    ]


def indicator_columns(indicators: list[Indicator]) -> IndicatorColumns:
    return IndicatorColumns(
        actual=any(i.actual_display for i in indicators),
        weight=any(i.weight is not None for i in indicators),
        score=any(i.score is not None for i in indicators),
        deviation=any(i.deviation_reason for i in indicators),
        note=any(i.note for i in indicators),
    )


def report_data(unit_year: UnitYear) -> ReportData:
    """Everything the report shows. ``unit_year`` must come from ``report_queryset()`` (further
    queries: the 数据校验 explanations, one)."""
    indicators = department_only(unit_year.indicators.all())
    goals: dict[str, list[Goal]] = {}
    for goal in unit_year.goals.all():
        goals.setdefault(goal.kind, []).append(goal)
    organ_groups: dict[str, OrganGroup] = {}
    for organ in sorted(unit_year.organs.all(), key=lambda o: (_ORGAN_ORDER.get(o.kind, 99), o.order, o.pk)):
        group = organ_groups.setdefault(organ.kind, OrganGroup(organ.kind, organ.get_kind_display(), []))
        group.names.append(organ.name)
    counts: dict[str, int] = {}
    for indicator in indicators:
        counts[indicator.fund_category] = counts.get(indicator.fund_category, 0) + 1
        counts[indicator.tier1] = counts.get(indicator.tier1, 0) + 1
    rules = rules_for_year(unit_year)
    figures = year_figures(unit_year)
    return ReportData(
        unit_year=unit_year,
        figures=figures,
        rules=rules,
        score=year_score(unit_year, rules=rules),
        duties=list(unit_year.duties.all()),
        organ_groups=list(organ_groups.values()),
        goals=goals,
        indicators=indicators,
        indicator_rows=indicator_rows(indicators),
        columns=indicator_columns(indicators),
        report_date=unit_year.report_date,
        counts=counts,
        notes=report_check_notes(unit_year, figures=figures),
    )
