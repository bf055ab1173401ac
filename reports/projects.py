"""项目支出绩效自评 in the report: each project's 项目支出绩效自评表 (an annex of the PDF, a sheet of
the Excel workbook) and the summary of section 三. Money from ``budgets.figures``, scores from
``indicators.selectors.project_tables``; nothing here computes a figure or a score itself.

Hooks: ``reports.data.REPORT_PREFETCH`` prefetches the project side; ``reports.outline`` places the
summary and the annexes; ``reports.excel.workbook_bytes`` adds a sheet per project."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook

from budgets.figures import FundsRow, ProjectFigure, project_self_evaluation_funds
from indicators.excel import sheet_title as indicator_sheet_title
from indicators.models import Indicator, ProjectEvaluation
from indicators.scoring import Rules, YearScore
from indicators.selectors import ProjectTable, project_evaluations, project_tables
from perfeval.formatting import score_or

from .data import IndicatorRow, ReportData, indicator_rows

PROJECT_SELF_EVAL_TITLE = "项目支出绩效自评表"


@dataclass(frozen=True)
class ProjectReport:
    """One project as the report shows it."""

    table: ProjectTable
    funds: list[FundsRow]
    rows: list[IndicatorRow]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def figure(self) -> ProjectFigure:
        return self.table.figure

    @property
    def score(self) -> YearScore:
        return self.table.score

    @property
    def rules(self) -> Rules:
        return self.table.rules

    @property
    def evaluation(self) -> ProjectEvaluation | None:
        return self.table.evaluation

    @property
    def included(self) -> bool:
        return self.table.included

    @property
    def evaluated(self) -> bool:
        return self.table.evaluated

    @property
    def misses(self) -> list[Indicator]:
        return self.table.misses

    @property
    def exclusion_reason(self) -> str:
        return self.evaluation.exclusion_reason if self.evaluation else ""

    @property
    def goal(self) -> str:
        return self.evaluation.expected_goal if self.evaluation else ""

    @property
    def outcome(self) -> str:
        return self.evaluation.actual_outcome if self.evaluation else ""

    @property
    def full_marks(self):
        return self.rules.indicator_weight_total + self.rules.execution_weight


def report_projects(data: ReportData) -> list[ProjectReport]:
    """The projects taken up in the year's self-evaluation (evaluated, or excluded with a reason),
    in the order of the project list. No queries for a unit-year from ``report_queryset()``."""
    uy = data.unit_year
    if "indicators" in getattr(uy, "_prefetched_objects_cache", {}):  # from report_queryset()
        indicators = [i for i in uy.indicators.all() if i.project_id is not None]
    else:
        indicators = list(Indicator.objects.filter(unit_year=uy, project__isnull=False).ordered())
    funds = {p.pk: list(p.funds.all()) for p in uy.project_lines.all()}
    tables = project_tables(uy, rules=data.rules, evaluations=project_evaluations(uy), indicators=indicators)
    return [
        ProjectReport(table=t, funds=project_self_evaluation_funds(t.figure, funds.get(t.pk, [])), rows=_rows(t))
        for t in tables
        if t.evaluated or not t.included
    ]


def _rows(table: ProjectTable) -> list[IndicatorRow]:
    return indicator_rows(table.indicators)


def project_table(data: ReportData, project: ProjectReport):
    """A project's 项目支出绩效自评表 in the department table's 8-column layout, as the department's
    (``reports.outline``): the money and goal part, then the indicator part whose header row
    repeats on every page — the HTML/PDF and Word annexes walk both."""
    from .outline import (
        SELF_EVAL_WIDTHS,
        UNIT_WAN,
        Cell,
        Row,
        Table,
        self_evaluation_funds_rows,
        self_evaluation_goal_rows,
        self_evaluation_indicator_table,
    )

    uy, score = data.unit_year, project.score
    h = lambda text, **kw: Cell(text, header=True, **kw)  # noqa: E731
    body = [
        Row([h("项目名称", colspan=2), Cell(project.name, colspan=6)]),
        Row([h("主管部门", colspan=2), Cell(data.competent_department, colspan=2), h("实施单位", colspan=2),
             Cell(uy.unit.name, colspan=2)]),
        *self_evaluation_funds_rows(
            project.funds, execution_weight=project.rules.execution_weight, execution_score=score.execution_score
        ),
        *self_evaluation_goal_rows(tuple(_lines(project.goal)), tuple(_lines(project.outcome))),
    ]  # fmt: skip
    caption = f"{uy.year}年度{PROJECT_SELF_EVAL_TITLE}（{project.name}）"
    funds = Table(
        f"project_{project.table.pk}",
        caption,
        [],
        body,
        unit=UNIT_WAN,
        css="grid self-eval",
        testid="project-annex-table",
        widths=SELF_EVAL_WIDTHS,
    )
    indicators = self_evaluation_indicator_table(
        f"project_{project.table.pk}_indicators",
        project.rows,
        rules=project.rules,
        score=score,
        full_marks=project.full_marks,
        show_score=score.scored,
        testid="project-annex-indicators",
        groups=False,
    )
    return funds, indicators


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def annexes(data: ReportData, projects: list[ProjectReport]) -> list:
    """One annex per evaluated project, after the department's 自评表."""
    from .outline import Annex

    annexes = []
    for p in projects:
        if p.evaluated:
            funds, indicators = project_table(data, p)
            annexes.append(Annex(f"{PROJECT_SELF_EVAL_TITLE}（{p.name}）", funds, continued=(indicators,)))
    return annexes


# -- Excel: one sheet per project, the layout of the department's 自评表 ------------------------

