"""Excel both ways: the exported workbook, the round trip, and every refused file."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets import excel
from budgets.figures import FIGURE_PREFETCH
from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine
from budgets.services import year_data_of
from departments.models import UnitYear
from perfeval.xlsx import XLSX_CONTENT_TYPE

pytestmark = pytest.mark.django_db
HISTORY_MODELS = (IncomeLine, SpendingLine, ThreePublicLine, ProjectLine)


def fresh(unit_year):
    return UnitYear.objects.prefetch_related(*FIGURE_PREFETCH).select_related("unit").get(pk=unit_year.pk)


def export(unit_year) -> bytes:
    return excel.workbook_export(unit_year=fresh(unit_year))


def upload(content: bytes, name: str = "figures.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def edited(content: bytes, change) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    change(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def do_import(unit_year, content, name="figures.xlsx"):
    year = fresh(unit_year)
    return excel.workbook_import(unit_year=year, user=None, expected_version=year.version, upload=upload(content, name))


def refused(unit_year, content, name="figures.xlsx") -> list[str]:
    before = year_data_of(fresh(unit_year))
    with pytest.raises(excel.ImportRefused) as error:
        do_import(unit_year, content, name)
    assert year_data_of(fresh(unit_year)) == before  # nothing saved
    return [str(p) for p in error.value.problems]


def test_exported_workbook_is_laid_out_like_the_tables(demo_year):
    wb = openpyxl.load_workbook(io.BytesIO(export(demo_year)))
    assert wb.sheetnames == ["填表说明", "收入", "支出", "三公经费", "项目支出"]
    income = wb["收入"]
    assert income["A1"].value == "安化县人大常委会办公室 2024年度收入情况表"
    assert income["H2"].value == "单位：万元"
    assert [c.value for c in income[3]] == [
        "收入来源",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "上年数",
        "执行率（计算）",
        "比上年增减（计算）",
        "增减率（计算）",
    ]
    total = next(row for row in income.iter_rows(min_row=4) if row[0].value == "收入合计")
    assert [total[1].value, total[2].value, total[4].value] == [880.51, 1304.57, 1326.27]
    assert total[6].value == -21.70  # 比上年增减 from budgets.figures (the reference's slip says 21.76)
    assert total[2].number_format == "0.00"  # no thousands separator, as on the pages
    projects = wb["项目支出"]
    first = demo_year.project_lines.order_by("order").first()
    assert [c.value for c in projects[4]] == [1, "县人大代表活动经费", 31, 31, 31, 100, None, "项目", first.pk]
    # the line's id sits in a hidden last column: identity survives a round trip
    assert projects.column_dimensions["I"].hidden
    # the 39.61 added during the year is its own row, marked in the 类型 column
    unitemised = projects[projects.max_row - 1]
    assert [c.value for c in unitemised] == [
        11,
        "年中追加（未细化到项目）",
        0,
        39.61,
        39.61,
        100,
        None,
        "年中追加（未细化到项目）",
        demo_year.project_lines.get(kind="unitemised").pk,
    ]
    last = projects[projects.max_row]
    assert (last[1].value, last[2].value, last[3].value) == ("合计（计算）", 236, 275.61)
    info = wb["填表说明"]
    assert [info["A2"].value, info["B2"].value] == ["部门（单位）名称", "安化县人大常委会办公室"]


def test_export_query_count(officer_client, demo_year, django_assert_num_queries):
    ProjectLine.objects.bulk_create(ProjectLine(unit_year=demo_year, order=50 + i, name=f"P{i}") for i in range(30))
    url = reverse("budgets:excel_download", args=[demo_year.unit.code, demo_year.year])
    # session, user, is-admin check, unit-year (+unit, its parent, updated_by), 4 prefetches
    with django_assert_num_queries(8):
        response = officer_client.get(url)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    assert (
        openpyxl.load_workbook(io.BytesIO(response.content))["项目支出"].max_row == 3 + 40 + 1 + 1
    )  # header, 10 + 30 projects, the unitemised row, total


def test_text_never_becomes_a_formula(demo_year):
    ProjectLine.objects.filter(unit_year=demo_year, order=1).update(
        name='=HYPERLINK("http://x","点我")', usage="@SUM(A1)"
    )
    ProjectLine.objects.filter(unit_year=demo_year, order=2).update(name="-2 号项目", usage="+1")
    content = export(demo_year)
    ws = openpyxl.load_workbook(io.BytesIO(content))["项目支出"]
    for cell in (ws["B4"], ws["G4"], ws["B5"], ws["G5"]):
        assert cell.data_type == "s"  # text, never a formula
        assert cell.quotePrefix  # and stays text when edited in Excel
    assert ws["B4"].value == '=HYPERLINK("http://x","点我")'  # shown exactly as typed
    # and the names come back unchanged
    before = year_data_of(fresh(demo_year))
    do_import(demo_year, content)
    assert year_data_of(fresh(demo_year)) == before


def test_round_trip_changes_nothing(demo_year):
    before = year_data_of(fresh(demo_year))
    history = [m.history.count() for m in HISTORY_MODELS]
    do_import(demo_year, export(demo_year))
    assert year_data_of(fresh(demo_year)) == before
    assert [m.history.count() for m in HISTORY_MODELS] == history  # not one line rewritten


def test_upload_replaces_the_figures(demo_year):
    def change(wb):
        wb["项目支出"]["E4"] = 70.61  # 县人大代表活动经费 全年执行数
        wb["项目支出"].delete_rows(5)  # drop 国、省人大代表专项活动经费
        wb["支出"]["D4"] = 1028.96  # 基本支出 全年执行数
        wb["三公经费"]["C4"] = "8.5"  # 公务接待费 实际支出数, typed as text

    do_import(demo_year, edited(export(demo_year), change))
    names = list(ProjectLine.objects.filter(unit_year=demo_year).values_list("name", flat=True))
    assert len(names) == 10 and "国、省人大代表专项活动经费" not in names
    assert ProjectLine.objects.get(unit_year=demo_year, name="县人大代表活动经费").actual == D("70.61")
    assert SpendingLine.objects.get(unit_year=demo_year, kind="basic").actual == D("1028.96")
    assert ThreePublicLine.objects.get(unit_year=demo_year, kind="reception").actual == D("8.50")


def test_every_problem_is_listed_by_sheet_row_and_column(demo_year):
    def change(wb):
        wb["收入"]["C4"] = -1  # 财政拨款 全年预算数
        wb["支出"]["B5"] = "一千"  # 其中：人员经费 年初预算数
        wb["支出"]["A20"] = "奖金支出"
        wb["项目支出"]["D6"] = 1.234
        wb["项目支出"]["E30"] = 5  # an amount without a project name
        wb["三公经费"]["B4"] = 99999999

    problems = refused(demo_year, edited(export(demo_year), change))
    assert problems == [
        "工作表“收入”第4行C（全年预算数）列：金额不能为负数。",
        "工作表“支出”第5行B（年初预算数）列：“一千”不是数字，请填写以万元为单位的金额，例如 1304.57。",
        "工作表“支出”第20行A列：无法识别的支出类别“奖金支出”。",
        "工作表“三公经费”第4行B（预算数）列：金额超过 1000 亿元（10000000 万元），请确认单位是万元而不是元。",
        "工作表“项目支出”第6行D（全年预算数）列：金额最多保留两位小数（单位：万元）。",
        "工作表“项目支出”第30行B（项目名称）列：请填写项目名称。",
    ]


def test_missing_sheet_and_header(demo_year):
    def change(wb):
        del wb["三公经费"]
        wb["收入"]["A3"] = "来源"

    problems = refused(demo_year, edited(export(demo_year), change))
    assert "工作表“三公经费”：缺少工作表“三公经费”。请使用本系统下载的模板。" in problems
    assert any(p.startswith("工作表“收入”：找不到表头") for p in problems)


# ---------------------------------------------------------------- refused files


def test_refuses_other_file_types(demo_year):
    assert refused(demo_year, b"a,b\n1,2\n", name="figures.csv")[0].startswith("只能上传 Excel 工作簿（.xlsx 文件）")
    assert refused(demo_year, b"not a zip at all", name="figures.xlsx")[0].startswith("文件不是有效的 .xlsx 工作簿")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refused(demo_year, buffer.getvalue())[0].startswith("文件不是有效的 .xlsx 工作簿")


def test_refuses_files_over_5_mb(demo_year):
    assert refused(demo_year, b"0" * (5 * 1024 * 1024 + 1)) == ["文件大于 5 MB，不能上传。"]


def test_refuses_a_zip_bomb_before_parsing(demo_year, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not parse a zip bomb")

    monkeypatch.setattr(excel, "workbook_read", never)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024  # small on disk, 60 MB declared
    assert refused(demo_year, content) == ["文件解压后过大（超过 50 MB），疑似压缩炸弹，不能上传。"]


def test_refuses_too_many_rows(demo_year):
    def change(wb):
        ws = wb["项目支出"]
        for i in range(excel.MAX_ROWS):
            ws.append([i, f"项目{i}", 1])

    assert refused(demo_year, edited(export(demo_year), change)) == [
        "工作表“项目支出”：行数超过 2000 行，请删除多余的行后再上传。"
    ]


def test_refuses_formulas_without_cached_values(demo_year):
    content = edited(export(demo_year), lambda wb: wb["支出"].__setitem__("C5", "=1000+28.96"))
    assert refused(demo_year, content) == [
        "工作表“支出”第5行C列：单元格是公式，但文件中没有保存计算结果。"
        "请在 Excel 中打开、保存后再上传，或直接填写数值。"
    ]


def test_accepts_formulas_with_cached_values(demo_year):
    content = edited(export(demo_year), lambda wb: wb["支出"].__setitem__("D4", "=1000+28.96"))
    # Give the formula the cached value Excel would have saved.
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if b"<f>1000+28.96</f>" in data:
                data, n = re.subn(rb"<f>1000\+28\.96</f>(<v\s*/>|<v></v>)?", b"<f>1000+28.96</f><v>1028.96</v>", data)
                assert n == 1
            zout.writestr(item, data)
    do_import(demo_year, target.getvalue())
    assert SpendingLine.objects.get(unit_year=demo_year, kind="basic").actual == D("1028.96")


def test_xml_is_parsed_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


# ---------------------------------------------------------------- through the page


def token_of(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_upload_page_previews_then_saves_on_confirmation(officer_client, demo_year):
    content = edited(export(demo_year), lambda wb: wb["项目支出"].__setitem__("E4", 40))
    url = reverse("budgets:excel", args=[demo_year.unit.code, demo_year.year])
    response = officer_client.post(url, {"version": demo_year.version, "file": upload(content)})
    # first the preview, cell by cell: nothing saved yet
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="excel-preview"' in html
    assert "共 1 处改动" in html
    assert re.search(
        r"项目 · 县人大代表活动经费</td>\s*<td>全年执行数</td>\s*"
        r"<td class=\"num\">31.00</td>\s*<td class=\"num\">40.00</td>",
        html,
    )
    assert ProjectLine.objects.get(unit_year=demo_year, order=1).actual == D("31.00")
    response = officer_client.post(url, {"token": token_of(html)})
    assert response.status_code == 302
    page = officer_client.get(response["Location"]).content.decode()
    assert "已从 Excel 导入" in page
    assert 'data-out="projects.amount_sum" data-testid="projects-amount-sum">284.61<' in page  # 275.61 − 31 + 40


def test_upload_page_lists_problems_and_saves_nothing(officer_client, demo_year):
    content = edited(export(demo_year), lambda wb: wb["项目支出"].__setitem__("E4", "abc"))
    url = reverse("budgets:excel", args=[demo_year.unit.code, demo_year.year])
    response = officer_client.post(url, {"version": demo_year.version, "file": upload(content)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "文件未导入，未保存任何内容。共发现 1 个问题" in html
    assert "工作表“项目支出”第4行E（全年执行数）列：“abc”不是数字" in html
    assert ProjectLine.objects.get(unit_year=demo_year, order=1).actual == D("31.00")


def test_upload_after_someone_else_saved_is_refused(officer_client, demo_year):
    stale_version = demo_year.version
    UnitYear.objects.filter(pk=demo_year.pk).update(version=stale_version + 1)
    url = reverse("budgets:excel", args=[demo_year.unit.code, demo_year.year])
    content = edited(export(demo_year), lambda wb: wb["项目支出"].__setitem__("E4", 40))
    html = officer_client.post(url, {"version": stale_version, "file": upload(content)}).content.decode()
    html = officer_client.post(url, {"token": token_of(html)}).content.decode()
    assert "保存未成功" in html
    assert ProjectLine.objects.get(unit_year=demo_year, order=1).actual == D("31.00")


def test_the_kind_column_round_trips_and_is_checked(demo_year):
    # A row marked as the unitemised addition in Excel is stored as one; an unknown kind is refused.
    def mark(wb):
        wb["项目支出"]["H5"] = "年中追加（未细化到项目）"  # 国、省人大代表专项活动经费

    do_import(demo_year, edited(export(demo_year), mark))
    assert ProjectLine.objects.get(unit_year=demo_year, name="国、省人大代表专项活动经费").kind == "unitemised"
    assert (
        ProjectLine.objects.get(unit_year=demo_year, name="年中追加（未细化到项目）").get_kind_display()
        == "年中追加（未细化到项目）"
    )
    problems = refused(demo_year, edited(export(demo_year), lambda wb: wb["项目支出"].__setitem__("H4", "追加")))
    assert problems == [
        "工作表“项目支出”第4行H（类型）列：无法识别的类型“追加”，请填写“项目”或“年中追加（未细化到项目）”。"
    ]


def test_a_workbook_without_the_kind_column_reads_every_row_as_a_project(demo_year):
    def drop_kind(wb):
        wb["项目支出"].delete_cols(8)

    data = excel.workbook_parse(upload(edited(export(demo_year), drop_kind)))
    assert {p.kind for p in data.projects} == {"project"}


def test_upload_preview_lists_rows_added_and_removed_and_cancel_saves_nothing(officer_client, demo_year):
    def change(wb):
        ws = wb["项目支出"]
        ws["B4"] = "新的专项经费"  # renamed and its hidden id cleared: the old row is removed, a new one added
        ws["I4"] = None

    content = edited(export(demo_year), change)
    url = reverse("budgets:excel", args=[demo_year.unit.code, demo_year.year])
    html = officer_client.post(url, {"version": demo_year.version, "file": upload(content)}).content.decode()
    assert "项目 · 新的专项经费（新增）" in html
    assert "项目 · 县人大代表活动经费（删除）" in html
    response = officer_client.post(url, {"token": token_of(html), "cancel": "1"})
    assert response.status_code == 302
    assert ProjectLine.objects.filter(unit_year=demo_year, name="县人大代表活动经费").exists()
    # the token is spent: confirming afterwards applies nothing
    response = officer_client.post(url, {"token": token_of(html)})
    assert ProjectLine.objects.filter(unit_year=demo_year, name="县人大代表活动经费").exists()
