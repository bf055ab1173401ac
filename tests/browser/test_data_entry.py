"""The finance officer's journey in a real browser: change a project amount, watch the totals
and the 数据校验 panel follow as they type, save, find the change in 修改记录."""

import pytest
from playwright.sync_api import expect

from budgets.checks import year_checks
from budgets.figures import year_figures
from demo.data import DEMO_PASSWORD
from departments.models import UnitYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_changes_a_project_amount(page, login, unreconciled_demo_year):
    demo_year = unreconciled_demo_year
    login("officer", DEMO_PASSWORD)
    page.get_by_test_id("next-step").first.click()  # 填报数据并送审 → 收支与项目
    expect(page.get_by_test_id("projects-amount-sum")).to_have_text("236.00")
    panel = page.get_by_test_id("checks-panel")
    expect(panel).to_contain_text(
        "项目明细金额合计为 236.00 万元，项目支出（全年预算数）为 275.61 万元，相差 39.61 万元。"
    )

    amount = page.locator('input[name="projects-0-actual"]')
    amount.fill("40")
    # live, before saving: totals and the warning follow
    expect(page.get_by_test_id("projects-amount-sum")).to_have_text("245.00")
    expect(page.get_by_test_id("projects-total-actual")).to_have_text("245.00")
    expect(panel).to_contain_text(
        "项目明细金额合计为 245.00 万元，项目支出（全年预算数）为 275.61 万元，相差 30.61 万元。"
    )
    expect(panel).not_to_contain_text("相差 39.61 万元")
    # a bad amount is marked at once
    page.locator('input[name="spending-basic-actual"]').fill("-3")
    expect(page.locator('input[name="spending-basic-actual"]')).to_have_class(
        "form-control form-control-sm num is-invalid"
    )
    page.locator('input[name="spending-basic-actual"]').fill("")
    # overspending shows up live as well
    page.locator('input[name="projects-1-full_year_budget"]').fill("19.99")
    expect(panel).to_contain_text(
        "项目“国、省人大代表专项活动经费”全年执行数 20.00 万元超过全年预算数 19.99 万元（执行率 100.05%）。"
    )
    page.locator('input[name="projects-1-full_year_budget"]').fill("")
    live_messages = panel.locator("li").all_inner_texts()

    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert")).to_contain_text("收支与项目数据已保存")
    # after saving, the page shows the server's figures, and the server agrees with the browser
    saved = UnitYear.objects.get(pk=demo_year.pk)
    figures = year_figures(saved)
    assert f"{figures.project_amount_sum:.2f}" == "245.00"
    expect(page.get_by_test_id("projects-amount-sum")).to_have_text("245.00")
    server_messages = [c.message for c in year_checks(figures, saved)]
    assert panel.locator("li").all_inner_texts() == server_messages == live_messages

    page.get_by_role("link", name="修改记录").click()
    history = page.get_by_test_id("history-table")
    expect(history).to_contain_text("项目支出 · 县人大代表活动经费")
    expect(history.locator("tr", has_text="县人大代表活动经费").first).to_contain_text("31.00 → 40.00")
    expect(history).to_contain_text("演示财务人员")


def test_officer_adds_a_project_row_and_sees_it_counted(page, login, unreconciled_demo_year):
    demo_year = unreconciled_demo_year
    login("officer", DEMO_PASSWORD)
    page.goto(f"/u/{demo_year.unit.code}/{demo_year.year}/figures/")
    page.get_by_role("button", name="＋ 添加项目").click()
    row = page.locator("tr[data-project-row]").last
    row.locator('[name$="-name"]').fill("新增的专项")
    row.locator('input[name$="-actual"]').fill("39.61")
    expect(page.get_by_test_id("projects-amount-sum")).to_have_text("275.61")
    expect(page.get_by_test_id("checks-panel")).not_to_contain_text("项目明细金额合计")
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert")).to_contain_text("收支与项目数据已保存")
    expect(page.locator('textarea[name$="-name"]', has_text="新增的专项")).to_have_count(1)
    expect(page.get_by_test_id("projects-amount-sum")).to_have_text("275.61")
