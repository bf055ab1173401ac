"""The report as an editable Word file (.docx, python-docx), from the same outline as the PDF.

Walks ``reports.outline.Outline`` block by block — nothing here computes or re-words a figure — and
writes what a unit needs to edit the report in Word or WPS before it is sealed:

* real styles: 标题 / 一级标题 (Heading 1, 黑体) / 二级标题 (Heading 2, 楷体) / 正文 (Normal, 仿宋
  三号), so restyling the document is changing a style; the East Asian face is named through
  ``w:rFonts/@w:eastAsia`` (python-docx names only the Latin one);
* the page of GB/T 9704 as the PDF has it: A4, margins 37/35/28/26 mm, a grid of 22 lines of 28
  characters, page numbers "— N —" in 4号 at the outer side (right on odd pages, left on even),
  the body numbered from 1 after the cover (the cover is a section without a footer);
* real tables: merged cells, header rows repeated on every page (``w:tblHeader``), rows not split;
* "未定稿" in the header of every page of a year not finalised;
* the annex (附件) on pages of its own. ``add_annex`` / ``add_table`` take one outline block each,
  so another annex is one more call.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .outline import (
    Annex,
    Block,
    Cell,
    Cover,
    Heading,
    Note,
    Outline,
    Paragraph,
    ScoreBox,
    Signature,
    Table,
    Title,
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The faces of Chinese official documents, by the names Word and WPS know them by (Windows ships
# them); on Linux, scripts/fandol-fonts.sh maps them to the faces the PDF embeds (FandolFang,
# FandolKai, Noto Sans/Serif CJK SC) through fontconfig.
FANG = "仿宋"
KAI = "楷体"
HEI = "黑体"
SONG = "宋体"
TITLE_FACE = "方正小标宋简体"  # the title face of official documents; Word substitutes when absent
LATIN = "Times New Roman"

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
TABLE_PT = 10.5  # 五号
WIDE_TABLE_PT = 9  # 小五
CAPTION_PT = 12  # 小四
NOTE_PT = 12

# GB/T 9704: A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters.
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_WIDTH_PT = (210 - 28 - 26) / 25.4 * 72
# 28 characters of 三号 in the 156 mm line: each character 0.25 pt narrower (in 1/20 pt).
BODY_CHAR_SPACING = -5
LINE_PITCH_TWIPS = int((297 - 37 - 35) / 25.4 * 72 * 20 / LINES_PER_PAGE)  # 579


# -- low-level helpers ----------------------------------------------------------------------------


def set_fonts(target, *, east_asia: str, latin: str = LATIN) -> None:
    """Name the Latin and the East Asian face of a style or run (``w:rFonts``)."""
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _run(paragraph: DocxParagraph, text: str, *, face: str | None = None, size: float | None = None, bold=None):
    run = paragraph.add_run(text)
    if face:
        run.font.name = LATIN
        set_fonts(run, east_asia=face)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    return run


def _first_line_chars(paragraph_format_owner, chars: int) -> None:
    """First-line indent in characters (``w:firstLineChars``: 200 = 空两字), as Word writes it."""
    ppr = paragraph_format_owner.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * BODY_PT * 20)))


def _no_indent(paragraph: DocxParagraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")


def _keep_with_next(paragraph: DocxParagraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


# -- the document's styles and page ---------------------------------------------------------------


def _style(document: DocxDocument, name: str, *, base: str | None = None, kind=WD_STYLE_TYPE.PARAGRAPH):
    styles = document.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        if base:
            style.base_style = styles[base]
        style.quick_style = True
        return style


def setup_styles(document: DocxDocument) -> None:
    """正文 仿宋 三号 justified with 空两字; 一级标题 黑体, 二级标题 楷体 (same size, on the grid);
    the title 小标宋 二号 centred; table text 仿宋 五号."""
    # The document default size is what Word and LibreOffice measure the character grid from.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        el = rpr_default.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr_default.append(el)
        el.set(qn("w:val"), str(BODY_PT * 2))
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal, east_asia=FANG)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(BODY_CHAR_SPACING))
    normal.element.get_or_add_rPr().append(spacing)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = True
    _first_line_chars(normal, 2)

    for name, face in (("Heading 1", HEI), ("Heading 2", KAI)):
        style = document.styles[name]
        style.font.name = LATIN
        style.font.size = Pt(BODY_PT)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(style, east_asia=face)
        spf = style.paragraph_format
        spf.space_before = spf.space_after = Pt(0)
        spf.keep_with_next = True
        spf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _first_line_chars(style, 2)

    title = document.styles["Title"]
    title.font.name = LATIN
    title.font.size = Pt(TITLE_PT)
    title.font.bold = False
    title.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(title, east_asia=TITLE_FACE)
    tpf = title.paragraph_format
    tpf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tpf.space_before = Pt(0)
    tpf.space_after = Pt(BODY_PT)
    _first_line_chars(title, 0)
    pbdr = title.element.get_or_add_pPr().find(qn("w:pBdr"))  # the default Title has a rule under it
    if pbdr is not None:
        pbdr.getparent().remove(pbdr)

    for name, size, face, align in (
        ("表格文字", TABLE_PT, FANG, None),
        ("表题", CAPTION_PT, HEI, WD_ALIGN_PARAGRAPH.CENTER),
        ("表注单位", TABLE_PT, FANG, WD_ALIGN_PARAGRAPH.RIGHT),
        ("注释", NOTE_PT, FANG, WD_ALIGN_PARAGRAPH.JUSTIFY),
    ):
        style = _style(document, name, base="Normal")
        style.font.size = Pt(size)
        set_fonts(style, east_asia=face)
        spf = style.paragraph_format
        spf.line_spacing = 1.0
        if align is not None:
            spf.alignment = align
        _first_line_chars(style, 0)
        style.element.get_or_add_pPr().append(_snap_off())
    _style(document, "表题", base="Normal").paragraph_format.keep_with_next = True
    _style(document, "表注单位", base="Normal").paragraph_format.keep_with_next = True


def _snap_off():
    """``w:snapToGrid w:val=0``: small text (tables, notes) keeps its own line height."""
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    return el


def _page_setup(section) -> None:
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]
    section.header_distance = Mm(15)
    section.footer_distance = Mm(20)  # the page number ~7 mm below the text block (GB/T 9704)
    sectpr = section._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectpr.append(grid)
    # 22 lines: a line grid of the text height ÷ 22. The 28 characters a line come from the body
    # style's character spacing (``BODY_CHAR_SPACING``), not a character grid: Word measures that
    # grid from the document-default size and LibreOffice spreads CJK text across it.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)


def _field(paragraph: DocxParagraph, instruction: str, *, face: str, size: float) -> None:
    """A Word field (PAGE) as fldChar begin / instrText / separate / result / end."""

    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    _run(paragraph, "", face=face, size=size)._r.append(fld("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _run(paragraph, "", face=face, size=size)._r.append(instr)
    _run(paragraph, "", face=face, size=size)._r.append(fld("separate"))
    _run(paragraph, "1", face=face, size=size)
    _run(paragraph, "", face=face, size=size)._r.append(fld("end"))


def _page_number(footer, *, align) -> None:
    """ "— N —" in 4号 宋体, one character in from the outer edge."""
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.text = ""
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    _no_indent(paragraph)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        pf.left_indent = Pt(PAGE_NUMBER_PT)
    _run(paragraph, "— ", face=SONG, size=PAGE_NUMBER_PT)
    _field(paragraph, "PAGE", face=SONG, size=PAGE_NUMBER_PT)
    _run(paragraph, " —", face=SONG, size=PAGE_NUMBER_PT)


def _draft_header(header, mark: str) -> None:
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph.text = ""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _no_indent(paragraph)
    run = _run(paragraph, mark, face=HEI, size=PAGE_NUMBER_PT, bold=True)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _start_body_numbering(section) -> None:
    pg = section._sectPr.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        section._sectPr.append(pg)
    pg.set(qn("w:start"), "1")
    pg.set(qn("w:fmt"), "decimal")


# -- blocks ---------------------------------------------------------------------------------------


def add_paragraph(document: DocxDocument, text: str, *, style: str | None = None, bold: bool = False):
    paragraph = document.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
    return paragraph


def add_cover(document: DocxDocument, cover: Cover) -> None:
    """The cover: unit, title, the meta table, and room for the seal above 单位（盖章）."""
    unit = document.add_paragraph()
    unit.alignment = WD_ALIGN_PARAGRAPH.CENTER
    unit.paragraph_format.space_before = Mm(20)
    _no_indent(unit)
    _run(unit, cover.unit_name, face=HEI, size=BODY_PT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Mm(10)
    title.paragraph_format.space_after = Mm(30)
    _no_indent(title)
    _run(title, cover.title, face=TITLE_FACE, size=26)  # 一号
    meta = document.add_table(rows=len(cover.meta), cols=2)
    meta.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, value) in zip(meta.rows, cover.meta, strict=True):
        row.cells[0].width, row.cells[1].width = Mm(32), Mm(78)
        for cell, text in ((row.cells[0], label), (row.cells[1], value)):
            paragraph = cell.paragraphs[0]
            _no_indent(paragraph)
            _run(paragraph, text, face=FANG, size=BODY_PT)
        _cell_borders(row.cells[1], bottom=True)
    seal = document.add_paragraph()
    seal.paragraph_format.space_before = Mm(45)  # room for the seal
    seal.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    seal.paragraph_format.right_indent = Mm(12)
    _no_indent(seal)
    _run(seal, cover.seal, face=FANG, size=BODY_PT)


def _cell_borders(cell: _Cell, *, bottom: bool = False, all_sides: bool = False) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    sides = ("top", "left", "bottom", "right") if all_sides else (("bottom",) if bottom else ())
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "6")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tcpr.append(borders)


def add_title(document: DocxDocument, block: Title) -> None:
    add_paragraph(document, block.text, style="Title")


def add_score(document: DocxDocument, block: ScoreBox) -> None:
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_indent(line)
    _run(line, "自评得分 ", face=HEI)
    _run(line, f"{block.total}分", face=HEI)
    if block.grade:
        _run(line, "　　评价等级 ", face=HEI)
        _run(line, block.grade, face=HEI)
    if block.sentence:
        add_paragraph(document, block.sentence)


def add_heading(document: DocxDocument, block: Heading) -> None:
    document.add_heading(block.text, level=1 if block.level == 1 else 2)


def add_text(document: DocxDocument, block: Paragraph) -> None:
    paragraph = add_paragraph(document, block.text)
    if block.role == "lead":
        for run in paragraph.runs:
            set_fonts(run, east_asia=HEI)


def add_note(document: DocxDocument, block: Note) -> None:
    add_paragraph(document, block.text, style="注释")


def add_signature(document: DocxDocument, block: Signature) -> None:
    document.add_paragraph()
    for text in (block.unit_name, block.date_text):
        if text:
            paragraph = add_paragraph(document, text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(BODY_PT * 2)
            paragraph.paragraph_format.keep_with_next = True
            _no_indent(paragraph)


# -- tables ---------------------------------------------------------------------------------------


def _layout(rows: list[list[Cell]]) -> tuple[int, list[list[tuple[int, Cell]]]]:
    """Place the cells of ``rows`` on the grid as an HTML table does (rowspans push later cells
    right): each row's (column, cell), and the number of columns."""
    occupied: dict[tuple[int, int], bool] = {}
    placed: list[list[tuple[int, Cell]]] = []
    width = 0
    for r, cells in enumerate(rows):
        col, row_cells = 0, []
        for cell in cells:
            while occupied.get((r, col)):
                col += 1
            row_cells.append((col, cell))
            for dr in range(max(cell.rowspan, 1)):
                for dc in range(cell.colspan):
                    occupied[(r + dr, col + dc)] = True
            col += cell.colspan
        while occupied.get((r, col)):
            col += 1
        width = max(width, col)
        placed.append(row_cells)
    return width, placed


