"""The year's figures as an Excel workbook, both ways (openpyxl; defusedxml makes its XML
parsing safe). One sheet per table, Chinese headers, 万元 with two decimals; columns marked
（计算） are derived by ``budgets.figures`` and ignored on upload.

An upload is checked as a zip (size, entry count, declared uncompressed size), then its XML
parts are streamed and counted before openpyxl builds anything, and openpyxl reads it in a child
process with a CPU and memory budget (``perfeval.xlsx_guard``); then every cell is validated.
Any problem → nothing is saved and every problem is reported by sheet, row and column.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from perfeval.xlsx import MONEY_FORMAT, PERCENT_FORMAT, CellStyles, workbook_bytes
from perfeval.xlsx_guard import MAX_ROWS, WorkbookRefused, workbook_read, workbook_scan

from .figures import Amounts, year_figures
from .forms import parse_money
from .models import AMOUNT_LABELS, IncomeSource, ProjectKind, SpendingKind, ThreePublicKind
from .services import AMOUNT_FIELDS, THREE_PUBLIC_FIELDS, ProjectData, YearData, figures_replace

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
LIMITS = {"size_mb": 5, "rows": MAX_ROWS}

DERIVED = "（计算）"
AMOUNT_HEADERS = tuple(AMOUNT_LABELS.values())
TP_HEADERS = ("预算数", "实际支出数", "上年实际数")
# 类型 is last so that the amount columns keep their letters; a workbook without it (an older
# download) reads every row as a project.
PROJECT_KIND_HEADER = "类型"
# The line's id, in a hidden last column: a project keeps its identity (and its indicators and
# goal) through a download-edit-upload round trip, even when renamed. Rows without one (added in
# the spreadsheet, or an older download) are matched by name, else new.
PROJECT_ID_HEADER = "编号（系统使用，请勿修改）"
PROJECT_HEADERS = (
    "序号",
    "项目名称",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "执行率" + DERIVED,
    "资金使用情况",
    PROJECT_KIND_HEADER,
    PROJECT_ID_HEADER,
)
SHEET_INCOME, SHEET_SPENDING, SHEET_TP, SHEET_PROJECTS = "收入", "支出", "三公经费", "项目支出"
HEADER_ROW = 3  # row 1: title, row 2: 单位：万元, row 3: headers

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DERIVED_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADING_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
CENTERED = Alignment(horizontal="center")
RIGHT = Alignment(horizontal="right")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


# ---------------------------------------------------------------- export


def _sheet(wb: Workbook, title: str, heading: str, headers: tuple[str, ...], widths: tuple[int, ...]):
    ws = wb.create_sheet(title)
    styles = CellStyles.of(wb)
    styles.apply(ws.cell(row=1, column=1, value=heading), font=HEADING_FONT, alignment=CENTERED)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    styles.apply(ws.cell(row=2, column=len(headers), value="单位：万元"), alignment=RIGHT)
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        styles.apply(cell, font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=HEADER_ALIGNMENT)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    return ws


def _row(ws, values: list, *, money_cols: set[int], percent_cols: set[int] = frozenset(), derived: bool = False):
    r = ws.max_row + 1
    styles = CellStyles.of(ws.parent)
    fill = DERIVED_FILL if derived else None
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=r, column=col, value=value)
        fmt = MONEY_FORMAT if col in money_cols else PERCENT_FORMAT if col in percent_cols else None
        styles.apply(cell, border=BORDER, number_format=fmt, fill=fill)


def _amount_values(amounts: Amounts) -> list:
    change = amounts.change
    return [
        *(getattr(amounts, f) for f in AMOUNT_FIELDS),
        amounts.execution_rate,
        None if change is None else change.amount,
        None if change is None else change.percent,
    ]


def workbook_export(*, unit_year) -> bytes:
    """The year's figures as .xlsx bytes. Prefetch the figure lines (``FIGURE_PREFETCH``)."""
    figures = year_figures(unit_year)
    name = f"{unit_year.unit.name} {unit_year.year}年度"
    wb = Workbook()
    info = wb.active
    info.title = "填表说明"
    rows = [
        ("年度", unit_year.year),
        ("部门（单位）名称", unit_year.unit.name),
        ("主管部门", unit_year.unit.parent.name if unit_year.unit.parent_id else ""),
        ("联系人", unit_year.contact_name),
        ("电话", unit_year.contact_phone),
        ("", ""),
        ("说明", "金额单位为万元，保留两位小数；空白表示“未填报”，与 0 不同。"),
        ("", "标有“（计算）”的行和列由系统计算，上传时忽略。"),
        ("", "上传后本年度的收入、支出、三公经费和项目支出将整体替换为文件中的内容。"),
    ]
    for label, value in rows:
        info.append([label, value])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 70

    amount_headers = ("收入来源", *AMOUNT_HEADERS, "执行率" + DERIVED, "比上年增减" + DERIVED, "增减率" + DERIVED)
    ws = _sheet(wb, SHEET_INCOME, f"{name}收入情况表", amount_headers, (30, 14, 14, 14, 14, 12, 14, 12))
    for source in IncomeSource:
        _row(
            ws,
            [source.label, *_amount_values(figures.income_line(source))],
            money_cols={2, 3, 4, 5, 7},
            percent_cols={6, 8},
        )
    _row(
        ws,
        ["各项收入之和" + DERIVED, *_amount_values(figures.income_parts_total)],
        money_cols={2, 3, 4, 5, 7},
        percent_cols={6, 8},
        derived=True,
    )

    spending_headers = ("支出类别", *amount_headers[1:])
    ws = _sheet(wb, SHEET_SPENDING, f"{name}支出情况表", spending_headers, (30, 14, 14, 14, 14, 12, 14, 12))
    for kind in SpendingKind:
        _row(
            ws,
            [kind.label, *_amount_values(figures.spending_line(kind))],
            money_cols={2, 3, 4, 5, 7},
            percent_cols={6, 8},
        )
    _row(
        ws,
        ["基本支出 + 项目支出" + DERIVED, *_amount_values(figures.spending_parts_total)],
        money_cols={2, 3, 4, 5, 7},
        percent_cols={6, 8},
        derived=True,
    )

    ws = _sheet(
        wb, SHEET_TP, f"{name}“三公”经费预算支出表", ("类别", *TP_HEADERS, "比上年增减" + DERIVED), (26, 14, 14, 14, 14)
    )
    for tp in [*figures.three_public, figures.three_public_total]:
        change = tp.change
        is_total = tp.kind == "total"
        _row(
            ws,
            [
                "合计" + DERIVED if is_total else tp.label,
                tp.budget,
                tp.actual,
                tp.previous_year,
                None if change is None else change.amount,
            ],
            money_cols={2, 3, 4, 5},
            derived=is_total,
        )

    ws = _sheet(wb, SHEET_PROJECTS, f"{name}项目支出明细表", PROJECT_HEADERS, (8, 44, 14, 14, 14, 12, 50, 24, 10))
    ws.column_dimensions[get_column_letter(len(PROJECT_HEADERS))].hidden = True
    for i, p in enumerate(figures.projects, start=1):
        _row(
            ws,
            [
                i,
                p.name,
                p.initial_budget,
                p.full_year_budget,
                p.actual,
                p.execution_rate,
                p.usage,
                ProjectKind(p.kind).label,
                p.pk,
            ],
            money_cols={3, 4, 5},
            percent_cols={6},
        )
    totals = figures.project_totals
    _row(
        ws,
        [
            "",
            "合计" + DERIVED,
            totals.initial_budget,
            totals.full_year_budget,
            totals.actual,
            totals.execution_rate,
            "",
            "",
            "",
        ],
        money_cols={3, 4, 5},
        percent_cols={6},
        derived=True,
    )

    return workbook_bytes(wb)


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None  # "C（全年预算数）"
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"{self.column}列")
        return ("".join(where) + "：" if where else "") + self.message


