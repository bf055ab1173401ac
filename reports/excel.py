"""The self-evaluation table (部门整体支出绩效自评表, docs/domain.md §7) and the full indicator table
as an Excel workbook. Figures from ``budgets.figures``, scores from ``year_score`` (through
``ReportData``); the file is written by ``perfeval.xlsx.workbook_bytes`` (formula-like text stays text)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from budgets.figures import self_evaluation_funds
from perfeval import xlsx
from perfeval.xlsx import MONEY_FORMAT, PERCENT_FORMAT, CellStyles

from . import prose
from .data import ReportData
from .outline import (
    CONCLUSION_LABEL,
    EXECUTION_LABEL,
    FUNDS_COLUMNS,
    FUNDS_TITLE,
    INDICATOR_COLUMN,
    SELF_EVAL_INDICATOR_KEYS,
    SELF_EVAL_TITLE,
    TOTAL_LABEL,
)

SCORE_FORMAT = "0.00"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(name="宋体", bold=True, size=11)
NORMAL = Font(name="宋体", size=11)
TITLE = Font(name="宋体", bold=True, size=16)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")

SELF_EVAL_WIDTHS = (12, 16, 34, 16, 16, 9, 10, 40)
# The full indicator sheet: the report's indicator columns (labels from ``reports.outline``) with
# a running number and the 不适用 flag; widths in characters.
INDICATOR_HEADERS = (
    ("序号", 6),
    (INDICATOR_COLUMN["group"].label, 10),
    (INDICATOR_COLUMN["tier1"].label, 12),
    (INDICATOR_COLUMN["tier2"].label, 16),
    (INDICATOR_COLUMN["name"].label, 36),
    (INDICATOR_COLUMN["target"].label, 18),
    (INDICATOR_COLUMN["actual"].label, 18),
    (INDICATOR_COLUMN["weight"].label, 8),
    (INDICATOR_COLUMN["score"].label, 8),
    ("不适用", 8),
    (INDICATOR_COLUMN["deviation"].label, 40),
    (INDICATOR_COLUMN["note"].label, 16),
)


def _put(
    ws: Worksheet,
    row: int,
    col: int,
    value: object,
    *,
    to_col: int | None = None,
    to_row: int | None = None,
    font: Font = NORMAL,
    align: Alignment = LEFT,
    number_format: str | None = None,
    fill: PatternFill | None = None,
):
    """Write one (possibly merged) bordered cell."""
    last_col, last_row = to_col or col, to_row or row
    if (last_col, last_row) != (col, row):
        ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
    cell = ws.cell(row=row, column=col, value=value)
    styles = CellStyles.of(ws.parent)  # each style combination hashed once per workbook
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            target = cell if (r, c) == (row, col) else ws.cell(row=r, column=c)
            styles.apply(
                target,
                border=BORDER,
                font=font,
                alignment=align,
                fill=fill,
                number_format=(number_format or None) if target is cell else None,
            )
    return cell


def _header(ws: Worksheet, row: int, col: int, value: str, **kw):
    return _put(ws, row, col, value, font=BOLD, align=CENTER, fill=HEADER_FILL, **kw)


def _number(ws: Worksheet, row: int, col: int, value: Decimal | None, fmt: str, **kw):
    return _put(ws, row, col, value, align=RIGHT, number_format=fmt, **kw)


def _print_setup(ws: Worksheet, data: ReportData, *, title_rows: str) -> None:
    """A4 landscape, one page wide, the header rows repeated on every printed page, margins in
    inches (about 20/15 mm), "第 N 页 共 M 页" in the footer and "未定稿" in the header of a year
    not finalised — on every sheet."""
    ws.print_title_rows = title_rows
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    ws.page_margins.header = ws.page_margins.footer = 0.4
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = "宋体"
    if data.draft_mark:
        ws.oddHeader.center.text = data.draft_mark
        ws.oddHeader.center.font = "黑体,Bold"
        ws.oddHeader.center.size = 14
        ws.oddHeader.center.color = "CC0000"


def _self_evaluation_sheet(ws: Worksheet, data: ReportData) -> None:
    uy, figures, score = data.unit_year, data.figures, data.score
    ws.title = "自评表"
    for i, width in enumerate(SELF_EVAL_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws.merge_cells("A1:H1")
    title = ws.cell(row=1, column=1, value=f"{uy.year}年度{SELF_EVAL_TITLE}")
    title.font, title.alignment = TITLE, CENTER
    ws.row_dimensions[1].height = 32
    ws.merge_cells("A2:H2")
    unit_note = ws.cell(row=2, column=1, value="金额单位：万元")
    unit_note.alignment = Alignment(horizontal="right")

    # Header: 年度, 部门（单位）名称, 主管部门, 联系人, 电话
    _header(ws, 3, 1, "年度")
    _put(ws, 3, 2, uy.year, align=CENTER)
    _header(ws, 3, 3, "部门（单位）名称")
    _put(ws, 3, 4, uy.unit.name, to_col=5)
    _header(ws, 3, 6, "主管部门", to_col=7)
    _put(ws, 3, 8, data.competent_department)
    _header(ws, 4, 1, "联系人")
    _put(ws, 4, 2, uy.contact_name, align=CENTER)
    _header(ws, 4, 3, "电话")
    _put(ws, 4, 4, uy.contact_phone, to_col=5)
    _header(ws, 4, 6, "评价方式", to_col=7)
    _put(ws, 4, 8, uy.evaluation_method or "单位自评")

    # Funds: rows 年度资金总额 / 其中：财政拨款 / 上年结转 / 其他资金.
    row = 5
    _header(ws, row, 1, FUNDS_TITLE, to_col=2)
    for col, column in enumerate(FUNDS_COLUMNS, start=3):
        _header(ws, row, col, column.label)
    for funds in self_evaluation_funds(figures):
        row += 1
        a = funds.amounts
        _put(ws, row, 1, funds.label, to_col=2, font=BOLD if funds.is_total else NORMAL)
        _number(ws, row, 3, a.initial_budget, MONEY_FORMAT)
        _number(ws, row, 4, a.full_year_budget, MONEY_FORMAT)
        _number(ws, row, 5, a.actual, MONEY_FORMAT)
        _number(ws, row, 6, data.rules.execution_weight if funds.is_total else None, SCORE_FORMAT)
        _number(ws, row, 7, a.execution_rate, PERCENT_FORMAT)
        _number(ws, row, 8, score.execution_score if funds.is_total else None, SCORE_FORMAT)

    # 年度总体目标: 预期目标 | 实际完成情况
    row += 1
    _header(ws, row, 1, "年度总体目标", to_col=2, to_row=row + 1)
    _header(ws, row, 3, "预期目标", to_col=5)
    _header(ws, row, 6, "实际完成情况", to_col=8)
    row += 1
    goals = "\n".join(f"{i}、{g.text}" for i, g in enumerate(data.annual_goals, start=1))
    _put(ws, row, 3, goals, to_col=5)
    # 实际完成情况: each goal's, as entered once (the report's section 四 prints the same).
    achievements = prose.goal_achievements(data)
    _put(ws, row, 6, "\n".join(achievements), to_col=8)
    lines = max(len(data.annual_goals), len(achievements), 1)
    ws.row_dimensions[row].height = max(30, 16 * lines * 1.4)

    # Indicators: 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    row += 1
    for col, key in enumerate(SELF_EVAL_INDICATOR_KEYS, start=1):
        _header(ws, row, col, INDICATOR_COLUMN[key].table_label)
    for ir in data.indicator_rows:
        ind = ir.indicator
        if ir.group_span:
            row += 1
            _put(ws, row, 1, ir.group_label, to_col=8, font=BOLD, fill=GROUP_FILL)
        row += 1
        if ir.tier1_span:
            _put(ws, row, 1, ir.tier1_label, to_row=row + ir.tier1_span - 1, align=CENTER)
        if ir.tier2_span:
            _put(ws, row, 2, ir.tier2_label, to_row=row + ir.tier2_span - 1, align=CENTER)
        _put(ws, row, 3, ind.name)
        _put(ws, row, 4, ind.target_display, align=CENTER)
        _put(ws, row, 5, ind.actual_display, align=CENTER)
        if ind.not_applicable:
            _put(ws, row, 6, "不适用", align=CENTER)
        else:
            _number(ws, row, 6, ind.weight, SCORE_FORMAT)
        _number(ws, row, 7, ind.score, SCORE_FORMAT)
        _put(ws, row, 8, ind.deviation_reason)
    row += 1
    _put(ws, row, 1, EXECUTION_LABEL, to_col=3, font=BOLD, align=CENTER)
    _put(ws, row, 4, "100%", align=CENTER)
    _number(ws, row, 5, score.execution_rate, PERCENT_FORMAT)
    _number(ws, row, 6, data.rules.execution_weight, SCORE_FORMAT)
    _number(ws, row, 7, score.execution_score, SCORE_FORMAT)
    _put(ws, row, 8, "")

    # Footer: 总分, 自评结论
    row += 1
    _put(ws, row, 1, TOTAL_LABEL, to_col=5, font=BOLD, align=CENTER)
    _number(ws, row, 6, data.full_marks, SCORE_FORMAT)
    _number(ws, row, 7, score.total if data.show_score else None, SCORE_FORMAT)
    _put(ws, row, 8, "")
    row += 1
    _put(ws, row, 1, CONCLUSION_LABEL, to_col=5, font=BOLD, align=CENTER)
    conclusion = f"{score.grade}（{prose.score_text(score.total)}分）" if score.grade else ""
    _put(ws, row, 6, conclusion, to_col=8, align=CENTER)

    # Signature lines under the table, as the printed form has them.
    row += 2
    _sign = Alignment(horizontal="left", vertical="bottom")
    for col, label in ((1, "填报人："), (4, "单位负责人："), (7, "日期：")):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font, cell.alignment = NORMAL, _sign
    ws.cell(row=row, column=8, value=data.report_date_text).font = NORMAL
    ws.row_dimensions[row].height = 30

    ws.freeze_panes = None
    _print_setup(ws, data, title_rows="1:2")


def _indicator_sheet(ws: Worksheet, data: ReportData) -> None:
    ws.title = "绩效指标"
    for col, (label, width) in enumerate(INDICATOR_HEADERS, start=1):
        _header(ws, 1, col, label)
        ws.column_dimensions[get_column_letter(col)].width = width
    for pos, ir in enumerate(data.indicator_rows, start=1):
        ind, row = ir.indicator, pos + 1
        _put(ws, row, 1, pos, align=CENTER)
        _put(ws, row, 2, ir.group_label, align=CENTER)
        _put(ws, row, 3, ir.tier1_label, align=CENTER)
        _put(ws, row, 4, ir.tier2_label, align=CENTER)
        _put(ws, row, 5, ind.name)
        _put(ws, row, 6, ind.target_display, align=CENTER)
        _put(ws, row, 7, ind.actual_display, align=CENTER)
        _number(ws, row, 8, ind.weight, SCORE_FORMAT)
        _number(ws, row, 9, ind.score, SCORE_FORMAT)
        _put(ws, row, 10, "是" if ind.not_applicable else "", align=CENTER)
        _put(ws, row, 11, ind.deviation_reason)
        _put(ws, row, 12, ind.note)
    ws.freeze_panes = "A2"
    last = len(data.indicator_rows) + 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(INDICATOR_HEADERS))}{last}"
    _print_setup(ws, data, title_rows="1:1")


def workbook_bytes(data: ReportData) -> bytes:
    wb = Workbook()
    _self_evaluation_sheet(wb.active, data)
    _indicator_sheet(wb.create_sheet(), data)
    # One 项目支出绩效自评表 sheet per evaluated project, after the department's sheets.
    from .projects import add_project_sheets, report_projects

    add_project_sheets(wb, data, report_projects(data))
    wb.properties.title = f"{data.unit_year.unit.name}{data.unit_year.year}年度部门整体支出绩效自评表"
    wb.properties.creator = data.unit_year.unit.name
    return xlsx.workbook_bytes(wb)
