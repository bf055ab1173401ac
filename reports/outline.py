"""The report's outline as data: its cover, headings, paragraphs and tables, defined once.

``report_outline(data, prose)`` turns ``ReportData`` and ``ReportProse`` into a list of blocks
that every rendering walks: the HTML template (``_report_body.html``, hence the PDF), and the
column labels of the Excel 自评表 (``INDICATOR_COLUMNS``, ``FUNDS_COLUMNS``). Cell texts are
plain, already formatted strings (the template escapes them); nothing here computes a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from budgets.figures import self_evaluation_funds
from perfeval.formatting import money_or, percent_or, score_or

from .data import ReportData
from .prose import ReportProse, project_summary_paragraphs

UNIT_WAN = "单位：万元"


# -- blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    unit_name: str
    title: str
    meta: list[tuple[str, str]]  # (label, value) rows of the cover table
    seal: str = "单位（盖章）"  # the line under which the seal goes, with room for it
    kind: str = "cover"


@dataclass(frozen=True)
class Title:
    text: str
    kind: str = "title"


@dataclass(frozen=True)
class ScoreBox:
    total: str
    grade: str
    sentence: str
    kind: str = "score"


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、…; 2: （一）…
    text: str
    kind: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    testid: str = ""
    role: str = ""  # "lead" (a run-in label) or ""
    kind: str = "paragraph"


@dataclass(frozen=True)
class Note:
    """A 数据校验 finding and the unit's written explanation, printed where the figures are."""

    finding: str
    explanation: str
    testid: str = "check-note"
    kind: str = "note"

    @property
    def text(self) -> str:
        return f"注：{self.finding}说明：{self.explanation}"


@dataclass(frozen=True)
class Cell:
    text: str = ""
    header: bool = False  # th
    colspan: int = 1
    rowspan: int = 0  # 0: not a merged cell (no rowspan attribute)
    cls: str = ""  # "num", "c", "label", a column class …
    lines: tuple[str, ...] = ()  # several lines in one cell (shown one per line)
    block: bool = False  # the lines are paragraphs of their own (else lines of one paragraph)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return self.lines or ((self.text,) if self.text else ())


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    cls: str = ""  # "total"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    cls: str = ""
    form_label: str = ""  # the label the official 自评表 uses, when it differs

    @property
    def table_label(self) -> str:
        return self.form_label or self.label


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    head: list[Row]
    body: list[Row]
    unit: str = ""  # "单位：万元", set right-aligned in the caption
    css: str = ""
    testid: str = ""
    header_rows: int = 0  # rows of ``head`` repeated on every page (Word, Excel)
    widths: tuple[int, ...] = ()  # column widths in % when the first row does not set them
    kind: str = "table"


@dataclass(frozen=True)
class Signature:
    unit_name: str
    date_text: str
    kind: str = "signature"


@dataclass(frozen=True)
class Annex:
    """An annex on a page of its own: "附件" and its name above a table, and the tables that
    continue it directly below (a part whose header row repeats on every page it runs over)."""

    title: str
    table: Table
    continued: tuple[Table, ...] = ()
    number: int | None = None  # 附件1, 附件2 … when the report has more than one annex
    kind: str = "annex"

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.table, *self.continued)


Block = Annex | Cover | Title | ScoreBox | Heading | Paragraph | Note | Table | Signature


@dataclass(frozen=True)
class Outline:
    cover: Cover
    body: list[Block] = field(default_factory=list)
    draft_mark: str = ""  # "未定稿" on every page of a year not finalised

    @property
    def headings(self) -> list[Heading]:
        return [b for b in self.body if isinstance(b, Heading)]

    def table(self, key: str) -> Table:
        return next(b for b in self.body if isinstance(b, Table) and b.key == key)


# -- column definitions shared with the Excel 自评表 ----------------------------------------------

INDICATOR_COLUMNS = (
    Column("group", "经费类别", "col-group"),
    Column("tier1", "一级指标", "col-tier"),
    Column("tier2", "二级指标", "col-tier"),
    Column("name", "三级指标"),
    Column("target", "指标值", "col-target", form_label="年度指标值"),
    Column("actual", "实际完成值", "col-target"),
    Column("weight", "分值", "col-score"),
    Column("score", "得分", "col-score"),
    Column("deviation", "偏差原因分析及改进措施", "col-reason"),
    Column("note", "备注"),
)
INDICATOR_COLUMN = {c.key: c for c in INDICATOR_COLUMNS}