class ImportRefused(Exception):  # noqa: N818
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _refuse(message: str) -> ImportRefused:
    return ImportRefused([Problem("", None, None, message)])


def _check_container(upload) -> bytes:
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", None)
    if not name.endswith(".xlsx"):
        raise _refuse("只能上传 Excel 工作簿（.xlsx 文件）。旧版 .xls、.csv 或其他格式请先在 Excel 中另存为 .xlsx。")
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _refuse(f"文件大于 {LIMITS['size_mb']} MB，不能上传。")
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise _refuse(f"文件大于 {LIMITS['size_mb']} MB，不能上传。")
    buffer = io.BytesIO(content)
    if not zipfile.is_zipfile(buffer):
        raise _refuse("文件不是有效的 .xlsx 工作簿（可能是改了扩展名的其他文件），请在 Excel 中另存为 .xlsx 后再上传。")
    try:
        with zipfile.ZipFile(buffer) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise _refuse("文件已损坏，无法读取。") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _refuse("文件内部结构异常（包含的部件过多），不能上传。")
    if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
        raise _refuse("文件解压后过大（超过 50 MB），疑似压缩炸弹，不能上传。")
    if "xl/workbook.xml" not in {e.filename for e in entries}:
        raise _refuse("文件不是有效的 .xlsx 工作簿，请在 Excel 中另存为 .xlsx 后再上传。")
    return content


