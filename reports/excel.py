"""The self-evaluation table (部门整体支出绩效自评表, DOMAIN.md §7) and the full indicator table
as an Excel workbook. Figures from ``budgets.figures``, scores from ``year_score`` (through
``ReportData``); the file is written by ``perfeval.xlsx.workbook_bytes`` (formula-like text stays text)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from budgets.figures import self_evaluation_funds
from indicators.scoring import NATIONAL_RULES
from perfeval import xlsx
from perfeval.xlsx import MONEY_FORMAT, PERCENT_FORMAT, CellStyles

from . import prose
from .selectors import ReportData

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
INDICATOR_HEADERS = (
    ("序号", 6),
    ("经费类别", 10),
    ("一级指标", 12),
    ("二级指标", 16),
    ("三级指标", 36),
    ("指标值", 18),
    ("实际完成值", 18),
    ("分值", 8),
    ("得分", 8),
    ("不适用", 8),
    ("偏差原因分析及改进措施", 40),
    ("备注", 16),
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


def _self_evaluation_sheet(ws: Worksheet, data: ReportData) -> None:
    uy, figures, score = data.unit_year, data.figures, data.score
    ws.title = "自评表"
    for i, width in enumerate(SELF_EVAL_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws.merge_cells("A1:H1")
    title = ws.cell(row=1, column=1, value=f"{uy.year}年度部门整体支出绩效自评表")
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
    _header(ws, row, 1, "年度资金（万元）", to_col=2)
    for col, label in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=3):
        _header(ws, row, col, label)
    for funds in self_evaluation_funds(figures):
        row += 1
        a = funds.amounts
        _put(ws, row, 1, funds.label, to_col=2, font=BOLD if funds.is_total else NORMAL)
        _number(ws, row, 3, a.initial_budget, MONEY_FORMAT)
        _number(ws, row, 4, a.full_year_budget, MONEY_FORMAT)
        _number(ws, row, 5, a.actual, MONEY_FORMAT)
        _number(ws, row, 6, NATIONAL_RULES.execution_weight if funds.is_total else None, SCORE_FORMAT)
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
    _put(ws, row, 6, "", to_col=8)
    ws.row_dimensions[row].height = max(30, 16 * max(1, len(data.annual_goals)) * 1.4)

    # Indicators: 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    row += 1
    for col, label in enumerate(
        ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
        start=1,
    ):
        _header(ws, row, col, label)
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
    _put(ws, row, 1, "预算执行率", to_col=3, font=BOLD, align=CENTER)
    _put(ws, row, 4, "100%", align=CENTER)
    _number(ws, row, 5, score.execution_rate, PERCENT_FORMAT)
    _number(ws, row, 6, NATIONAL_RULES.execution_weight, SCORE_FORMAT)
    _number(ws, row, 7, score.execution_score, SCORE_FORMAT)
    _put(ws, row, 8, "")

    # Footer: 总分, 自评结论
    row += 1
    _put(ws, row, 1, "总分", to_col=5, font=BOLD, align=CENTER)
    _number(ws, row, 6, Decimal("100"), SCORE_FORMAT)
    _number(ws, row, 7, score.total if data.show_score else None, SCORE_FORMAT)
    _put(ws, row, 8, "")
    row += 1
    _put(ws, row, 1, "自评结论", to_col=5, font=BOLD, align=CENTER)
    conclusion = f"{score.grade}（{prose.score_text(score.total)}分）" if score.grade else ""
    _put(ws, row, 6, conclusion, to_col=8, align=CENTER)

    ws.freeze_panes = None
    ws.print_title_rows = "1:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


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
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE


def workbook_bytes(data: ReportData) -> bytes:
    wb = Workbook()
    _self_evaluation_sheet(wb.active, data)
    _indicator_sheet(wb.create_sheet(), data)
    wb.properties.title = f"{data.unit_year.unit.name}{data.unit_year.year}年度部门整体支出绩效自评表"
    wb.properties.creator = data.unit_year.unit.name
    return xlsx.workbook_bytes(wb)
