"""Every derived money figure, computed in one place.

The data-entry page, the Excel workbook, the report (HTML/PDF) and the scoring engine all read
totals, year-on-year changes and execution rates from here, so they can never disagree.
Pure functions over model instances (or anything with the same attributes); no queries beyond
the related managers, which callers prefetch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, overload

from django.db.models import Prefetch, QuerySet

from .models import (
    AmountsMixin,
    IncomeLine,
    IncomeSource,
    ProjectKind,
    ProjectLine,
    SpendingKind,
    SpendingLine,
    ThreePublicKind,
    ThreePublicLine,
)

if TYPE_CHECKING:
    from departments.models import UnitYear

    from .models import ProjectFunds

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
AMOUNT_FIELDS = AmountsMixin.AMOUNT_FIELDS

# Sources / kinds that add up to the total (the "其中" lines are parts of another line).
INCOME_PARTS = (IncomeSource.APPROPRIATION, IncomeSource.NON_TAX, IncomeSource.CARRYOVER, IncomeSource.OTHER)
SPENDING_PARTS = (SpendingKind.BASIC, SpendingKind.PROJECT)
BASIC_PARTS = (SpendingKind.PERSONNEL, SpendingKind.PUBLIC)


@overload
def money(value: Decimal | int | str) -> Decimal: ...
@overload
def money(value: None) -> None: ...
def money(value: Decimal | int | str | None) -> Decimal | None:
    """Quantise to 万元 with two decimals (half up, as finance tables round)."""
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError("金额不能使用浮点数，请使用 Decimal。")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def sum_money(values: Iterable[Decimal | None]) -> Decimal | None:
    """Sum of the stated values; ``None`` when none is stated (blank is not zero)."""
    stated = [v for v in values if v is not None]
    if not stated:
        return None
    return money(sum(stated, Decimal("0")))


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator in %, two decimals; ``None`` when undefined."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return (numerator * HUNDRED / denominator).quantize(CENT, rounding=ROUND_HALF_UP)


def execution_rate(actual: Decimal | None, full_year_budget: Decimal | None) -> Decimal | None:
    """预算执行率 = 全年执行数 ÷ 全年预算数, in %."""
    return percent(actual, full_year_budget)


@dataclass(frozen=True)
class Change:
    """Year-on-year change of a figure: signed amount in 万元 and signed percent."""

    current: Decimal
    previous: Decimal
    amount: Decimal
    percent: Decimal | None

    @property
    def direction(self) -> str:
        if self.amount > 0:
            return "增加"
        if self.amount < 0:
            return "减少"
        return "持平"

    @property
    def abs_amount(self) -> Decimal:
        return abs(self.amount)

    @property
    def abs_percent(self) -> Decimal | None:
        return None if self.percent is None else abs(self.percent)


def change(current: Decimal | None, previous: Decimal | None) -> Change | None:
    if current is None or previous is None:
        return None
    amount = money(current - previous)
    return Change(current=current, previous=previous, amount=amount, percent=percent(amount, previous))


@dataclass(frozen=True)
class Amounts:
    initial_budget: Decimal | None = None
    full_year_budget: Decimal | None = None
    actual: Decimal | None = None
    previous_year: Decimal | None = None

    @classmethod
    def of(cls, line: object | None) -> Amounts:
        if line is None:
            return cls()
        return cls(**{name: getattr(line, name) for name in AMOUNT_FIELDS})

    @classmethod
    def total(cls, rows: Iterable[Amounts]) -> Amounts:
        rows = list(rows)
        return cls(**{name: sum_money(getattr(r, name) for r in rows) for name in AMOUNT_FIELDS})

    def prefer(self, fallback: Amounts) -> Amounts:
        """Column by column: this value where stated, else ``fallback``'s."""
        return Amounts(
            **{
                name: getattr(self, name) if getattr(self, name) is not None else getattr(fallback, name)
                for name in AMOUNT_FIELDS
            }
        )

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(self.actual, self.full_year_budget)

    @property
    def adjustment(self) -> Decimal | None:
        """调整数 = 全年预算数 − 年初预算数 (signed); ``None`` unless both are stated."""
        return difference(self.full_year_budget, self.initial_budget)

    @property
    def current(self) -> Decimal | None:
        """The year's figure compared with last year: actual if stated, else full-year budget."""
        return self.actual if self.actual is not None else self.full_year_budget

    @property
    def change(self) -> Change | None:
        return change(self.current, self.previous_year)

    @property
    def initial_change(self) -> Change | None:
        """Year-start budget against last year (the reference's "年初预算…比上年")."""
        return change(self.initial_budget, self.previous_year)

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in AMOUNT_FIELDS)