def _sheet_rows(sheet: dict | None, title: str, problems: list[Problem]) -> list[tuple[int, tuple]] | None:
    """Rows (row number, values) of a sheet read by ``workbook_read``; formulas without a cached
    value are problems."""
    if sheet is None:
        problems.append(Problem(title, None, None, f"缺少工作表“{title}”。请使用本系统下载的模板。"))
        return None
    for row, column in sheet["uncached"]:
        problems.append(
            Problem(
                title,
                row,
                get_column_letter(column),
                "单元格是公式，但文件中没有保存计算结果。请在 Excel 中打开、保存后再上传，或直接填写数值。",
            )
        )
    return [(index, tuple(values)) for index, values in enumerate(sheet["rows"], start=1)]


def _header_map(rows, title: str, key: str, expected: tuple[str, ...], problems: list[Problem]):
    for row_number, values in rows[:10]:
        texts = [str(v).strip() if v is not None else "" for v in values]
        if texts and texts[0] == key:
            columns = {}
            for header in expected:
                if header in texts:
                    columns[header] = texts.index(header)
                else:
                    problems.append(Problem(title, row_number, None, f"缺少“{header}”列。"))
            return row_number, columns
    problems.append(Problem(title, None, None, f"找不到表头（第一列为“{key}”的行）。请使用本系统下载的模板。"))
    return None, {}


def _money(values, col: int | None, title: str, row: int, header: str, problems: list[Problem]) -> Decimal | None:
    if col is None:
        return None
    value = values[col] if col < len(values) else None
    try:
        return parse_money(value)
    except ValidationError as error:
        problems.append(Problem(title, row, f"{get_column_letter(col + 1)}（{header}）", " ".join(error.messages)))
        return None


def _text(values, col: int) -> str:
    value = values[col] if col < len(values) else None
    return str(value).strip() if value is not None else ""


def _keyed_sheet(rows, title, key_header, choices, headers, fields, problems) -> dict:
    header_row, columns = _header_map(rows, title, key_header, headers, problems)
    if header_row is None:
        return {}
    labels = {}
    for choice in choices:
        labels[choice.label] = choice.value
        labels[choice.label.removeprefix("其中：")] = choice.value
    result: dict[str, dict] = {}
    for row_number, values in rows[header_row:]:
        label = _text(values, 0)
        rest = [v for v in values[1:] if v not in (None, "")]
        if not label and not rest:
            continue
        if label.endswith(DERIVED):
            continue
        key = labels.get(label)
        if key is None:
            problems.append(Problem(title, row_number, "A", f"无法识别的{key_header}“{label}”。"))
            continue
        if key in result:
            problems.append(Problem(title, row_number, "A", f"“{label}”重复出现。"))
            continue
        result[key] = {
            field: _money(values, columns.get(header), title, row_number, header, problems)
            for field, header in zip(fields, headers, strict=True)
        }
    return result