PROJECT_COLUMNS = (
    Column("no", "序号", "col-no"),
    Column("name", "项目名称"),
    Column("initial", "年初预算数", "col-num"),
    Column("adjustment", "调整数", "col-num"),
    Column("full_year", "全年预算数", "col-num"),
    Column("actual", "全年执行数", "col-num"),
    Column("rate", "执行率", "col-num"),
)

# The 年度资金 block of the 自评表: amounts, then the execution rate's 分值 / 执行率 / 得分.
FUNDS_TITLE = "年度资金（万元）"
FUNDS_COLUMNS = (
    Column("initial", "年初预算数"),
    Column("full_year", "全年预算数"),
    Column("actual", "全年执行数"),
    Column("weight", "分值"),
    Column("rate", "执行率"),
    Column("score", "得分"),
)
EXECUTION_LABEL = "预算执行率"
TOTAL_LABEL = "总分"
CONCLUSION_LABEL = "自评结论"


# -- the outline -----------------------------------------------------------------------------------


def _paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _projects_table(data: ReportData) -> Table:
    f = data.figures
    head = [Row([Cell(c.label, header=True, cls=c.cls) for c in PROJECT_COLUMNS])]
    body = [
        Row(
            [
                Cell(str(pos), cls="c"),
                Cell(project.label),
                Cell(money_or(project.initial_budget), cls="num"),
                Cell(money_or(project.adjustment), cls="num"),
                Cell(money_or(project.full_year_budget), cls="num"),
                Cell(money_or(project.actual), cls="num"),
                Cell(percent_or(project.execution_rate), cls="num"),
            ]
        )
        for pos, project in enumerate(f.projects, start=1)
    ]
    t = f.project_totals
    body.append(
        Row(
            [
                Cell(""),
                Cell("合计", cls="c"),
                Cell(money_or(t.initial_budget), cls="num"),
                Cell(money_or(t.adjustment), cls="num"),
                Cell(money_or(t.full_year_budget), cls="num"),
                Cell(money_or(t.actual), cls="num"),
                Cell(percent_or(t.execution_rate), cls="num"),
            ],
            cls="total",
        )
    )
    return Table(
        "projects",
        "项目支出明细",
        head,
        body,
        unit=UNIT_WAN,
        css="grid projects",
        testid="projects-table",
        header_rows=1,
    )


THREE_PUBLIC_COLUMNS = (
    Column("item", "项目"),
    Column("budget", "预算数", "col-num"),
    Column("actual", "实际支出数", "col-num"),
    Column("previous", "上年支出数", "col-num"),
    Column("change", "增减额", "col-num"),
    Column("change_percent", "增减率", "col-num"),
)


def _three_public_table(data: ReportData) -> Table:
    f = data.figures
    head = [Row([Cell(c.label, header=True, cls=c.cls) for c in THREE_PUBLIC_COLUMNS])]
    body = []
    for t, cls in [*((t, "") for t in f.three_public), (f.three_public_total, "total")]:
        ch = t.change
        body.append(
            Row(
                [
                    Cell(t.label, cls="c" if cls else ""),
                    Cell(money_or(t.budget), cls="num"),
                    Cell(money_or(t.actual), cls="num"),
                    Cell(money_or(t.previous_year), cls="num"),
                    Cell("" if ch is None else money_or(ch.amount), cls="num"),
                    Cell("" if ch is None else percent_or(ch.percent), cls="num"),
                ],
                cls=cls,
            )
        )
    return Table(
        "three_public",
        "“三公”经费预算及支出情况",
        head,
        body,
        unit=UNIT_WAN,
        css="grid three-public",
        testid="three-public-table",
        header_rows=1,
    )