def _column_widths(table: Table, columns: int, placed: list[list[tuple[int, Cell]]]) -> list[float]:
    """Shares of the text width: the table's own (``widths``), else by what each column holds —
    its longest figure whole, labels of up to four characters on one line (longer ones on two),
    long texts up to twelve characters a line — plus a character of padding."""
    if table.widths and len(table.widths) == columns:
        total = sum(table.widths)
        return [w / total for w in table.widths]
    wanted = [2.0] * columns
    for row in placed:
        for col, cell in row:
            if cell.colspan != 1:
                continue
            text = max((len(p) for p in cell.paragraphs), default=0)
            if cell.cls == "num":
                need = text * 0.6  # digits are half-width
            elif cell.header or cell.rowspan or cell.cls == "label":
                need = min(text, 4)
            elif cell.cls == "c":  # targets, actual values: short phrases
                need = min(text, 7)
            else:
                need = min(text, 12)
            wanted[col] = max(wanted[col], need)
    wanted = [w + 1 for w in wanted]
    total = sum(wanted)
    return [w / total for w in wanted]


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _fill_cell(cell: _Cell, source: Cell, *, bold_row: bool, size: float, style_id: str) -> None:
    paragraphs = source.paragraphs or ("",)
    first = cell.paragraphs[0]
    for pos, text in enumerate(paragraphs):
        paragraph = first if pos == 0 else cell.add_paragraph()
        paragraph._p.style = style_id  # by id: python-docx's lookup by name scans every style per call
        if source.header:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif source.cls == "num":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif source.cls == "c":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if text:
            run = paragraph.add_run(text)
            if size != TABLE_PT:
                run.font.size = Pt(size)
            if source.header:
                set_fonts(run, east_asia=HEI)
            elif bold_row:
                run.bold = True
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def add_table(document: DocxDocument, table: Table, *, space_after: bool = True) -> None:
    """One outline table: caption centred, 单位 right-aligned above it, header rows repeated on
    every page, merged cells merged, rows kept whole."""
    if table.caption:
        add_paragraph(document, table.caption, style="表题")
    if table.unit:
        add_paragraph(document, table.unit, style="表注单位")
    rows = [*table.head, *table.body]
    if not rows:
        return
    columns, placed = _layout([row.cells for row in rows])
    size = TABLE_PT if columns <= 7 else WIDE_TABLE_PT  # 五号; 小五 for the wide indicator tables
    grid = document.add_table(rows=len(rows), cols=columns)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    shares = _column_widths(table, columns, placed)
    widths = [Pt(TEXT_WIDTH_PT * share) for share in shares]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # w:gridCol (LibreOffice lays the table out from it)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    header_rows = len(table.head) if table.head else table.header_rows
    # The grid's cells once, before any merge (``Table.cell`` rebuilds the whole list per call);
    # merge regions never overlap, so each merge touches only its own cells.
    cells = grid._cells
    style_id = document.styles["表格文字"].style_id
    merges = []
    for r, (row, placed_cells) in enumerate(zip(rows, placed, strict=True)):
        word_row = grid.rows[r]
        _cant_split(word_row)
        if r < header_rows:
            _repeat_header(word_row)
        for col, cell in placed_cells:
            target = cells[r * columns + col]
            _fill_cell(target, cell, bold_row=row.cls == "total", size=size, style_id=style_id)
            last_row, last_col = r + max(cell.rowspan, 1) - 1, col + cell.colspan - 1
            if (last_row, last_col) != (r, col):
                merges.append((target, cells[last_row * columns + last_col]))
    for first, last in merges:
        first.merge(last)
    if space_after:  # (without it, the next table continues this one)
        document.add_paragraph(style="表格文字")


