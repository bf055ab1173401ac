"""The projects' indicator tables as an Excel workbook, both ways: one sheet per project (its
line id in a hidden row, each indicator's id in a hidden column); the finance officer fills
targets and weights and uploads it back; while the year is evaluated, a member of the evaluation
group fills 实际完成值, 评价档次, 得分 and 偏差原因 and uploads them as his or her scores (each row
checked by the same rules as on the 评分 page, ``services.member_score_save``). All or nothing:
every problem is listed by sheet, row and column (Chinese), and nothing is saved unless the
whole file is sound. Uploads are checked like the figures workbook (``budgets.excel``: size,
zip, ``perfeval.xlsx_guard``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from budgets.excel import HEADER_ALIGNMENT, HEADER_FILL, HEADER_FONT, ImportRefused, Problem, _check_container
from budgets.models import ProjectKind, ProjectLine
from departments.models import UnitYear
from perfeval import xlsx
from perfeval.xlsx import CellStyles
from perfeval.xlsx_guard import WorkbookRefused, workbook_read, workbook_scan

from .models import Indicator, MemberScore
from .services import (
    _claim,
    _require_editable,
    indicator_propose_direction,
    indicator_reset_stale_scores,
    indicator_set_target,
    member_score_save,
    scoring_key,
)
from .vocabulary import Band, FundCategory, Tier1, Tier2, tier2_mismatch

HEADERS = ("编号", "经费类别", "一级指标", "二级指标", "三级指标", "指标值", "分值", "评分标准", "实际完成值")
# The evaluation group's columns (read from a member's upload while the year is evaluated).
SCORE_HEADERS = ("评价档次（定性指标）", "得分", "偏差原因分析及改进措施")
ACTUAL_COL, BAND_COL, SCORE_COL, REASON_COL = 8, 9, 10, 11  # 0-based: I, J, K, L
_BANDS = {c.label: c.value for c in Band}
ID_ROW = 2  # hidden: "项目编号" and the line id
HEADER_ROW = 3
_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", ""))


def sheet_title(n: int, name: str) -> str:
    return f"项目{n} {name.translate(_FORBIDDEN)}"[:31]


def _projects(unit_year: UnitYear) -> list[ProjectLine]:
    return list(ProjectLine.objects.filter(unit_year=unit_year, kind=ProjectKind.PROJECT).order_by("order", "id"))


def workbook_export(*, unit_year: UnitYear, member=None) -> bytes:
    """Every named project's indicator table, one sheet each (two queries; a third with
    ``member``: the group member's own scores fill 实际完成值 … 偏差原因, to complete and upload)."""
    projects = _projects(unit_year)
    own: dict[int, MemberScore] = {}
    if member is not None:
        own = {
            s.indicator_id: s
            for s in MemberScore.objects.filter(
                indicator__unit_year=unit_year, indicator__project__isnull=False, member=member
            )
        }
    rows: dict[int, list[Indicator]] = {}
    for ind in Indicator.objects.filter(unit_year=unit_year, project__isnull=False).ordered():
        rows.setdefault(ind.project_id, []).append(ind)
    wb = Workbook()
    info = wb.active
    info.title = "填表说明"
    for text in (
        f"{unit_year.unit.name} {unit_year.year}年度 项目支出绩效指标表",
        "每个项目一张工作表。可修改、增加或删除指标行后上传，上传后各项目的指标表按文件整体替换。",
        "指标值按习惯写法填写，如“≥20次”“≤760万元”“=17个”“100%”“有效促进”“2024年12月底之前完成”。",
        "第一列“编号”和第2行的项目编号供系统识别，请勿修改；新增指标时“编号”留空。",
        "“实际完成值”“评价档次”“得分”“偏差原因分析及改进措施”由评价小组填写：评价期间小组成员下载本表，"
        "填写后上传即为本人的评分（定量指标得分可留空，按规则计算）；财务人员上传时不读取这几列。",
    ):
        info.append([text])
    info.column_dimensions["A"].width = 100
    styles = CellStyles.of(wb)
    for n, project in enumerate(projects, start=1):
        ws = wb.create_sheet(sheet_title(n, project.name))
        ws.cell(row=1, column=1, value=f"项目支出绩效指标表：{project.name}").font = Font(bold=True, size=14)
        ws.cell(row=ID_ROW, column=1, value="项目编号")
        ws.cell(row=ID_ROW, column=2, value=project.pk)
        ws.row_dimensions[ID_ROW].hidden = True
        for col, header in enumerate(HEADERS + SCORE_HEADERS, start=1):
            styles.apply(
                ws.cell(row=HEADER_ROW, column=col, value=header),
                font=HEADER_FONT,
                fill=HEADER_FILL,
                alignment=HEADER_ALIGNMENT,
            )
        for ind in rows.get(project.pk, []):
            mine = own.get(ind.pk)
            if member is None:
                scored = [ind.actual_display, "", ind.score, ind.deviation_reason]
            elif mine is None:
                scored = ["", "", None, ""]
            else:
                actual = mine.actual_text or (
                    "" if mine.actual_value is None else format(mine.actual_value.normalize(), "f")
                )
                scored = [actual, Band(mine.band).label if mine.band else "", mine.score, mine.deviation_reason]
            ws.append(
                [
                    ind.pk,
                    ind.get_fund_category_display(),
                    ind.get_tier1_display(),
                    ind.get_tier2_display(),
                    ind.name,
                    ind.target_display,
                    ind.weight,
                    ind.grading_standard,
                    *scored,
                ]
            )
        for col, width in enumerate((8, 10, 12, 16, 36, 20, 8, 30, 16, 18, 8, 30), start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.column_dimensions["A"].hidden = True
        for row in ws.iter_rows(min_row=HEADER_ROW + 1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.freeze_panes = f"B{HEADER_ROW + 1}"
    return xlsx.workbook_bytes(wb)


@dataclass
class RowData:
    row: int
    pk: int | None
    fund_category: str
    tier1: str
    tier2: str
    name: str
    target: str
    weight: Decimal | None
    grading_standard: str


@dataclass
class SheetData:
    project: ProjectLine
    title: str
    rows: list[RowData] = field(default_factory=list)


_FUNDS = {c.label: c.value for c in FundCategory}
_TIER1 = {c.label: c.value for c in Tier1}
_TIER2 = {c.label: c.value for c in Tier2}


def _text(values, col: int) -> str:
    value = values[col] if col < len(values) else None
    return "" if value is None else str(value).strip()


def _int(value) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() and number > 0 else None


def _parse_sheet(title: str, rows: list, project: ProjectLine, problems: list[Problem]) -> SheetData:
    sheet = SheetData(project=project, title=title)
    header = [
        str(v).strip() if v is not None else "" for v in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else [])
    ]
    if header[: len(HEADERS) - 1] != list(HEADERS[:-1]):
        problems.append(Problem(title, HEADER_ROW, None, "表头与模板不一致，请使用本系统下载的模板。"))
        return sheet
    for number, values in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        values = list(values)
        if not any(v not in (None, "") for v in values[1:8]):
            continue
        where = lambda col, label: f"{get_column_letter(col + 1)}（{label}）"  # noqa: E731
        fund = _FUNDS.get(_text(values, 1) or FundCategory.PROJECT.label)
        tier1 = _TIER1.get(_text(values, 2))
        tier2 = _TIER2.get(_text(values, 3))
        name, target = _text(values, 4), _text(values, 5)
        if fund is None:
            problems.append(Problem(title, number, where(1, "经费类别"), f"请填写“{'”或“'.join(_FUNDS)}”。"))
        if tier1 is None:
            problems.append(Problem(title, number, where(2, "一级指标"), f"请填写“{'”“'.join(_TIER1)}”之一。"))
        if tier2 is None:
            problems.append(Problem(title, number, where(3, "二级指标"), "无法识别的二级指标，请从模板的写法中选择。"))
        elif tier1 is not None and tier2_mismatch(tier1, tier2):
            problems.append(Problem(title, number, where(3, "二级指标"), tier2_mismatch(tier1, tier2)))
        if not name:
            problems.append(Problem(title, number, where(4, "三级指标"), "请填写三级指标名称。"))
        elif len(name) > 200:
            problems.append(Problem(title, number, where(4, "三级指标"), "三级指标名称不能超过 200 个字。"))
        probe = Indicator()
        try:
            indicator_set_target(indicator=probe, text=target)
        except ValidationError as exc:
            problems.append(Problem(title, number, where(5, "指标值"), " ".join(exc.message_dict["target"])))
        weight_text = _text(values, 6)
        weight = None
        if weight_text:
            try:
                weight = Decimal(weight_text)
                if not weight.is_finite() or not (0 <= weight <= 100) or weight != weight.quantize(Decimal("0.01")):
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(
                    Problem(title, number, where(6, "分值"), "分值须为 0 至 100 之间的数字，最多两位小数。")
                )
                weight = None
        sheet.rows.append(
            RowData(
                row=number,
                pk=_int(values[0] if values else None),
                fund_category=fund or "",
                tier1=tier1 or "",
                tier2=tier2 or "",
                name=name,
                target=target,
                weight=weight,
                grading_standard=_text(values, 7),
            )
        )
    return sheet


def _read_upload(unit_year: UnitYear, upload) -> tuple[dict, dict]:
    """The upload checked and read: the year's projects by sheet title, and the sheets read;
    ``ImportRefused`` when the file itself is refused."""
    content = _check_container(upload)
    projects = _projects(unit_year)
    titles = {sheet_title(n, p.name): p for n, p in enumerate(projects, start=1)}
    try:
        workbook_scan(content)
        read = workbook_read(content, tuple(titles))
    except WorkbookRefused as refused:
        raise ImportRefused([Problem(sheet, None, None, message) for sheet, message in refused.problems]) from None
    return titles, read


def workbook_parse(*, unit_year: UnitYear, upload) -> list[SheetData]:
    """Read and check an uploaded workbook against the year's projects; ``ImportRefused`` lists
    every problem."""
    titles, read = _read_upload(unit_year, upload)
    problems: list[Problem] = []
    sheets = []
    for title, project in titles.items():
        sheet = read.get(title)
        if sheet is None:
            continue  # a project left out of the file keeps its table
        for row, column in sheet["uncached"]:
            problems.append(Problem(title, row, get_column_letter(column), "单元格是公式，但文件中没有保存计算结果。"))
        rows = sheet["rows"]
        stated = _int(rows[ID_ROW - 1][1]) if len(rows) >= ID_ROW and len(rows[ID_ROW - 1]) > 1 else None
        if stated != project.pk:
            problems.append(
                Problem(title, ID_ROW, "B（项目编号）", "项目编号与本年度该项目不符，请重新下载模板后填写。")
            )
            continue
        sheets.append(_parse_sheet(title, rows, project, problems))
    if not sheets and not problems:
        problems.append(Problem("", None, None, "文件中没有本年度项目的工作表，请使用本系统下载的模板。"))
    existing = set(Indicator.objects.filter(unit_year=unit_year, project__isnull=False).values_list("pk", "project_id"))
    for sheet in sheets:
        for row in sheet.rows:
            if row.pk is not None and (row.pk, sheet.project.pk) not in existing:
                problems.append(
                    Problem(sheet.title, row.row, "A（编号）", "编号不属于该项目的指标，新增指标请留空编号。")
                )
    if problems:
        raise ImportRefused(problems)
    return sheets


@transaction.atomic
def workbook_apply(*, unit_year: UnitYear, user, expected_version: int, sheets: list[SheetData]) -> int:
    """Replace each uploaded project's indicator table (the year's version claimed first).
    Returns the number of indicators written."""
    _require_editable(unit_year)
    _claim(unit_year=unit_year, user=user, expected_version=expected_version)
    written = 0
    for sheet in sheets:
        stored = {i.pk: i for i in Indicator.objects.filter(project=sheet.project)}
        kept = {row.pk for row in sheet.rows if row.pk is not None}
        for pk, ind in stored.items():
            if pk not in kept:
                ind.delete()
        orders: dict[str, int] = {}
        for row in sheet.rows:
            ind = stored.get(row.pk) if row.pk is not None else None
            before = scoring_key(ind) if ind is not None else None
            ind = ind or Indicator(unit_year=unit_year, project=sheet.project)
            ind.fund_category, ind.tier1, ind.tier2, ind.name = row.fund_category, row.tier1, row.tier2, row.name
            ind.weight, ind.grading_standard = row.weight, row.grading_standard
            orders[row.fund_category] = orders.get(row.fund_category, 0) + 1
            ind.order = orders[row.fund_category]
            indicator_set_target(indicator=ind, text=row.target)
            indicator_propose_direction(indicator=ind)
            if ind.score is not None and ind.weight is not None and ind.score > ind.weight:
                ind.score = None
            ind.full_clean()
            ind.save()
            indicator_reset_stale_scores(indicator=ind, before=before)
            written += 1
    return written


@dataclass
class ScoreRow:
    row: int
    indicator: Indicator
    actual: str
    band: str
    score: str
    reason: str


def workbook_parse_scores(*, unit_year: UnitYear, upload) -> list[tuple[str, list[ScoreRow]]]:
    """A group member's upload: per sheet, the rows with something in 实际完成值 … 偏差原因 (rows
    left blank are not scored). Indicators are found by their hidden id; the table itself is not
    changed. ``ImportRefused`` lists every problem."""
    titles, read = _read_upload(unit_year, upload)
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(unit_year=unit_year, project__isnull=False).select_related("unit_year")
    }
    problems: list[Problem] = []
    sheets = []
    for title, project in titles.items():
        sheet = read.get(title)
        if sheet is None:
            continue
        rows = sheet["rows"]
        for row, column in sheet["uncached"]:
            problems.append(Problem(title, row, get_column_letter(column), "单元格是公式，但文件中没有保存计算结果。"))
        header = [
            str(v).strip() if v is not None else "" for v in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else [])
        ]
        stated = _int(rows[ID_ROW - 1][1]) if len(rows) >= ID_ROW and len(rows[ID_ROW - 1]) > 1 else None
        if stated != project.pk or header[: len(HEADERS) + len(SCORE_HEADERS)] != [*HEADERS, *SCORE_HEADERS]:
            problems.append(Problem(title, HEADER_ROW, None, "表头或项目编号与模板不一致，请重新下载本表后填写。"))
            continue
        found = []
        for number, values in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
            values = list(values)
            actual, band_text = _text(values, ACTUAL_COL), _text(values, BAND_COL)
            score, reason = _text(values, SCORE_COL), _text(values, REASON_COL)
            if not (actual or band_text or score or reason):
                continue
            indicator = indicators.get(_int(values[0] if values else None) or 0)
            if indicator is None or indicator.project_id != project.pk:
                problems.append(
                    Problem(title, number, "A（编号）", "找不到该指标（编号被改动或指标已删除），请重新下载本表。")
                )
                continue
            band = _BANDS.get(band_text, "") if band_text else ""
            if band_text and not band:
                problems.append(Problem(title, number, "J（评价档次）", f"请填写“{'”“'.join(_BANDS)}”之一。"))
                continue
            found.append(ScoreRow(number, indicator, actual, band, score, reason))
        sheets.append((title, found))
    if problems:
        raise ImportRefused(problems)
    return sheets


