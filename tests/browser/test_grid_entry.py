"""Spreadsheet-like entry: a block pasted from Excel fills the cells it covers, Enter and the
arrow keys move between cells, and 评分 shows a refused value at its own field at 1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from budgets.models import IncomeLine
from demo.data import DEMO_PASSWORD

from .test_scoring_flow import row, year_under_evaluation  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 4 columns × 3 rows as Excel/WPS put them on the clipboard: tab separated, CRLF lines,
# a thousands separator, full-width digits, a 万元 suffix and one refused cell.
BLOCK = "1,304.57\t１２００\t1100.5万元\t900\r\n10\t20\t30\t40\r\n1.234\t2\t3\t4\r\n"


def paste(page, selector: str, text: str) -> None:
    page.evaluate(
        """([selector, text]) => {
            const el = document.querySelector(selector);
            el.focus();
            const data = new DataTransfer();
            data.setData("text/plain", text);
            el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
        }""",
        [selector, text],
    )


def test_paste_a_block_from_excel_fills_the_cells_and_saves_only_on_save(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/u/{demo_year.unit.code}/{demo_year.year}/figures/")
    before = IncomeLine.objects.get(unit_year=demo_year, source="appropriation").initial_budget
    paste(page, 'input[name="income-appropriation-initial_budget"]', BLOCK)

    def cell(line, col):
        return page.locator(f'input[name="income-{line}-{col}"]')

    cols = ["initial_budget", "full_year_budget", "actual", "previous_year"]
    expect(cell("appropriation", "initial_budget")).to_have_value("1304.57")
    expect(cell("appropriation", "full_year_budget")).to_have_value("1200.00")
    expect(cell("appropriation", "actual")).to_have_value("1100.50")
    expect(cell("appropriation", "previous_year")).to_have_value("900.00")
    # the second and third pasted rows land on the next rows of the table, same columns
    rows = page.locator("table[data-testid='income-table'] tbody tr[data-line-group]")
    second, third = rows.nth(1), rows.nth(2)
    for i, value in enumerate(["10.00", "20.00", "30.00", "40.00"]):
        expect(second.locator(f'input[name$="-{cols[i]}"]')).to_have_value(value)
    refused = third.locator('input[name$="-initial_budget"]')
    expect(refused).to_have_value("1.234")
    expect(refused).to_have_class("form-control form-control-sm num is-invalid")
    expect(refused).to_have_attribute("aria-invalid", "true")
    expect(third.locator(".grid-error")).to_have_text("金额最多保留两位小数（单位：万元）。")
    expect(third.locator('input[name$="-previous_year"]')).to_have_value("4.00")
    # nothing saved until 保存
    assert IncomeLine.objects.get(unit_year=demo_year, source="appropriation").initial_budget == before
    # the page fits 1280 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    refused.fill("1.23")
    expect(third.locator(".grid-error")).to_have_count(0)
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert")).to_contain_text("收支与项目数据已保存")
    assert str(IncomeLine.objects.get(unit_year=demo_year, source="appropriation").initial_budget) == "1304.57"


def test_enter_and_arrows_move_between_cells_and_enter_never_submits(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.goto(f"/u/{demo_year.unit.code}/{demo_year.year}/figures/")
    first = page.locator('input[name="income-appropriation-actual"]')
    first.click()
    first.fill("12")
    page.keyboard.press("Enter")
    # the next row, same column; the form was not submitted
    focused = page.evaluate("document.activeElement.name")
    assert focused.endswith("-actual") and focused != "income-appropriation-actual"
    assert "已保存" not in page.content()
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.name") == "income-appropriation-actual"
    page.keyboard.press("ArrowRight")  # the whole value is selected: the caret is at the end
    assert page.evaluate("document.activeElement.name") == "income-appropriation-previous_year"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.name") == "income-appropriation-full_year_budget"
    assert page.get_by_label("财政拨款 · 年初预算数（万元）", exact=True).count() == 1


def test_scoring_error_at_its_field_at_1280_and_kept_after_reload(page, login, year_under_evaluation):  # noqa: F811
    login("evaluator", DEMO_PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    y = year_under_evaluation
    page.goto(f"/u/{y.unit.code}/{y.year}/scoring/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    r = row(page, "人大会议次数")
    r.locator("[data-field='actual']").fill("22")
    # a score above the weight is refused: marked on 得分, its message beside it
    score = r.locator("[data-field='score']")
    score.fill("999")
    score.press("Tab")
    expect(score).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{score.get_attribute('id')}-error")
    expect(error).not_to_be_empty()
    assert error.is_visible()
    expect(score).to_have_value("999")
    expect(page.get_by_test_id("unsaved-count")).to_have_text("1 行未保存")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # a reload brings back what was typed (a local draft)
    page.once("dialog", lambda d: d.accept())
    page.reload()
    r = row(page, "人大会议次数")
    expect(r.locator("[data-field='score']")).to_have_value("999")
    expect(r.locator("[data-testid='row-status']")).to_contain_text("已从本机草稿恢复")


def test_qualitative_row_waits_until_complete(page, login, year_under_evaluation):  # noqa: F811
    login("evaluator", DEMO_PASSWORD)
    y = year_under_evaluation
    page.goto(f"/u/{y.unit.code}/{y.year}/scoring/")
    refused = []
    page.on("response", lambda resp: refused.append(resp.url) if resp.status == 400 else None)
    r = row(page, "促进本县经济发展")
    r.locator("[data-field='actual']").fill("有效促进")
    r.locator("[data-field='actual']").dispatch_event("change")
    expect(r.get_by_test_id("row-status")).to_have_text("未完成")
    r.locator("[data-field='band']").select_option(label="达成年度指标")
    expect(r.get_by_test_id("row-status")).to_have_text("未完成")
    r.locator("[data-field='score']").fill("7")
    r.locator("[data-field='score']").press("Tab")
    expect(r.get_by_test_id("row-status")).to_have_text("已保存 7.00 分")
    expect(page.get_by_test_id("unsaved-count")).to_be_hidden()
    assert refused == []
