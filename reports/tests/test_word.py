"""The Word export (issue 10 item 6): read back with python-docx — every heading, figure and table
of the demo, the styles and fonts, page set-up and numbering, the 未定稿 mark — and converted by
LibreOffice headless, proving a Word-compatible consumer reads it."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from reports import services
from reports.data import report_data, report_queryset
from reports.outline import Heading, Note, Paragraph, Table, report_outline
from reports.prose import report_prose

from .conftest import pdf_text, squash

pytestmark = pytest.mark.django_db


def docx_of(unit_year):
    uy = report_queryset().get(pk=unit_year.pk)
    content = services.report_render(unit_year=uy, fmt="docx").content
    return content, Document(io.BytesIO(content))


def outline_of(unit_year):
    data = report_data(report_queryset().get(pk=unit_year.pk))
    return report_outline(data, report_prose(data))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def header_texts(document) -> list[str]:
    texts = []
    for section in document.sections:
        for header in (section.header, section.even_page_header):
            texts.append("".join(p.text for p in header.paragraphs))
    return texts


def test_every_heading_is_a_word_heading_in_order(finalised_demo_year):
    _, document = docx_of(finalised_demo_year)
    outline = outline_of(finalised_demo_year)
    got = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    want = [(f"Heading {1 if h.level == 1 else 2}", h.text) for h in outline.body if isinstance(h, Heading)]
    assert got == want
    assert ("Heading 1", "四、部门整体支出绩效情况分析") in got and ("Heading 2", "（三）评价依据和方法") in got
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == "安化县人大常委会办公室2024年度部门整体支出绩效自评报告"


def test_every_paragraph_and_note_of_the_outline_is_in_the_file(finalised_demo_year):
    _, document = docx_of(finalised_demo_year)
    outline = outline_of(finalised_demo_year)
    texts = [p.text for p in document.paragraphs]
    for block in outline.body:
        if isinstance(block, Paragraph | Note):
            assert block.text in texts, block.text[:40]
    notes = [p for p in document.paragraphs if p.style.name == "注释"]
    assert len(notes) == 2
    assert "按已公开的2024年度自评报告原样填列" in notes[0].text
    # each note sits right under the sentence whose figures it concerns
    income = texts.index(next(t for t in texts if t.startswith("2024年，单位预算收入")))
    assert texts[income + 1].startswith("注：其中：一般公共预算财政拨款（年初预算数）为 1269.21 万元")


def test_every_table_with_its_figures_and_repeated_header_rows(finalised_demo_year):
    _, document = docx_of(finalised_demo_year)
    outline = outline_of(finalised_demo_year)
    tables = [b for b in outline.body if isinstance(b, Table)] + [
        t for b in outline.body if b.kind == "annex" for t in b.tables
    ]
    word_tables = document.tables[1:]  # the first is the cover's
    assert len(word_tables) == len(tables)
    for table, word in zip(tables, word_tables, strict=True):
        text = {cell.text for row in word.rows for cell in row.cells}
        for row in table.head + table.body:
            for cell in row.cells:
                assert "\n".join(cell.paragraphs) in text, (table.key, cell.text)
        header_rows = len(table.head) or table.header_rows
        for pos, row in enumerate(word.rows):
            repeated = row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
            assert repeated == (pos < header_rows), (table.key, pos)
    projects = document.tables[1 + tables.index(outline.table("projects"))]
    assert [c.text for c in projects.rows[0].cells] == [
        "序号",
        "项目名称",
        "年初预算数",
        "调整数",
        "全年预算数",
        "全年执行数",
        "执行率",
    ]
    unitemised = [c.text for c in projects.rows[-2].cells]
    assert unitemised[1:6] == ["年中追加（未细化到项目）", "0.00", "39.61", "39.61", "39.61"]
    assert [c.text for c in projects.rows[-1].cells][2:6] == ["236.00", "39.61", "275.61", "275.61"]


def test_figures_of_the_demo(finalised_demo_year):
    _, document = docx_of(finalised_demo_year)
    text = all_text(document)
    for figure in ("1304.57", "880.51", "1269.21", "1326.27", "236.00", "39.61", "275.61", "1028.96", "11.31", "98.89"):
        assert figure in text, figure
    assert "3.57" in text and "7.50" in text and "10.00" in text  # scores with two decimals
    assert "2024年度部门整体支出绩效自评表" in text and "附件" in text


def test_styles_fonts_and_page_of_an_official_document(finalised_demo_year):
    _, document = docx_of(finalised_demo_year)
    styles = document.styles

    def east_asia(style):
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert (east_asia(styles["Normal"]), styles["Normal"].font.size) == ("仿宋", Pt(16))
    assert east_asia(styles["Heading 1"]) == "黑体" and east_asia(styles["Heading 2"]) == "楷体"
    assert styles["Heading 1"].font.size == styles["Heading 2"].font.size == Pt(16)
    for section in document.sections:  # stored in twips: compare to a tenth of a millimetre
        sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
        sides = (section.left_margin, section.right_margin)
        assert [round(v.mm, 1) for v in (*sizes, *sides)] == [210, 297, 37, 35, 28, 26]
    cover, body = document.sections
    assert not "".join(p.text for p in cover.footer.paragraphs)  # the cover carries no number
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    odd, even = body.footer.paragraphs[0], body.even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"  # the PAGE field's cached result between the dashes
    assert "PAGE" in odd._p.xml and odd.alignment == 2 and even.alignment == 0  # outer side: right, left
    assert document.settings.odd_and_even_pages_header_footer


def test_a_finalised_year_carries_no_draft_mark(finalised_demo_year):
    _, final = docx_of(finalised_demo_year)
    assert not any("未定稿" in t for t in header_texts(final))
    assert "未定稿" not in all_text(final)


def test_a_draft_carries_the_mark_on_every_page(demo_year):
    _, draft = docx_of(demo_year)
    assert header_texts(draft) and all(t == "未定稿" for t in header_texts(draft))  # cover and body, odd and even


def test_download_next_to_pdf_and_excel(client, finalised_demo_year, admin_user):
    client.force_login(admin_user)
    uy = finalised_demo_year
    page = client.get(reverse("reports:report", args=[uy.unit.code, uy.year])).content.decode()
    url = reverse("reports:report_docx", args=[uy.unit.code, uy.year])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    assert Document(io.BytesIO(response.content)).paragraphs


@pytest.mark.skipif(shutil.which("soffice") is None, reason="libreoffice-writer-nogui (make setup-test) not installed")
def test_libreoffice_opens_and_converts_it(finalised_demo_year, tmp_path):
    content, _ = docx_of(finalised_demo_year)
    source = tmp_path / "report.docx"
    source.write_bytes(content)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = squash(pdf_text((tmp_path / "report.pdf").read_bytes()))
    for expected in (
        "安化县人大常委会办公室2024年度部门整体支出绩效自评报告",
        "四、部门整体支出绩效情况分析",
        "年中追加39.61万元，全年预算275.61万元",
        "上述实际使用275.61万元",
        "—1—",
        "2024年度部门整体支出绩效自评表",
    ):
        assert expected in text, expected
    assert "未定稿" not in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "report.pdf")], capture_output=True, text=True).stdout
    assert "FandolFang" in fonts and "FandolKai" in fonts  # 仿宋 and 楷体 as named, through the font aliases