def add_annex(document: DocxDocument, annex: Annex, *, number: int | None = None) -> None:
    """An annex on a page of its own: "附件" (or "附件2") in 黑体, then its tables, one joined to
    the next."""
    breaker = document.add_paragraph()
    breaker.add_run().add_break(WD_BREAK.PAGE)
    label = document.add_paragraph()
    _no_indent(label)
    _run(label, "附件" + ("" if number is None else str(number)), face=HEI)
    _keep_with_next(label)
    for pos, table in enumerate(annex.tables, start=1):
        add_table(document, table, space_after=pos == len(annex.tables))


WRITERS: dict[str, Callable] = {
    "title": add_title,
    "score": add_score,
    "heading": add_heading,
    "paragraph": add_text,
    "note": add_note,
    "table": add_table,
    "signature": add_signature,
    "annex": add_annex,
}


def add_blocks(document: DocxDocument, blocks: Iterable[Block]) -> None:
    for block in blocks:
        WRITERS[block.kind](document, block)


# -- the document ---------------------------------------------------------------------------------


def report_docx(outline: Outline) -> bytes:
    """The whole report as .docx bytes: cover (section 1, no page number), body and annexes
    (section 2, numbered from 1)."""
    document = Document()
    setup_styles(document)
    document.settings.odd_and_even_pages_header_footer = True
    cover_section = document.sections[0]
    _page_setup(cover_section)
    add_cover(document, outline.cover)

    body = document.add_section(WD_SECTION.NEW_PAGE)
    cover_section = document.sections[0]  # add_section moved the cover's properties to a new element
    _page_setup(body)
    _start_body_numbering(body)
    for footer in (body.footer, body.even_page_footer):
        footer.is_linked_to_previous = False
    _page_number(body.footer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(body.even_page_footer, align=WD_ALIGN_PARAGRAPH.LEFT)
    if outline.draft_mark:
        for section in (cover_section, body):
            for header in (section.header, section.even_page_header):
                header.is_linked_to_previous = False
                _draft_header(header, outline.draft_mark)
    add_blocks(document, outline.body)

    buffer = io.BytesIO()
    document.core_properties.title = outline.cover.title
    document.core_properties.author = outline.cover.unit_name
    document.save(buffer)
    return buffer.getvalue()
