"""数据校验: consistency warnings over the year's figures. They never block saving.

Everything is computed from ``budgets.figures.year_figures``. The browser mirrors the figure
checks live (static/js/budgets/figures.js builds the same messages); the explanation-text check
runs on the server only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from .figures import (
    INCOME_PARTS,
    SPENDING_PARTS,
    Amounts,
    Change,
    YearFigures,
    difference,
    total_is_known,
)
from .models import AMOUNT_LABELS, IncomeSource, SpendingKind

if TYPE_CHECKING:
    from departments.models import UnitYear

COLUMNS = tuple(AMOUNT_LABELS.items())
COLUMN_LABEL = dict(COLUMNS)


@dataclass(frozen=True)
class Check:
    code: str
    message: str
    source: str = "figures"  # "figures" (mirrored live in the browser) or "text" (server only)


def fmt(value: Decimal | None) -> str:
    """Two decimals; "—" for a figure that cannot be computed (an execution rate over a budget of
    0), as the browser's ``fmt`` shows it."""
    return "—" if value is None else f"{value:.2f}"


def _sum_vs_total(
    figures_parts: Amounts, stated: Amounts, *, code: str, total_label: str, parts_label: str
) -> list[Check]:
    out = []
    for column, label in COLUMNS:
        total, parts = getattr(stated, column), getattr(figures_parts, column)
        gap = difference(parts, total)
        if gap:
            out.append(
                Check(
                    code,
                    f"{total_label}（{label}）为 {fmt(total)} 万元，{parts_label}为 {fmt(parts)} 万元，"
                    f"相差 {fmt(abs(gap))} 万元。",
                )
            )
    return out


def figure_checks(figures: YearFigures) -> list[Check]:
    checks: list[Check] = []
    spending = figures.spending
    # 基本支出 + 项目支出 ≠ 支出合计
    checks += _sum_vs_total(
        figures.spending_parts_total,
        figures.spending_stated_total,
        code="spending_parts",
        total_label="支出合计",
        parts_label="基本支出 + 项目支出",
    )
    # 人员经费 + 公用经费 ≠ 基本支出
    checks += _sum_vs_total(
        figures.basic_parts_total,
        figures.spending_line(SpendingKind.BASIC),
        code="basic_parts",
        total_label="基本支出",
        parts_label="人员经费 + 公用经费",
    )
    # the income sources ≠ 收入合计
    checks += _sum_vs_total(
        figures.income_parts_total,
        figures.income_stated_total,
        code="income_parts",
        total_label="收入合计",
        parts_label="各项收入之和",
    )
    # 其中：一般公共预算财政拨款 cannot exceed 财政拨款 (or, where that is not stated, 收入合计)
    general = figures.income_line(IncomeSource.GENERAL_PUBLIC)
    appropriation = figures.income_line(IncomeSource.APPROPRIATION)
    for column, label in COLUMNS:
        part = getattr(general, column)
        parent, parent_label = getattr(appropriation, column), "财政拨款"
        if parent is None:
            parent, parent_label = getattr(figures.income_total, column), "收入合计"
        if part is not None and parent is not None and part > parent:
            checks.append(
                Check(
                    "income_general_public",
                    f"其中：一般公共预算财政拨款（{label}）为 {fmt(part)} 万元，大于{parent_label} {fmt(parent)} 万元，"
                    f"相差 {fmt(difference(part, parent))} 万元。",
                )
            )
    # project lines ≠ 项目支出, column by column, then the amounts the report names per project
    project = figures.spending_line(SpendingKind.PROJECT)
    project_totals = figures.project_totals
    compared = set()
    for column, label in COLUMNS[:3]:
        lines, stated = getattr(project_totals, column), getattr(project, column)
        gap = difference(lines, stated)
        if gap is not None:
            compared.add((lines, stated))
        if gap:
            checks.append(
                Check(
                    "project_lines",
                    f"项目明细{label}合计为 {fmt(lines)} 万元，项目支出{label}为 {fmt(stated)} 万元，"
                    f"相差 {fmt(abs(gap))} 万元。",
                )
            )
    amount_sum, current = figures.project_amount_sum, project.current
    gap = difference(amount_sum, current)
    if gap and (amount_sum, current) not in compared:
        column = "全年执行数" if project.actual is not None else "全年预算数"
        checks.append(
            Check(
                "project_lines",
                f"项目明细金额合计为 {fmt(amount_sum)} 万元，项目支出（{column}）为 {fmt(current)} 万元，"
                f"相差 {fmt(abs(gap))} 万元。",
            )
        )
    checks += _adjustment_checks(figures)
    # 收入合计 ≠ 支出合计 (only where both totals are really known)
    income_parts = [figures.income[s] for s in INCOME_PARTS if s in figures.income]
    spending_parts = [spending.get(k, Amounts()) for k in SPENDING_PARTS]
    for column, label in COLUMNS:
        income_total = getattr(figures.income_total, column)
        spending_total = getattr(figures.spending_total, column)
        if not (
            total_is_known(figures.income_stated_total, income_parts, column)
            and total_is_known(figures.spending_stated_total, spending_parts, column)
        ):
            continue
        gap = difference(income_total, spending_total)
        if gap:
            checks.append(
                Check(
                    "income_vs_spending",
                    f"收入合计（{label}）{fmt(income_total)} 万元与支出合计 {fmt(spending_total)} 万元不一致，"
                    f"相差 {fmt(abs(gap))} 万元。",
                )
            )
    # spent more than the full-year budget
    overspent = [(kind.label, spending.get(kind.value, Amounts())) for kind in SpendingKind]
    overspent += [
        (f"项目“{p.name}”", Amounts(full_year_budget=p.full_year_budget, actual=p.actual)) for p in figures.projects
    ]
    for label, amounts in overspent:
        actual, budget = amounts.actual, amounts.full_year_budget
        if actual is not None and budget is not None and actual > budget:
            checks.append(
                Check(
                    "overspent",
                    f"{label}全年执行数 {fmt(actual)} 万元超过全年预算数 {fmt(budget)} 万元"
                    f"（执行率 {fmt(amounts.execution_rate)}%）。",
                )
            )
    for tp in figures.three_public:
        if tp.actual is not None and tp.budget is not None and tp.actual > tp.budget:
            checks.append(
                Check(
                    "overspent",
                    f"三公经费“{tp.label}”实际支出数 {fmt(tp.actual)} 万元超过预算数 {fmt(tp.budget)} 万元。",
                )
            )
    return checks


