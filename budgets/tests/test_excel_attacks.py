"""Hostile workbooks and bodies are refused quickly with the problem list, never a 500.

Every attack is generated here from the app's own export (no binaries committed). Without the
streaming scan and the parse budget, the dimension bomb took 15.9 s and +994 MB, the shared-string
bomb 51 s, and the malformed sheet answered 500 (issue 15).
"""

from __future__ import annotations

import io
import re
import resource
import time
import zipfile

import pytest
from django.urls import reverse
from openpyxl.utils import get_column_letter

from budgets import excel
from budgets.models import ProjectLine
from perfeval import xlsx_guard

from .test_excel import do_import, edited, export, refused, upload

pytestmark = pytest.mark.django_db

# CPU seconds (this process and any child); the parse budget is 2 s, a refusal must cost far less.
# CPU rather than wall-clock time: the test machine's load must not decide the outcome.
QUICK = 0.5


def rewrite(content: bytes, change) -> bytes:
    """Rebuild the zip, passing each part's name and bytes through ``change``."""
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, change(item.filename, zin.read(item.filename)))
    return target.getvalue()


def is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet")


def cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed_refusal(unit_year, content: bytes) -> tuple[list[str], float]:
    """The problems, and the CPU the refusal cost (the parse alone, not the test's own checks)."""
    start = cpu_seconds()
    with pytest.raises(excel.ImportRefused):
        excel.workbook_parse(upload(content))
    seconds = cpu_seconds() - start
    return refused(unit_year, content), seconds


def dimension_bomb(content: bytes) -> bytes:
    """Each sheet claims A1:XFD2000 and holds one more cell, at XFD2000."""

    def change(name, data):
        if not is_sheet(name):
            return data
        data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD2000"/>', data)
        return data.replace(b"</sheetData>", b'<row r="2000"><c r="XFD2000"><v>1</v></c></row></sheetData>')

    return rewrite(content, change)


def test_dimension_bomb_is_refused_quickly(demo_year):
    bomb = dimension_bomb(export(demo_year))
    assert len(bomb) < 20 * 1024
    problems, seconds = timed_refusal(demo_year, bomb)
    assert seconds < QUICK
    assert problems == [
        "工作表“填表说明”：列数超过 50 列（文件声明的数据范围为 A1:XFD2000），请只保留模板中的表格后再上传。"
    ]


def test_far_away_cell_without_a_dimension_is_refused(demo_year):
    """The declared range is not trusted either way: a cell beyond the limits is refused."""

    def change(name, data):
        if not is_sheet(name):
            return data
        data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', data)
        return data.replace(b"</sheetData>", b'<row r="1999"><c r="XFD1999"><v>1</v></c></row></sheetData>')

    problems, seconds = timed_refusal(demo_year, rewrite(export(demo_year), change))
    assert seconds < QUICK
    assert problems == ["工作表“填表说明”：列数超过 50 列，请只保留模板中的表格后再上传。"]


def test_a_row_far_below_the_table_is_refused(demo_year):
    def change(name, data):
        if name != "xl/worksheets/sheet5.xml":
            return data
        data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", data)
        return data.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>')

    problems, seconds = timed_refusal(demo_year, rewrite(export(demo_year), change))
    assert seconds < QUICK
    assert problems == ["工作表“项目支出”：行数超过 2000 行，请删除多余的行后再上传。"]


def with_shared_strings(content: bytes, strings: bytes, prologue: bytes = b"") -> bytes:
    """Add a shared-strings part (openpyxl writes inline strings) wired in as Excel does."""
    sst = prologue + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    relation = (
        b'<Relationship Id="rIdSST" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType='
        b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )

    def change(name, data):
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", relation + b"</Relationships>")
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", override + b"</Types>")
        return data

    content = rewrite(content, change)
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", sst)
    return buffer.getvalue()


def test_two_million_shared_strings_are_refused_quickly(demo_year):
    bomb = with_shared_strings(export(demo_year), b"<si><t>x</t></si>" * 2_100_000)
    assert len(bomb) < 300 * 1024  # small on the wire, ~36 MB of XML inside
    problems, seconds = timed_refusal(demo_year, bomb)
    assert seconds < QUICK
    assert problems == ["共享字符串超过 100000 个，疑似恶意构造的文件，不能上传。"]


def test_entity_declarations_are_refused(demo_year):
    doctype = b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    bomb = with_shared_strings(export(demo_year), b"<si><t>&b;</t></si>", prologue=doctype)
    problems, seconds = timed_refusal(demo_year, bomb)
    assert seconds < QUICK
    assert problems == ["部件 xl/sharedStrings.xml 含有文档类型声明（DTD），疑似恶意构造的文件，不能上传。"]


def test_a_few_shared_strings_are_fine(demo_year):
    """The scan does not refuse what Excel writes: a shared-strings part of ordinary size."""
    do_import(demo_year, with_shared_strings(export(demo_year), b"<si><t>x</t></si>" * 5000))
    assert ProjectLine.objects.filter(unit_year=demo_year).count() == 11  # unchanged: 10 projects + the unitemised row