@dataclass(frozen=True)
class ProjectFigure:
    pk: int | None
    order: int
    name: str
    initial_budget: Decimal | None
    full_year_budget: Decimal | None
    actual: Decimal | None
    usage: str
    kind: str = ProjectKind.PROJECT

    @property
    def is_unitemised(self) -> bool:
        """The year's mid-year addition not broken down by project (its own row)."""
        return self.kind == ProjectKind.UNITEMISED

    @property
    def label(self) -> str:
        """The row's name as printed: the unitemised row is named by its kind when left unnamed."""
        return self.name or ProjectKind(self.kind).label

    @property
    def adjustment(self) -> Decimal | None:
        """调整数 = 全年预算数 − 年初预算数; ``None`` unless both are stated."""
        return difference(self.full_year_budget, self.initial_budget)

    @property
    def amount(self) -> Decimal | None:
        """The amount a report names for the project: spent if stated, else budgeted."""
        for value in (self.actual, self.full_year_budget, self.initial_budget):
            if value is not None:
                return value
        return None

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(self.actual, self.full_year_budget)


@dataclass(frozen=True)
class ThreePublicFigure:
    kind: str
    label: str
    budget: Decimal | None
    actual: Decimal | None
    previous_year: Decimal | None

    @property
    def change(self) -> Change | None:
        return change(self.actual, self.previous_year)


@dataclass(frozen=True)
class YearFigures:
    income: dict[str, Amounts]
    income_stated_total: Amounts
    income_parts_total: Amounts
    spending: dict[str, Amounts]
    spending_stated_total: Amounts
    spending_parts_total: Amounts
    basic_parts_total: Amounts
    projects: list[ProjectFigure] = field(default_factory=list)
    three_public: list[ThreePublicFigure] = field(default_factory=list)

    @property
    def income_total(self) -> Amounts:
        """收入合计: the stated total where given, else the sum of the sources."""
        return self.income_stated_total.prefer(self.income_parts_total)

    @property
    def spending_total(self) -> Amounts:
        """支出合计: the stated total where given, else 基本支出 + 项目支出."""
        return self.spending_stated_total.prefer(self.spending_parts_total)

    @property
    def project_totals(self) -> Amounts:
        """Every project row, the unitemised mid-year addition included: what 项目支出 must equal
        (its ``adjustment`` is the total 调整数)."""
        return _project_sum(self.projects)

    @property
    def itemised_projects(self) -> list[ProjectFigure]:
        return [p for p in self.projects if not p.is_unitemised]

    @property
    def unitemised_projects(self) -> list[ProjectFigure]:
        return [p for p in self.projects if p.is_unitemised]

    @property
    def itemised_project_totals(self) -> Amounts:
        """The named projects only (the reference's "上述实际使用236万元")."""
        return _project_sum(self.itemised_projects)

    @property
    def project_amount_sum(self) -> Decimal | None:
        """Sum of the amounts the report names per row, every row (the unitemised one included)."""
        return sum_money(p.amount for p in self.projects)

    @property
    def itemised_amount_sum(self) -> Decimal | None:
        """Sum of the amounts of the named projects only."""
        return sum_money(p.amount for p in self.itemised_projects)

    @property
    def three_public_total(self) -> ThreePublicFigure:
        return ThreePublicFigure(
            kind="total",
            label="合计",
            budget=sum_money(t.budget for t in self.three_public),
            actual=sum_money(t.actual for t in self.three_public),
            previous_year=sum_money(t.previous_year for t in self.three_public),
        )

    @property
    def execution_rate(self) -> Decimal | None:
        """Overall 预算执行率: total spent ÷ total full-year budget."""
        return self.spending_total.execution_rate

    def income_line(self, source: str) -> Amounts:
        return self.income.get(source, Amounts())

    def spending_line(self, kind: str) -> Amounts:
        return self.spending.get(kind, Amounts())