def _adjustment_checks(figures: YearFigures) -> list[Check]:
    """调整数 (全年预算数 − 年初预算数) of 项目支出 against the project rows: a mid-year addition
    not broken down by project belongs in its own row (``ProjectKind.UNITEMISED``). Server only
    (listed with the text checks), so the browser's live mirror is unchanged."""
    checks = []
    for row in figures.unitemised_projects:
        if row.initial_budget:
            checks.append(
                Check(
                    "project_unitemised",
                    f"“{row.label}”行是年中追加的资金，年初预算数应为 0，现为 {fmt(row.initial_budget)} 万元"
                    f"（年初预算请列入具体项目）。",
                    source="text",
                )
            )
    project = figures.spending_line(SpendingKind.PROJECT)
    stated_adjustment, lines_adjustment = project.adjustment, figures.project_totals.adjustment
    if (
        stated_adjustment
        and lines_adjustment is not None
        and stated_adjustment != lines_adjustment
        and not figures.unitemised_projects
    ):
        checks.append(
            Check(
                "project_adjustment",
                f"项目支出调整数（全年预算数 − 年初预算数）为 {fmt(stated_adjustment)} 万元，项目明细调整数合计为 "
                f"{fmt(lines_adjustment)} 万元。年中追加的资金若未细化到具体项目，请添加一行类型为"
                f"“年中追加（未细化到项目）”的明细。",
                source="text",
            )
        )
    return checks


# "比上年1326.27万元减少21.76万元，减少1.64%" — a stated change of some figure
_STATED_CHANGE = re.compile(
    r"(?P<dir>增加|减少|增长|下降|上升|降低)了?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|%|％)"
)
_UP = {"增加", "增长", "上升"}


def _candidates(lines: list[Amounts]) -> tuple[set[Decimal], set[Decimal]]:
    amounts, percents = set(), set()
    for amounts_ in lines:
        for change in (amounts_.change, amounts_.initial_change):
            if isinstance(change, Change):
                amounts.add(change.amount)
                if change.percent is not None:
                    percents.add(change.percent)
    return amounts, percents


def text_checks(figures: YearFigures, unit_year: UnitYear) -> list[Check]:
    """A year-on-year change written in an explanation must match a change in the figures."""
    checks = []
    notes = (
        (
            "income_change_note",
            "收入增减变化原因",
            figures.income_total,
            [figures.income_total, *figures.income.values()],
        ),
        (
            "spending_change_note",
            "支出增减变化原因",
            figures.spending_total,
            [figures.spending_total, *figures.spending.values()],
        ),
    )
    for attr, label, total, lines in notes:
        text = getattr(unit_year, attr, "") or ""
        amounts, percents = _candidates(lines)
        for match in _STATED_CHANGE.finditer(text):
            try:
                number = Decimal(match["num"].replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern only admits numbers
                continue
            sign = 1 if match["dir"] in _UP else -1
            is_percent = match["unit"] != "万元"
            stated = (sign * number).quantize(Decimal("0.01"))
            if stated in (percents if is_percent else amounts):
                continue
            change = total.change
            if change is None:
                expected = "数据中没有可对应的上年数"
            elif is_percent:
                expected = (
                    f"按数据计算合计比上年{change.direction}{fmt(change.abs_percent)}%"
                    if change.percent is not None
                    else "按数据无法计算百分比"
                )
            else:
                expected = (
                    f"按数据计算合计比上年{change.direction}{fmt(change.abs_amount)} 万元"
                    f"（{fmt(change.current)} − {fmt(change.previous)}）"
                )
            checks.append(
                Check("text_change", f"“{label}”中写的“{match.group(0)}”与数据不符：{expected}。", source="text")
            )
    return checks


def year_checks(figures: YearFigures, unit_year: UnitYear) -> list[Check]:
    return figure_checks(figures) + text_checks(figures, unit_year)