# "项目1 县人大代表活动经费", cut to Excel's 31 characters: the same names as the indicator workbook.
sheet_title = indicator_sheet_title


def add_project_sheets(wb: Workbook, data: ReportData, projects: list[ProjectReport]) -> None:
    """A 项目支出绩效自评表 sheet per evaluated project (``reports.excel`` cell helpers)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from perfeval.xlsx import MONEY_FORMAT, PERCENT_FORMAT

    from . import excel as x
    from .outline import CONCLUSION_LABEL, EXECUTION_LABEL, FUNDS_COLUMNS, INDICATOR_COLUMN, SELF_EVAL_INDICATOR_KEYS
    from .outline import TOTAL_LABEL as TOTAL

    uy = data.unit_year
    for n, p in enumerate([p for p in projects if p.evaluated], start=1):
        ws = wb.create_sheet(sheet_title(n, p.name))
        score = p.score
        for i, width in enumerate(x.SELF_EVAL_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.merge_cells("A1:H1")
        title = ws.cell(row=1, column=1, value=f"{uy.year}年度{PROJECT_SELF_EVAL_TITLE}")
        title.font, title.alignment = x.TITLE, x.CENTER
        ws.row_dimensions[1].height = 32
        ws.merge_cells("A2:H2")
        ws.cell(row=2, column=1, value="金额单位：万元").alignment = Alignment(horizontal="right")
        x._header(ws, 3, 1, "项目名称", to_col=2)
        x._put(ws, 3, 3, p.name, to_col=8)
        x._header(ws, 4, 1, "主管部门", to_col=2)
        x._put(ws, 4, 3, data.competent_department, to_col=4)
        x._header(ws, 4, 5, "实施单位", to_col=6)
        x._put(ws, 4, 7, uy.unit.name, to_col=8)
        row = 5
        x._header(ws, row, 1, "项目资金（万元）", to_col=2)
        for col, column in enumerate(FUNDS_COLUMNS, start=3):
            x._header(ws, row, col, column.label)
        for funds in p.funds:
            row += 1
            a = funds.amounts
            x._put(ws, row, 1, funds.label, to_col=2, font=x.BOLD if funds.is_total else x.NORMAL)
            x._number(ws, row, 3, a.initial_budget, MONEY_FORMAT)
            x._number(ws, row, 4, a.full_year_budget, MONEY_FORMAT)
            x._number(ws, row, 5, a.actual, MONEY_FORMAT)
            x._number(ws, row, 6, p.rules.execution_weight if funds.is_total else None, x.SCORE_FORMAT)
            x._number(ws, row, 7, a.execution_rate, PERCENT_FORMAT)
            x._number(ws, row, 8, score.execution_score if funds.is_total else None, x.SCORE_FORMAT)
        row += 1
        x._header(ws, row, 1, "年度总体目标", to_col=2, to_row=row + 1)
        x._header(ws, row, 3, "预期目标", to_col=5)
        x._header(ws, row, 6, "实际完成情况", to_col=8)
        row += 1
        x._put(ws, row, 3, p.goal, to_col=5)
        x._put(ws, row, 6, p.outcome, to_col=8)
        ws.row_dimensions[row].height = max(30, 16 * max(len(_lines(p.goal)), len(_lines(p.outcome)), 1) * 1.4)
        row += 1
        for col, key in enumerate(SELF_EVAL_INDICATOR_KEYS, start=1):
            x._header(ws, row, col, INDICATOR_COLUMN[key].table_label)
        for ir in p.rows:
            ind = ir.indicator
            row += 1
            if ir.tier1_span:
                x._put(ws, row, 1, ir.tier1_label, to_row=row + ir.tier1_span - 1, align=x.CENTER)
            if ir.tier2_span:
                x._put(ws, row, 2, ir.tier2_label, to_row=row + ir.tier2_span - 1, align=x.CENTER)
            x._put(ws, row, 3, ind.name)
            x._put(ws, row, 4, ind.target_display, align=x.CENTER)
            x._put(ws, row, 5, ind.actual_display, align=x.CENTER)
            if ind.not_applicable:
                x._put(ws, row, 6, "不适用", align=x.CENTER)
            else:
                x._number(ws, row, 6, ind.weight, x.SCORE_FORMAT)
            x._number(ws, row, 7, ind.score, x.SCORE_FORMAT)
            x._put(ws, row, 8, ind.deviation_reason)
        row += 1
        x._put(ws, row, 1, EXECUTION_LABEL, to_col=3, font=x.BOLD, align=x.CENTER)
        x._put(ws, row, 4, "100%", align=x.CENTER)
        x._number(ws, row, 5, p.figure.execution_rate, PERCENT_FORMAT)
        x._number(ws, row, 6, p.rules.execution_weight, x.SCORE_FORMAT)
        x._number(ws, row, 7, score.execution_score, x.SCORE_FORMAT)
        x._put(ws, row, 8, "")
        row += 1
        x._put(ws, row, 1, TOTAL, to_col=5, font=x.BOLD, align=x.CENTER)
        x._number(ws, row, 6, p.full_marks, x.SCORE_FORMAT)
        x._number(ws, row, 7, score.total if score.scored else None, x.SCORE_FORMAT)
        x._put(ws, row, 8, "")
        row += 1
        x._put(ws, row, 1, CONCLUSION_LABEL, to_col=5, font=x.BOLD, align=x.CENTER)
        conclusion = f"{score.grade}（{score_or(score.total)}分）" if score.grade else ""
        x._put(ws, row, 6, conclusion, to_col=8, align=x.CENTER)
        x._print_setup(ws, data, title_rows="1:2")