def _info_table(data: ReportData) -> Table:
    uy = data.unit_year
    none_blank = lambda v: "" if v is None else str(v)  # noqa: E731
    body = [
        Row([Cell("部门名称", header=True), Cell(uy.unit.name, colspan=3)]),
        Row(
            [
                Cell("编制人数", header=True),
                Cell(none_blank(uy.headcount_authorized)),
                Cell("实有人数", header=True),
                Cell(none_blank(uy.headcount_actual)),
            ]
        ),
        Row(
            [
                Cell("单位预算绩效管理联系人", header=True),
                Cell(uy.contact_name),
                Cell("联系电话", header=True),
                Cell(uy.contact_phone),
            ]
        ),
        Row(
            [
                Cell("部门（单位）职能概述", header=True),
                Cell(colspan=3, lines=tuple(_paragraphs(uy.function_summary))),
            ]
        ),
    ]
    return Table("info", "部门基本信息", [], body, css="grid info", testid="info-table")


def _budget_table(prose: ReportProse) -> Table:
    groups: list[Cell] = []
    for column in prose.budget_row:
        if groups and groups[-1].text == column.group:
            last = groups.pop()
            groups.append(Cell(last.text, header=True, colspan=last.colspan + 1))
        else:
            groups.append(Cell(column.group, header=True))
    head = [Row(groups), Row([Cell(c.label, header=True) for c in prose.budget_row])]
    body = [Row([Cell(money_or(c.amount), cls="num") for c in prose.budget_row])]
    return Table(
        "budget", "年度预算情况", head, body, unit=UNIT_WAN, css="grid budget", testid="budget-table", header_rows=2
    )


def _goals_table(data: ReportData) -> Table:
    lines = tuple(f"任务{i}：{g.text}" for i, g in enumerate(data.long_term_goals, start=1))
    body = [Row([Cell("部门整体支出绩效目标", header=True, cls="col-head"), Cell(lines=lines, block=True)])]
    return Table("goals", "", [], body, css="grid goals", testid="goals-table")


def indicator_columns_shown(data: ReportData) -> list[Column]:
    shown = {
        "actual": data.columns.actual,
        "weight": data.columns.weight,
        "score": data.columns.score,
        "deviation": data.columns.deviation,
        "note": data.columns.note,
    }
    return [c for c in INDICATOR_COLUMNS if shown.get(c.key, True)]


def _indicator_table(data: ReportData) -> Table:
    columns = indicator_columns_shown(data)
    keys = {c.key for c in columns}
    head = [Row([Cell(c.label, header=True, cls=c.cls) for c in columns])]
    body = []
    for ir in data.indicator_rows:
        ind = ir.indicator
        cells = []
        if ir.group_span:
            cells.append(Cell(ir.group_label, rowspan=ir.group_span, cls="c"))
        if ir.tier1_span:
            cells.append(Cell(ir.tier1_label, rowspan=ir.tier1_span, cls="c"))
        if ir.tier2_span:
            cells.append(Cell(ir.tier2_label, rowspan=ir.tier2_span, cls="c"))
        cells += [Cell(ind.name), Cell(ind.target_display, cls="c")]
        if "actual" in keys:
            cells.append(Cell(ind.actual_display, cls="c"))
        if "weight" in keys:
            cells.append(Cell("不适用" if ind.not_applicable else score_or(ind.weight), cls="num"))
        if "score" in keys:
            cells.append(Cell(score_or(ind.score), cls="num"))
        if "deviation" in keys:
            cells.append(Cell(ind.deviation_reason))
        if "note" in keys:
            cells.append(Cell(ind.note))
        body.append(Row(cells))
    if "weight" in keys:
        score = data.score

        def tail(*, actual: str, weight: str, score_cell: str, deviation: str) -> list[Cell]:
            cells = []
            if "actual" in keys:
                cells.append(Cell(actual, cls="c"))
            cells.append(Cell(weight, cls="num"))
            if "score" in keys:
                cells.append(Cell(score_cell, cls="num"))
            if "deviation" in keys:
                cells.append(Cell(deviation))
            if "note" in keys:
                cells.append(Cell(""))
            return cells

        body.append(
            Row(
                [Cell(EXECUTION_LABEL, colspan=4, cls="c"), Cell("100%", cls="c")]
                + tail(
                    actual=percent_or(score.execution_rate),
                    weight=score_or(data.rules.execution_weight),
                    score_cell=score_or(score.execution_score),
                    deviation="",
                ),
                cls="total",
            )
        )
        if data.show_score:
            body.append(
                Row(
                    [Cell(TOTAL_LABEL, colspan=4, cls="c"), Cell("")]
                    + tail(
                        actual="",
                        weight=score_or(data.full_marks),
                        score_cell=score_or(score.total),
                        deviation=f"{CONCLUSION_LABEL}：{score.grade}" if score.grade else "",
                    ),
                    cls="total",
                )
            )
    caption = "部门整体支出年度绩效指标" + ("及自评得分" if data.columns.weight else "")
    css = "grid indicators" + (" scored" if data.columns.actual or data.columns.weight else "")
    return Table("indicators", caption, head, body, css=css, testid="indicator-table", header_rows=1)