def _project_sheet(rows, problems) -> list[ProjectData]:
    title = SHEET_PROJECTS
    header_row, columns = _header_map(
        rows, title, "序号", ("项目名称", "年初预算数", "全年预算数", "全年执行数", "资金使用情况"), problems
    )
    if header_row is None:
        return []
    header_texts = [str(v).strip() if v is not None else "" for v in rows[header_row - 1][1]]
    kind_col = header_texts.index(PROJECT_KIND_HEADER) if PROJECT_KIND_HEADER in header_texts else None
    id_col = header_texts.index(PROJECT_ID_HEADER) if PROJECT_ID_HEADER in header_texts else None
    kinds = {choice.label: choice.value for choice in ProjectKind}
    projects = []
    for row_number, values in rows[header_row:]:
        name = _text(values, columns["项目名称"]) if "项目名称" in columns else ""
        if name.endswith(DERIVED):
            continue
        kind_text = _text(values, kind_col) if kind_col is not None else ""
        kind = kinds.get(kind_text or ProjectKind.PROJECT.label)
        if kind is None:
            problems.append(
                Problem(
                    title,
                    row_number,
                    f"{get_column_letter(kind_col + 1)}（{PROJECT_KIND_HEADER}）",
                    f"无法识别的类型“{kind_text}”，请填写“{'”或“'.join(kinds)}”。",
                )
            )
            continue
        amounts = {
            field: _money(values, columns.get(header), title, row_number, header, problems)
            for field, header in (
                ("initial_budget", "年初预算数"),
                ("full_year_budget", "全年预算数"),
                ("actual", "全年执行数"),
            )
        }
        usage = _text(values, columns["资金使用情况"]) if "资金使用情况" in columns else ""
        if not name:
            if any(v is not None for v in amounts.values()) or usage:
                problems.append(Problem(title, row_number, "B（项目名称）", "请填写项目名称。"))
            continue
        if len(name) > 200:
            problems.append(Problem(title, row_number, "B（项目名称）", "项目名称不能超过 200 个字。"))
            continue
        projects.append(
            ProjectData(name=name, usage=usage, kind=kind, pk=_line_id(values, id_col), by_name=True, **amounts)
        )
    return projects


def _line_id(values, col: int | None) -> int | None:
    """The hidden 编号 cell: a line id, else None (a typed-over or blank cell means a new row,
    matched by name). An id of another year's line is ignored by ``figures_replace``."""
    if col is None or col >= len(values):
        return None
    value = values[col]
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and value == int(value) and value > 0:
        return int(value)
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and int(text) > 0 else None


def workbook_parse(upload) -> YearData:
    """Read and validate an uploaded workbook; ``ImportRefused`` lists every problem."""
    content = _check_container(upload)
    titles = (SHEET_INCOME, SHEET_SPENDING, SHEET_TP, SHEET_PROJECTS)
    try:
        workbook_scan(content)
        read = workbook_read(content, titles)
    except WorkbookRefused as refused:
        raise ImportRefused([Problem(sheet, None, None, message) for sheet, message in refused.problems]) from None
    problems: list[Problem] = []
    sheets = {t: _sheet_rows(read[t], t, problems) for t in titles}
    data = YearData()
    if sheets[SHEET_INCOME] is not None:
        data.income = _keyed_sheet(
            sheets[SHEET_INCOME], SHEET_INCOME, "收入来源", IncomeSource, AMOUNT_HEADERS, AMOUNT_FIELDS, problems
        )
    if sheets[SHEET_SPENDING] is not None:
        data.spending = _keyed_sheet(
            sheets[SHEET_SPENDING], SHEET_SPENDING, "支出类别", SpendingKind, AMOUNT_HEADERS, AMOUNT_FIELDS, problems
        )
    if sheets[SHEET_TP] is not None:
        data.three_public = _keyed_sheet(
            sheets[SHEET_TP], SHEET_TP, "类别", ThreePublicKind, TP_HEADERS, THREE_PUBLIC_FIELDS, problems
        )
    if sheets[SHEET_PROJECTS] is not None:
        data.projects = _project_sheet(sheets[SHEET_PROJECTS], problems)
    if problems:
        raise ImportRefused(problems)
    return data


def workbook_import(*, unit_year, user, expected_version: int, upload):
    """Replace the year's figures with an uploaded workbook, all or nothing."""
    data = workbook_parse(upload)
    try:
        return figures_replace(unit_year=unit_year, user=user, expected_version=expected_version, data=data)
    except ValidationError as error:
        raise ImportRefused([Problem("", None, None, m) for m in error.messages]) from None


# ---------------------------------------------------------------- replace: preview, then apply


@dataclass(frozen=True)
class Change:
    """One difference an upload would make: a cell (old → new), or a project row added/removed."""

    what: str  # "收入 · 财政拨款"
    column: str  # "年初预算数"; "" for a whole row
    old: str
    new: str
    kind: str = "changed"  # changed / added / removed


