"""python manage.py render_report — outputs and error cases."""

from __future__ import annotations

from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from departments.models import Unit

from .conftest import pdf_text, squash

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("render_report", *args, stdout=out)
    return out.getvalue()


def test_xlsx_by_unit_code(demo_year, tmp_path):
    target = tmp_path / "table.xlsx"
    out = run("--unit", "430923-RD", "--year", "2024", "--format", "xlsx", "--output", str(target))
    assert "已生成" in out
    ws = load_workbook(BytesIO(target.read_bytes()))["自评表"]
    assert ws["A1"].value == "2024年度部门整体支出绩效自评表"


def test_html_by_unit_name_is_self_contained(demo_year, tmp_path):
    target = tmp_path / "report.html"
    run("--unit", "安化县人大常委会办公室", "--year", "2024", "--format", "html", "--output", str(target))
    html = target.read_text(encoding="utf-8")
    assert "比上年1326.27万元减少21.70万元" in html
    assert "<style>" in html and "@page" in html  # the print stylesheet travels with the file
    assert "<link" not in html  # nothing to fetch


def test_pdf(demo_year, tmp_path):
    target = tmp_path / "report.pdf"
    run("--unit", "430923-RD", "--year", "2024", "--format", "pdf", "--output", str(target))
    content = target.read_bytes()
    assert content.startswith(b"%PDF")
    assert "上述实际使用275.61万元" in squash(pdf_text(content))


def test_docx(demo_year, tmp_path):
    from docx import Document

    target = tmp_path / "report.docx"
    run("--unit", "430923-RD", "--year", "2024", "--format", "docx", "--output", str(target))
    document = Document(BytesIO(target.read_bytes()))
    assert any(
        p.text == "上述实际使用275.61万元，经费严格按项目支出类别进行支出，无串用指标现象。"
        for p in document.paragraphs
    )


def test_unknown_unit(demo_year, tmp_path):
    with pytest.raises(CommandError, match="找不到单位“不存在的单位”"):
        run("--unit", "不存在的单位", "--year", "2024", "--format", "pdf", "--output", str(tmp_path / "x.pdf"))


def test_unknown_year_lists_the_known_ones(demo_year, tmp_path):
    with pytest.raises(CommandError, match=r"没有 2019 年度的自评（已有年度：2024）"):
        run("--unit", "430923-RD", "--year", "2019", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_ambiguous_unit_name(db, tmp_path):
    Unit.objects.create(code="C1", name="同名单位")
    Unit.objects.create(code="C2", name="同名单位")
    with pytest.raises(CommandError, match="不止一个"):
        run("--unit", "同名单位", "--year", "2024", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))


def test_unknown_format_and_missing_directory(demo_year, tmp_path):
    with pytest.raises(CommandError):
        run("--unit", "430923-RD", "--year", "2024", "--format", "odt", "--output", str(tmp_path / "x.odt"))
    with pytest.raises(CommandError, match="输出目录不存在"):
        run("--unit", "430923-RD", "--year", "2024", "--format", "xlsx", "--output", str(tmp_path / "no" / "x.xlsx"))