SELF_EVAL_INDICATOR_KEYS = ("tier1", "tier2", "name", "target", "actual", "weight", "score", "deviation")
SELF_EVAL_TITLE = "部门整体支出绩效自评表"


# The official 8-column layout of a 自评表 (department's and each project's), in % of the width:
# the score columns hold "100.00" in the table's bold face.
SELF_EVAL_WIDTHS = (10, 10, 19, 13, 13, 9, 9, 17)


def _header(text: str, **kw) -> Cell:
    return Cell(text, header=True, **kw)


def self_evaluation_funds_rows(funds_rows, *, execution_weight, execution_score) -> list[Row]:
    """The money block of a 自评表: the columns' header, then 年度资金总额 and its sources."""
    rows = [Row([_header(FUNDS_TITLE, colspan=2)] + [_header(c.label) for c in FUNDS_COLUMNS])]
    for funds in funds_rows:
        a = funds.amounts
        rows.append(
            Row(
                [
                    Cell(funds.label, colspan=2, cls="label"),
                    Cell(money_or(a.initial_budget), cls="num"),
                    Cell(money_or(a.full_year_budget), cls="num"),
                    Cell(money_or(a.actual), cls="num"),
                    Cell(score_or(execution_weight) if funds.is_total else "", cls="num"),
                    Cell(percent_or(a.execution_rate), cls="num"),
                    Cell(score_or(execution_score) if funds.is_total else "", cls="num"),
                ]
            )
        )
    return rows


def self_evaluation_goal_rows(expected: tuple[str, ...], achieved: tuple[str, ...]) -> list[Row]:
    """年度总体目标: 预期目标 beside 实际完成情况."""
    return [
        Row([_header("年度总体目标", colspan=2, rowspan=2), _header("预期目标", colspan=3),
             _header("实际完成情况", colspan=3)]),
        Row([Cell(colspan=3, lines=expected, block=True), Cell(colspan=3, lines=achieved, block=True)]),
    ]  # fmt: skip


def self_evaluation_indicator_table(
    key: str, indicator_rows, *, rules, score, full_marks, show_score: bool, testid: str, groups: bool = True
) -> Table:
    """The indicator part of a 自评表, its header row repeated on every page it runs over, ending
    with 预算执行率, 总分 and 自评结论 (kept with the rows before them on the page). ``groups``:
    the 基本经费 / 项目经费 rows of the department's table (a project's table has none)."""
    head = [Row([_header(INDICATOR_COLUMN[k].table_label) for k in SELF_EVAL_INDICATOR_KEYS])]
    body = []
    for ir in indicator_rows:
        ind = ir.indicator
        if groups and ir.group_span:
            body.append(Row([Cell(ir.group_label, colspan=8, cls="label")], cls="group"))
        cells = []
        if ir.tier1_span:
            cells.append(Cell(ir.tier1_label, rowspan=ir.tier1_span, cls="c"))
        if ir.tier2_span:
            cells.append(Cell(ir.tier2_label, rowspan=ir.tier2_span, cls="c"))
        cells += [
            Cell(ind.name),
            Cell(ind.target_display, cls="c"),
            Cell(ind.actual_display, cls="c"),
            Cell("不适用" if ind.not_applicable else score_or(ind.weight), cls="num"),
            Cell(score_or(ind.score), cls="num"),
            Cell(ind.deviation_reason),
        ]
        body.append(Row(cells))
    conclusion = f"{score.grade}（{score_or(score.total)}分）" if score.grade else ""
    body += [
        Row([Cell(EXECUTION_LABEL, colspan=3, cls="c"), Cell("100%", cls="c"),
             Cell(percent_or(score.execution_rate), cls="c"), Cell(score_or(rules.execution_weight), cls="num"),
             Cell(score_or(score.execution_score), cls="num"), Cell("")], cls="total"),
        Row([Cell(TOTAL_LABEL, colspan=5, cls="c"), Cell(score_or(full_marks), cls="num"),
             Cell(score_or(score.total) if show_score else "", cls="num"), Cell("")], cls="total"),
        Row([Cell(CONCLUSION_LABEL, colspan=5, cls="c"), Cell(conclusion, colspan=3, cls="c")], cls="total"),
    ]  # fmt: skip
    return Table(key, "", head, body, css="grid self-eval self-eval-cont", testid=testid, header_rows=1,
        widths=SELF_EVAL_WIDTHS,
    )  # fmt: skip