def malformed(content: bytes) -> bytes:
    def change(name, data):
        if name == "xl/worksheets/sheet3.xml":  # 支出
            return data.replace(b"</sheetData>", b"<row><c><v>1</c></row></sheetData>")
        return data

    return rewrite(content, change)


def test_malformed_sheet_xml_gives_the_problem_list(demo_year):
    problems, seconds = timed_refusal(demo_year, malformed(export(demo_year)))
    assert seconds < QUICK
    assert len(problems) == 1
    assert problems[0].startswith("工作表“支出”：内容不是有效的 XML（第 ")
    assert problems[0].endswith("文件已损坏，无法读取。请在 Excel 中打开并另存为 .xlsx 后再上传。")


@pytest.mark.parametrize("attack", [dimension_bomb, malformed])
def test_attacks_through_the_upload_page_answer_the_problem_list(officer_client, demo_year, attack):
    url = reverse("budgets:excel", args=[demo_year.unit.code, demo_year.year])
    response = officer_client.post(url, {"version": demo_year.version, "file": upload(attack(export(demo_year)))})
    html = response.content.decode()
    assert response.status_code == 200
    assert "文件未导入，未保存任何内容。共发现 1 个问题" in html
    assert ProjectLine.objects.filter(unit_year=demo_year).count() == 11  # unchanged: 10 projects + the unitemised row


def test_parsing_runs_under_a_memory_budget(demo_year, monkeypatch):
    """A workbook that passes the scan is still read by openpyxl only within the budget: with a
    budget too small for it, the upload is refused instead of growing the server's memory."""
    monkeypatch.setattr(xlsx_guard, "PARSE_MEMORY_MB", 30)
    assert refused(demo_year, export(demo_year)) == [xlsx_guard.TOO_COSTLY]


def test_a_valid_workbook_of_2000_rows_is_read_within_the_budget(demo_year):
    def fill(wb):
        for i in range(1985):
            wb["项目支出"].append([i, f"项目{i}", 1, 2, 1, None, "资金使用情况说明" * 10])

    content = edited(export(demo_year), fill)
    start = cpu_seconds()
    data = excel.workbook_parse(upload(content))
    assert cpu_seconds() - start < xlsx_guard.PARSE_CPU_SECONDS
    assert len(data.projects) == 11 + 1985


# ---------------------------------------------------------------- request bodies


class Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body must not be read")

    readline = read


def test_an_oversized_body_is_refused_before_it_is_read(officer_client, demo_year):
    url = reverse("budgets:excel", args=[demo_year.unit.code, demo_year.year])
    response = officer_client.generic(
        "POST",
        url,
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "提交的内容过大，未被接收" in html
    assert "不能超过 7 MB" in html
    assert ProjectLine.objects.filter(unit_year=demo_year).count() == 11  # unchanged: 10 projects + the unitemised row


def test_too_much_form_data_answers_the_apps_own_page(officer_client, demo_year):
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE but under the body limit: Django refuses it; the user
    sees the app's Chinese page, not "Bad Request (400)"."""
    url = reverse("departments:profile", args=[demo_year.unit.code, demo_year.year])
    response = officer_client.post(url, {"function_summary": "字" * (2_100_000)})
    assert response.status_code == 400
    assert "提交的内容无法处理，未保存任何内容" in response.content.decode()


def test_excel_upload_limit_is_within_the_body_limit(settings):
    assert excel.MAX_UPLOAD_BYTES + 1024 * 1024 <= settings.MAX_REQUEST_BODY_BYTES


def test_parsing_runs_under_a_cpu_budget(demo_year, monkeypatch):
    """A workbook within every counted limit can still be costly to parse (here 2000 rows × 50
    columns of numbers): openpyxl is stopped at the CPU budget and the upload refused.

    The budget is lowered to one second for the test: the two read passes over 100,000 cells cost
    about two seconds here, too close to the real two-second budget to be refused on every
    machine, and the test is about the refusal, not about this machine's speed."""
    monkeypatch.setattr(xlsx_guard, "PARSE_CPU_SECONDS", 1)
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{get_column_letter(c)}{r}"><v>{r}</v></c>' for c in range(1, 51)) + "</row>"
        for r in range(1, 2001)
    ).encode()

    def change(name, data):
        if name != "xl/worksheets/sheet5.xml":  # 项目支出
            return data
        data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:AX2000"/>', data)
        return re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData>" + rows + b"</sheetData>", data, flags=re.S)

    content = rewrite(export(demo_year), change)
    xlsx_guard.workbook_scan(content)  # passes the scan
    start = cpu_seconds()
    assert refused(demo_year, content) == [xlsx_guard.TOO_COSTLY]
    assert cpu_seconds() - start < xlsx_guard.PARSE_CPU_SECONDS + 1.5  # the budget, the scan, the checks
