"""Read side of the report: one query set-up, then pure assembly of everything the report,
the Excel table and the leadership page show. Figures come from ``budgets.figures``, scores from
``indicators.selectors.year_score``; nothing here computes money or scores itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from budgets.figures import FIGURE_PREFETCH, YearFigures, year_figures
from budgets.models import IncomeSource, SpendingKind
from departments.access import Access
from departments.models import Duty, Organ, OrganKind, Role, UnitYear
from indicators.models import FundCategory, Goal, GoalKind, Indicator, Tier1, Tier2
from indicators.scoring import NATIONAL_RULES, YearScore
from indicators.selectors import year_score
from overview.models import YearSummary

from . import prose
from .models import BatchJob, ItemStatus

# Everything the report reads, fetched in one query per relation.
REPORT_PREFETCH = (
    *FIGURE_PREFETCH,
    Prefetch("duties", queryset=Duty.objects.order_by("order", "id")),
    Prefetch("organs", queryset=Organ.objects.order_by("kind", "order", "id")),
    Prefetch("goals", queryset=Goal.objects.order_by("kind", "order", "id")),
    Prefetch("indicators", queryset=Indicator.objects.of_department().ordered()),
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


@dataclass(frozen=True)
class ReportData:
    unit_year: UnitYear
    figures: YearFigures
    score: YearScore
    duties: list[Duty]
    organ_groups: list[OrganGroup]
    goals: dict[str, list[Goal]]
    indicators: list[Indicator]
    indicator_rows: list[IndicatorRow]
    columns: IndicatorColumns
    report_date: date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.unit_year.year}年度部门整体支出绩效自评报告"

    @property
    def document_title(self) -> str:
        return f"{self.unit_year.unit.name}{self.title}"

    @property
    def competent_department(self) -> str:
        """主管部门: the parent unit, or the unit itself when it is a first-level unit."""
        parent = self.unit_year.unit.parent
        return parent.name if parent is not None else self.unit_year.unit.name

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
    """Everything the report shows. ``unit_year`` must come from ``report_queryset()`` (no
    further queries are made)."""
    indicators = list(unit_year.indicators.all())
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
    return ReportData(
        unit_year=unit_year,
        figures=year_figures(unit_year),
        score=year_score(unit_year),
        duties=list(unit_year.duties.all()),
        organ_groups=list(organ_groups.values()),
        goals=goals,
        indicators=indicators,
        indicator_rows=indicator_rows(indicators),
        columns=indicator_columns(indicators),
        report_date=unit_year.report_date or timezone.localdate(),
        counts=counts,
    )


@dataclass(frozen=True)
class SummaryRow:
    """A line of the leadership page: the year and its stored summary (None until computed)."""

    unit_year: UnitYear
    summary: YearSummary | None

    @property
    def total(self):
        return self.summary.total_score if self.summary else None

    @property
    def grade(self) -> str:
        return self.summary.grade if self.summary else ""

    @property
    def execution_rate(self):
        return self.summary.execution_rate if self.summary else None


LEADERSHIP_PAGE_SIZE = 50


def leadership_rows(access: Access, page=None, *, per_page: int = LEADERSHIP_PAGE_SIZE) -> Page:
    """One page of the unit-years the user may see, newest years first, with status, score,
    grade and execution rate: a count and one query for the page, whatever the number of units
    and years. The figures come from ``overview.YearSummary``, computed by the same
    ``year_figures`` / ``year_score`` as the report and kept fresh on every committed change —
    not recomputed here for each visible year on each request. The page iterates as its rows."""
    years = access.visible_years().select_related("unit", "summary").order_by("-year", "unit__code", "pk")
    shown = Paginator(years, per_page).get_page(page)
    rows = []
    for unit_year in shown.object_list:
        try:
            summary = unit_year.summary
        except YearSummary.DoesNotExist:
            summary = None
        rows.append(SummaryRow(unit_year=unit_year, summary=summary))
    shown.object_list = rows
    return shown


@dataclass(frozen=True)
class ReportProse:
    """The generated sentences of one report (see ``reports.prose``)."""

    score: str
    organs: str
    scale: list[str]
    long_term_goals: str
    annual_goals: str
    overall_goals: str
    indicator_summary: str
    income: str
    spending: str
    project_budget: str
    project_items: list[str]
    project_usage: str
    budget_row: list
    execution_weight: object


def _budgeted(amounts) -> object:
    """The budget a table of 年度预算 shows: the full-year budget, else the year-start one."""
    return amounts.full_year_budget if amounts.full_year_budget is not None else amounts.initial_budget


def organs_sentence(data: ReportData) -> str:
    """ "机构设置：本单位设置7个专门委员会：…；2个办事（工作）机构：…；所属事业单位2个：…。" """
    parts = []
    for group in data.organ_groups:
        names = "、".join(group.names)
        if group.kind == OrganKind.AFFILIATED:
            parts.append(f"所属事业单位{len(group.names)}个：{names}")
        else:
            parts.append(f"设置{len(group.names)}个{group.label}：{names}")
    if not parts:
        return ""
    return f"机构设置：{data.unit_year.unit.name}" + "；".join(parts) + "。"


def report_prose(data: ReportData) -> ReportProse:
    uy, f = data.unit_year, data.figures
    affiliated = next((g.names for g in data.organ_groups if g.kind == OrganKind.AFFILIATED), [])
    three_public = [t.budget for t in f.three_public]
    budget_row = [
        _budgeted(f.income_line(IncomeSource.APPROPRIATION)),
        _budgeted(f.income_line(IncomeSource.NON_TAX)),
        _budgeted(f.income_line(IncomeSource.OTHER)),
        _budgeted(f.income_total),
        _budgeted(f.spending_line(SpendingKind.BASIC)),
        _budgeted(f.spending_line(SpendingKind.PROJECT)),
        _budgeted(f.spending_total),
        *three_public,
        f.three_public_total.budget,
    ]
    return ReportProse(
        score=prose.score_sentence(year=uy.year, score=data.score),
        organs=organs_sentence(data),
        scale=prose.scale_paragraphs(year=uy.year, figures=f, unit_name=uy.unit.name, affiliated=affiliated),
        long_term_goals=prose.numbered([g.text for g in data.long_term_goals]),
        annual_goals=prose.numbered([g.text for g in data.annual_goals]),
        overall_goals=prose.numbered([g.text for g in data.overall_goals]),
        indicator_summary=prose.indicator_summary_sentence(data.counts),
        income=prose.income_sentence(year=uy.year, figures=f, note=uy.income_change_note),
        spending=prose.spending_sentence(year=uy.year, figures=f, note=uy.spending_change_note),
        project_budget=prose.project_budget_sentence(year=uy.year, figures=f),
        project_items=prose.project_items(f),
        project_usage=prose.project_usage_sentence(figures=f, note=uy.project_usage_note),
        budget_row=budget_row,
        execution_weight=NATIONAL_RULES.execution_weight,
    )


# -- batch generation --------------------------------------------------------------------------


def batch_years(access: Access) -> list[int]:
    """The years for which ``user`` may batch-generate PDFs: those of the units they lead
    (administrators: every unit), newest first. Empty: the user may not start a batch."""
    return list(access.years_with_role(Role.LEADER).order_by("-year").values_list("year", flat=True).distinct())


def batch_recent_jobs(user, *, limit: int = 10) -> list:
    """The user's latest batches (administrators: everyone's) with their counts."""
    return list(BatchJob.objects.for_user(user).with_counts().select_related("requested_by")[:limit])


@dataclass(frozen=True)
class BatchFailure:
    unit_code: str
    unit_name: str
    attempts: int
    error: str


@dataclass(frozen=True)
class BatchProgress:
    """What the progress page and its JSON show."""

    job: object
    total: int
    done: int
    failed: int
    failures: list[BatchFailure]

    @property
    def finished(self) -> bool:
        return self.job.is_finished

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return self.processed * 100 // self.total if self.total else 100

    def as_json(self) -> dict:
        return {
            "id": self.job.pk,
            "year": self.job.year,
            "status": self.job.status,
            "status_label": self.job.get_status_display(),
            "finished": self.finished,
            "total": self.total,
            "done": self.done,
            "failed": self.failed,
            "percent": self.percent,
            "failures": [
                {"unit_code": f.unit_code, "unit_name": f.unit_name, "attempts": f.attempts, "error": f.error}
                for f in self.failures
            ],
        }


def batch_job_for_view(user, pk: int):
    """The batch ``pk`` with its counts, if ``user`` may see it (else 404)."""
    return get_object_or_404(BatchJob.objects.for_user(user).with_counts(), pk=pk)


def batch_progress(job) -> BatchProgress:
    """``job`` from ``batch_job_for_view`` (counts annotated); one query for the failures."""
    failed_items = job.items.filter(status=ItemStatus.FAILED).select_related("unit_year__unit")
    failed_items = failed_items.order_by("unit_year__unit__code")
    failures = [
        BatchFailure(
            unit_code=item.unit_year.unit.code,
            unit_name=item.unit_year.unit.name,
            attempts=item.attempts,
            error=item.error,
        )
        for item in failed_items
    ]
    return BatchProgress(job=job, total=job.n_total, done=job.n_done, failed=job.n_failed, failures=failures)