def _self_evaluation_tables(data: ReportData, prose: ReportProse) -> tuple[Table, Table]:
    """The 部门整体支出绩效自评表 in its official 8-column layout (as the Excel sheet): the
    funds and goals, then the indicators, set as one table."""
    uy, score = data.unit_year, data.score
    h = _header
    body = [
        Row([h("年度"), Cell(str(uy.year), cls="c"), h("部门（单位）名称"), Cell(uy.unit.name, colspan=2),
             h("主管部门", colspan=2), Cell(data.competent_department)]),
        Row([h("联系人"), Cell(uy.contact_name, cls="c"), h("电话"), Cell(uy.contact_phone, colspan=2),
             h("评价方式", colspan=2), Cell(uy.evaluation_method or "单位自评")]),
        *self_evaluation_funds_rows(
            self_evaluation_funds(data.figures),
            execution_weight=data.rules.execution_weight,
            execution_score=score.execution_score,
        ),
        *self_evaluation_goal_rows(
            tuple(f"{i}、{g.text}" for i, g in enumerate(data.annual_goals, start=1)),
            tuple(prose.goal_achievements),
        ),
    ]  # fmt: skip
    caption = f"{uy.year}年度{SELF_EVAL_TITLE}"
    funds = Table("self_evaluation", caption, [], body, unit=UNIT_WAN, css="grid self-eval", testid="annex-table",
        widths=SELF_EVAL_WIDTHS,
    )  # fmt: skip
    indicators = self_evaluation_indicator_table(
        "self_evaluation_indicators",
        data.indicator_rows,
        rules=data.rules,
        score=score,
        full_marks=data.full_marks,
        show_score=data.show_score,
        testid="annex-indicators",
    )
    return funds, indicators


def _note_place(code: str) -> str:
    """Where a finding's note is printed: under the income sentence, under the project table,
    else under the spending sentence (every check concerns the figures of section 二)."""
    if code.startswith("income") and code != "income_vs_spending":
        return "income"
    if code.startswith("project"):
        return "projects"
    return "spending"


def _notes_by_place(data: ReportData) -> dict[str, list[Block]]:
    places: dict[str, list[Block]] = {}
    for note in data.notes:
        places.setdefault(_note_place(note.code), []).append(Note(note.finding, note.explanation))
    return places


