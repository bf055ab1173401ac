"""Excel 上传并替换 first shows what would change, cell by cell, and applies only on confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from budgets.models import ProjectLine
from budgets.tests.test_excel import edited, export
from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_replace_previews_the_changes_then_applies(page, login, demo_year, tmp_path):
    content = edited(export(demo_year), lambda wb: wb["项目支出"].__setitem__("E4", 40))
    path = tmp_path / "figures.xlsx"
    path.write_bytes(content)
    login("officer", DEMO_PASSWORD)
    page.goto(f"/u/{demo_year.unit.code}/{demo_year.year}/excel/")
    page.locator('input[name="file"]').set_input_files(str(path))
    page.get_by_role("button", name="上传并预览改动").click()
    preview = page.get_by_test_id("excel-preview")
    expect(preview).to_contain_text("共 1 处改动")
    change = page.get_by_test_id("excel-change")
    expect(change).to_have_count(1)
    expect(change).to_contain_text("项目 · 县人大代表活动经费")
    expect(change.locator("td").nth(2)).to_have_text("31.00")
    expect(change.locator("td").nth(3)).to_have_text("40.00")
    assert str(ProjectLine.objects.get(unit_year=demo_year, order=1).actual) == "31.00"
    page.get_by_test_id("excel-apply").click()
    expect(page.get_by_role("alert").first).to_contain_text("已从 Excel 导入")
    assert str(ProjectLine.objects.get(unit_year=demo_year, order=1).actual) == "40.00"