_SCORE_FIELD_COLUMN = {
    "actual": "I（实际完成值）",
    "band": "J（评价档次）",
    "score": "K（得分）",
    "deviation_reason": "L（偏差原因分析及改进措施）",
    "override_reason": "K（得分）",
}


def workbook_apply_scores(*, member, sheets: list[tuple[str, list[ScoreRow]]]) -> int:
    """Save the member's scores from the upload, all or nothing: every row goes through
    ``member_score_save`` (the 评分 page's rules); the rows refused are listed and nothing is saved."""
    problems: list[Problem] = []
    saved = 0
    with transaction.atomic():
        for title, rows in sheets:
            for row in rows:
                try:
                    member_score_save(
                        indicator=row.indicator,
                        member=member,
                        actual=row.actual,
                        band=row.band,
                        score=row.score or None,
                        deviation_reason=row.reason,
                    )
                except ValidationError as exc:
                    details = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                    for name, messages in details.items():
                        for message in messages:
                            problems.append(Problem(title, row.row, _SCORE_FIELD_COLUMN.get(name), message))
                else:
                    saved += 1
        if problems:
            raise ImportRefused(problems)  # the transaction is rolled back: nothing saved
    return saved


__all__ = [
    "workbook_export",
    "workbook_parse",
    "workbook_apply",
    "workbook_parse_scores",
    "workbook_apply_scores",
    "ImportRefused",
    "Problem",
]