def report_outline(data: ReportData, prose: ReportProse) -> Outline:
    """The whole report, cover to signature, as blocks (then the annexes: the department's
    自评表 and one 项目支出绩效自评表 per evaluated project, ``reports.projects``)."""
    from .projects import annexes as project_annexes
    from .projects import report_projects

    uy, f, p = data.unit_year, data.figures, prose
    cover = Cover(
        unit_name=uy.unit.name,
        title=data.title,
        meta=[
            ("单位名称", uy.unit.name),
            ("评价年度", f"{uy.year}年度"),
            ("评价方式", uy.evaluation_method or "单位自评"),
            ("报告日期", data.report_date_text),
        ],
    )
    body: list[Block] = [Title(data.document_title)]
    if data.show_score:
        body.append(ScoreBox(score_or(data.score.total), data.score.grade, p.score))

    body += [Heading(1, "一、部门概况"), Heading(2, "（一）部门基本情况")]
    if data.duties:
        body.append(Paragraph("部门职责", role="lead"))
        body += [Paragraph(f"{i}、{duty.text}") for i, duty in enumerate(data.duties, start=1)]
    if p.organs:
        body.append(Paragraph(p.organs))
    body.append(Heading(2, "（二）部门整体支出规模、使用方向和主要内容、涉及范围"))
    body += [Paragraph(text) for text in p.scale]
    body.append(Heading(2, "（三）绩效目标设立情况"))
    if p.long_term_goals:
        body.append(Paragraph(f"部门中长期绩效目标：{p.long_term_goals}"))
    if p.annual_goals:
        body.append(Paragraph(f"{uy.year}年度绩效目标：{p.annual_goals}"))
    if p.indicator_summary:
        body.append(Paragraph(f"{p.indicator_summary}各项指标及其指标值见第四部分。"))

    notes = _notes_by_place(data)
    body += [Heading(1, "二、部门整体支出管理及使用情况分析"), Heading(2, "（一）基本支出")]
    if p.income:
        body.append(Paragraph(p.income, testid="income-sentence"))
        body += notes.pop("income", [])
    if p.spending:
        body.append(Paragraph(p.spending, testid="spending-sentence"))
    body += notes.pop("income", []) + notes.pop("spending", [])
    body.append(Heading(2, "（二）项目支出"))
    if f.projects:
        body.append(Paragraph(p.project_budget + "".join(p.project_items), testid="projects-sentence"))
    if p.project_usage:
        body.append(Paragraph(p.project_usage, testid="project-usage-sentence"))
    if f.projects:
        body.append(_projects_table(data))
    body += notes.pop("projects", [])
    if p.three_public:
        body.append(Heading(2, "（三）“三公”经费"))
        body.append(Paragraph(p.three_public, testid="three-public-sentence"))
        body.append(_three_public_table(data))

    body.append(Heading(1, "三、项目组织实施情况分析"))
    for prefix, text in (("（一）", uy.implementation_procurement), ("（二）", uy.implementation_management)):
        body += [Paragraph((prefix if i == 0 else "") + para) for i, para in enumerate(_paragraphs(text))]
    projects = report_projects(data)
    summary = project_summary_paragraphs(year=uy.year, projects=projects)
    if summary:
        body.append(Heading(2, "（三）项目支出绩效自评情况"))
        body += [Paragraph(text, testid="project-summary") for text in summary]

    body.append(Heading(1, "四、部门整体支出绩效情况分析"))
    body += [_info_table(data), _budget_table(p)]
    if data.long_term_goals:
        body.append(_goals_table(data))
    if data.indicator_rows:
        body.append(_indicator_table(data))
    if p.goal_achievements:
        achieved = "；".join(p.goal_achievements) + "。"
        body.append(Paragraph(f"{uy.year}年度绩效目标完成情况：{achieved}", testid="goal-achievements"))
    body += [Paragraph(text, testid="analysis-sentence") for text in p.analysis]

    body += [Heading(1, "五、绩效评价工作开展情况"), Heading(2, "（一）绩效评价目的")]
    body += [Paragraph(para) for para in _paragraphs(uy.evaluation_purpose)]
    if p.overall_goals:
        body.append(Paragraph(f"部门绩效总目标：{p.overall_goals}"))
    body.append(Heading(2, "（二）绩效评价工作过程"))
    body += [Paragraph(para) for para in _paragraphs(uy.evaluation_process)]
    body.append(Heading(2, "（三）评价依据和方法"))
    body.append(Paragraph(p.basis, testid="basis-sentence"))
    body += [Paragraph(text, testid="method-sentence") for text in p.method]

    body.append(Heading(1, "六、存在的主要问题"))
    body += [Paragraph(para) for para in _paragraphs(uy.problems)]
    body.append(Heading(1, "七、改进措施和有关建议"))
    body += [Paragraph(para) for para in _paragraphs(uy.measures)]
    body.append(Signature(uy.unit.name, data.report_date_text))
    funds, indicators = _self_evaluation_tables(data, p)
    annexes = [Annex(SELF_EVAL_TITLE, funds, continued=(indicators,)), *project_annexes(data, projects)]
    if len(annexes) > 1:  # the department's 自评表 is 附件1, the projects' tables follow
        annexes = [replace(annex, number=n) for n, annex in enumerate(annexes, start=1)]
    body += annexes
    return Outline(cover=cover, body=body, draft_mark=data.draft_mark)