def _shown(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def year_data_changes(current: YearData, upload: YearData) -> list[Change]:
    """What replacing ``current`` by ``upload`` changes, cell by cell (projects matched by their
    hidden id, else by name — as ``figures_replace`` will match them)."""
    changes: list[Change] = []
    groups = (
        ("收入", current.income, upload.income, IncomeSource, AMOUNT_FIELDS, AMOUNT_HEADERS),
        ("支出", current.spending, upload.spending, SpendingKind, AMOUNT_FIELDS, AMOUNT_HEADERS),
        ("三公经费", current.three_public, upload.three_public, ThreePublicKind, THREE_PUBLIC_FIELDS, TP_HEADERS),
    )
    for group, old_rows, new_rows, choices, fields, headers in groups:
        for choice in choices:
            old, new = old_rows.get(choice.value, {}), new_rows.get(choice.value, {})
            for name, header in zip(fields, headers, strict=True):
                if old.get(name) != new.get(name):
                    changes.append(
                        Change(f"{group} · {choice.label}", header, _shown(old.get(name)), _shown(new.get(name)))
                    )
    old_by_pk = {p.pk: p for p in current.projects if p.pk is not None}
    claimed = {p.pk for p in upload.projects if p.pk in old_by_pk}
    matched: dict[int, ProjectData] = {}  # position in upload -> the current line it edits
    for n, new in enumerate(upload.projects):
        old = old_by_pk.get(new.pk) if new.pk is not None else None
        if old is None:
            old = next(
                (
                    p
                    for p in current.projects
                    if p.name == new.name and p.pk not in claimed and all(m is not p for m in matched.values())
                ),
                None,
            )
        if old is not None and all(m is not old for m in matched.values()):
            matched[n] = old
    columns = (
        ("initial_budget", "年初预算数"),
        ("full_year_budget", "全年预算数"),
        ("actual", "全年执行数"),
        ("usage", "资金使用情况"),
    )
    for n, new in enumerate(upload.projects):
        old = matched.get(n)
        if old is None:
            amounts = "，".join(f"{label} {_shown(getattr(new, f))}" for f, label in columns[:3])
            changes.append(Change(f"项目 · {new.name}", "", "", amounts, kind="added"))
            continue
        if old.name != new.name:
            changes.append(Change(f"项目 · {old.name}", "项目名称", old.name, new.name))
        for f, label in columns:
            if getattr(old, f) != getattr(new, f):
                changes.append(Change(f"项目 · {new.name}", label, _shown(getattr(old, f)), _shown(getattr(new, f))))
    kept = [id(m) for m in matched.values()]
    for old in current.projects:
        if id(old) not in kept:
            amounts = "，".join(f"{label} {_shown(getattr(old, f))}" for f, label in columns[:3])
            changes.append(Change(f"项目 · {old.name}", "", amounts, "", kind="removed"))
    return changes


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def year_data_dump(data: YearData) -> dict:
    """``YearData`` as JSON-safe values (amounts as strings), to keep a parsed upload in the session."""

    def rows(d):
        return {k: {f: None if v is None else str(v) for f, v in r.items()} for k, r in d.items()}

    return {
        "income": rows(data.income),
        "spending": rows(data.spending),
        "three_public": rows(data.three_public),
        "projects": [
            {
                "name": p.name,
                "initial_budget": None if p.initial_budget is None else str(p.initial_budget),
                "full_year_budget": None if p.full_year_budget is None else str(p.full_year_budget),
                "actual": None if p.actual is None else str(p.actual),
                "usage": p.usage,
                "kind": p.kind,
                "pk": p.pk,
                "by_name": p.by_name,
            }
            for p in data.projects
        ],
    }


def year_data_load(dumped: dict) -> YearData:
    def rows(d):
        return {k: {f: _dec(v) for f, v in r.items()} for k, r in d.items()}

    return YearData(
        income=rows(dumped["income"]),
        spending=rows(dumped["spending"]),
        three_public=rows(dumped["three_public"]),
        projects=[
            ProjectData(
                name=p["name"],
                initial_budget=_dec(p["initial_budget"]),
                full_year_budget=_dec(p["full_year_budget"]),
                actual=_dec(p["actual"]),
                usage=p["usage"],
                kind=p.get("kind", ProjectKind.PROJECT),
                pk=p.get("pk"),
                by_name=p.get("by_name", True),
            )
            for p in dumped["projects"]
        ],
    )


def workbook_apply(*, unit_year, user, expected_version: int, data: YearData, confirm_delete: bool = False):
    """Apply a previewed upload, all or nothing, with the version check (``ProjectsInUse`` when
    it would delete a project with indicators, unless ``confirm_delete``)."""
    try:
        return figures_replace(
            unit_year=unit_year,
            user=user,
            expected_version=expected_version,
            data=data,
            confirm_delete=confirm_delete,
        )
    except ValidationError as error:
        raise ImportRefused([Problem("", None, None, m) for m in error.messages]) from None