def _project_sum(projects: Iterable[ProjectFigure]) -> Amounts:
    projects = list(projects)
    return Amounts(
        initial_budget=sum_money(p.initial_budget for p in projects),
        full_year_budget=sum_money(p.full_year_budget for p in projects),
        actual=sum_money(p.actual for p in projects),
    )


def year_spending_total(unit_year: UnitYear) -> Amounts:
    """支出合计 alone — the stated total where given, else 基本支出 + 项目支出 — from the spending
    lines only (prefetch ``spending_lines``): what scoring reads (预算执行率, 无预算), computed as
    ``YearFigures.spending_total`` is."""
    spending = {line.kind: Amounts.of(line) for line in unit_year.spending_lines.all()}
    return _spending_total(spending)


def _spending_total(spending: dict[str, Amounts]) -> Amounts:
    stated = spending.get(SpendingKind.TOTAL, Amounts())
    return stated.prefer(Amounts.total(spending[k] for k in SPENDING_PARTS if k in spending))


def project_figures(unit_year: UnitYear) -> list[ProjectFigure]:
    """The year's project rows in order (``YearFigures.projects``) from the project lines alone
    (prefetch ``project_lines``): what scoring a project's table reads."""
    return [
        ProjectFigure(
            pk=p.pk,
            order=p.order,
            name=p.name,
            initial_budget=p.initial_budget,
            full_year_budget=p.full_year_budget,
            actual=p.actual,
            usage=p.usage,
            kind=p.kind,
        )
        for p in sorted(unit_year.project_lines.all(), key=lambda p: (p.order, p.pk or 0))
    ]


def year_figures(unit_year: UnitYear) -> YearFigures:
    """All derived figures of a unit-year. Prefetch ``income_lines``, ``spending_lines``,
    ``project_lines`` and ``three_public_lines`` to keep this at zero queries."""
    income = {line.source: Amounts.of(line) for line in unit_year.income_lines.all()}
    spending = {line.kind: Amounts.of(line) for line in unit_year.spending_lines.all()}
    three_public_by_kind = {line.kind: line for line in unit_year.three_public_lines.all()}
    projects = project_figures(unit_year)
    three_public = [
        ThreePublicFigure(
            kind=kind.value,
            label=kind.label,
            budget=getattr(three_public_by_kind.get(kind), "budget", None),
            actual=getattr(three_public_by_kind.get(kind), "actual", None),
            previous_year=getattr(three_public_by_kind.get(kind), "previous_year", None),
        )
        for kind in ThreePublicKind
    ]
    return YearFigures(
        income=income,
        income_stated_total=income.get(IncomeSource.TOTAL, Amounts()),
        income_parts_total=Amounts.total(income[s] for s in INCOME_PARTS if s in income),
        spending=spending,
        spending_stated_total=spending.get(SpendingKind.TOTAL, Amounts()),
        spending_parts_total=Amounts.total(spending[k] for k in SPENDING_PARTS if k in spending),
        basic_parts_total=Amounts.total(spending[k] for k in BASIC_PARTS if k in spending),
        projects=projects,
        three_public=three_public,
    )


def difference(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """a − b in 万元 (the gap a consistency check reports); ``None`` when either is not stated."""
    if a is None or b is None:
        return None
    return money(a - b)


def total_is_known(stated: Amounts, parts: Iterable[Amounts], column: str) -> bool:
    """Whether a total is really known in ``column``: stated, or every (non-blank) part stated.

    A sum of only some stated parts is shown as the best available figure, but it is not
    compared with other totals (it would report a gap that is only missing input)."""
    if getattr(stated, column) is not None:
        return True
    parts = [p for p in parts if not p.is_empty]  # a line left wholly blank is not a part
    return bool(parts) and all(getattr(p, column) is not None for p in parts)


@dataclass(frozen=True)
class FundsRow:
    """One row of the self-evaluation table's funds block (部门整体支出绩效自评表)."""

    label: str
    amounts: Amounts
    is_total: bool = False


def self_evaluation_funds(figures: YearFigures) -> list[FundsRow]:
    """年度资金总额 / 其中：财政拨款 / 上年结转 / 其他资金 of the self-evaluation table.

    The total's budget columns are the income total's (what the unit was given), falling back to
    the spending total's; its 全年执行数 is what was spent (the spending total), falling back to
    the income side. 其他资金 is 非税收入 + 其他收入.
    """
    budget = figures.income_total.prefer(figures.spending_total)
    spent = figures.spending_total.prefer(figures.income_total)
    total = Amounts(
        initial_budget=budget.initial_budget,
        full_year_budget=budget.full_year_budget,
        actual=spent.actual,
        previous_year=budget.previous_year,
    )
    other = Amounts.total(
        figures.income[source] for source in (IncomeSource.NON_TAX, IncomeSource.OTHER) if source in figures.income
    )
    return [
        FundsRow("年度资金总额", total, is_total=True),
        FundsRow("其中：财政拨款", figures.income_line(IncomeSource.APPROPRIATION)),
        FundsRow("上年结转", figures.income_line(IncomeSource.CARRYOVER)),
        FundsRow("其他资金", other),
    ]


def spending_share(figures: YearFigures, kind: str) -> Decimal | None:
    """A spending kind's share of the spending total, in % (the year's figure: actual, else budget)."""
    return percent(figures.spending_line(kind).current, figures.spending_total.current)


def project_self_evaluation_funds(project: ProjectFigure, funds: Iterable[ProjectFunds]) -> list[FundsRow]:
    """The funds block of a project's 项目支出绩效自评表: 年度资金总额 (the project line's own
    amounts) and 其中：当年财政拨款 / 上年结转资金 / 其他资金 (the rows by source, blank where not
    stated). ``funds``: the project's ``ProjectFunds`` rows (prefetched)."""
    from .models import ProjectFundSource

    by_source = {row.source: row for row in funds}
    total = Amounts(
        initial_budget=project.initial_budget, full_year_budget=project.full_year_budget, actual=project.actual
    )
    rows = [FundsRow("年度资金总额", total, is_total=True)]
    for n, source in enumerate(ProjectFundSource):
        line = by_source.get(source.value)
        amounts = (
            Amounts(initial_budget=line.initial_budget, full_year_budget=line.full_year_budget, actual=line.actual)
            if line is not None
            else Amounts()
        )
        rows.append(FundsRow(("其中：" if n == 0 else "") + source.label, amounts))
    return rows


def project_funds_gap(project: ProjectFigure, funds: Iterable[ProjectFunds]) -> Amounts:
    """年度资金总额 minus the sum of the sources, column by column (None where either is blank):
    what the project page warns about when the sources do not add up."""
    rows = project_self_evaluation_funds(project, funds)
    parts = Amounts.total(r.amounts for r in rows[1:])
    return Amounts(
        **{
            name: difference(getattr(rows[0].amounts, name), getattr(parts, name))
            for name in ("initial_budget", "full_year_budget", "actual")
        }
    )


def figure_prefetch(project_lines: QuerySet[ProjectLine] | None = None) -> tuple[Prefetch, ...]:
    """Every line of the years in one query per kind, each year's lines in their models' order.

    The models order by year first (``Meta.ordering = ["unit_year", …]``), which sorts by
    UnitYear's own ordering and so joins the unit-year and its unit into each query; a prefetch
    hands every year its own rows anyway, so ordering by the rest of ``Meta.ordering`` gives each
    year the same list without the joins (a query costs a third less to build and run).
    ``project_lines``: the project lines' queryset, e.g. with a relation of an app above (the
    projects' evaluations)."""
    projects = project_lines if project_lines is not None else ProjectLine.objects.all()
    return (
        Prefetch("income_lines", queryset=IncomeLine.objects.order_by("id")),
        Prefetch("spending_lines", queryset=SpendingLine.objects.order_by("id")),
        Prefetch("project_lines", queryset=projects.order_by("order", "id")),
        Prefetch("three_public_lines", queryset=ThreePublicLine.objects.order_by("id")),
    )


FIGURE_PREFETCH = figure_prefetch()
