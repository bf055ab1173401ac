"""The four ways typed input was lost, each now keeping it: the session ends before 保存, the
CSRF token went stale (logged in again in another tab), leaving 收支与项目 by another tab, and a
refused 评分 row (tests/browser/test_grid_entry.py covers the last)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from budgets.models import SpendingLine
from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CELL = 'input[name="spending-basic-actual"]'


def figures_url(year) -> str:
    return f"/u/{year.unit.code}/{year.year}/figures/"


def sign_in(page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_session_ended_input_kept_and_restored_after_logging_in(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.goto(figures_url(demo_year))
    page.locator(CELL).fill("1111.11")
    page.context.clear_cookies(name="sessionid")  # the session has ended
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("login-next")).to_be_visible()
    sign_in(page, "officer")
    expect(page).to_have_url(f"{page.url.split('/u/')[0]}{figures_url(demo_year)}")
    expect(page.get_by_test_id("draft-restored")).to_have_text(
        "登录已过期，内容未保存，已为您保留。请检查后再点“保存”。"
    )
    expect(page.locator(CELL)).to_have_value("1111.11")
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert").first).to_contain_text("收支与项目数据已保存")
    assert str(SpendingLine.objects.get(unit_year=demo_year, kind="basic").actual) == "1111.11"
    # saved: the draft is gone, a reload shows no notice
    page.reload()
    expect(page.get_by_test_id("draft-restored")).to_have_count(0)


def test_stale_csrf_token_app_page_with_a_way_back_and_the_input_kept(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.goto(figures_url(demo_year))
    page.locator(CELL).fill("2222.22")
    # logging out and in again in another tab rotates the CSRF token
    other = page.context.new_page()
    other.goto("/")
    other.get_by_role("button", name="退出登录").click()
    other.goto("/accounts/login/")
    # Close the tab only once the sign-in has landed: Chromium can drop a close that races a
    # navigation commit, and page.close() then waits forever (microsoft/playwright#42366).
    with other.expect_navigation():
        sign_in(other, "officer")
    expect(other).not_to_have_url(re.compile("/accounts/login/"))
    other.close()
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error-csrf")).to_contain_text("页面已过期，内容未保存")
    expect(page.locator("nav.navbar")).to_be_visible()  # the app's layout, not Django's raw page
    page.get_by_test_id("csrf-back").click()
    expect(page.get_by_test_id("draft-restored")).to_be_visible()
    expect(page.locator(CELL)).to_have_value("2222.22")
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert").first).to_contain_text("收支与项目数据已保存")
    assert str(SpendingLine.objects.get(unit_year=demo_year, kind="basic").actual) == "2222.22"


def test_leaving_by_another_tab_warns_before_losing_changes(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.goto(figures_url(demo_year))
    page.locator(CELL).fill("3333.33")
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="修改记录").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/figures/" in page.url
    expect(page.locator(CELL)).to_have_value("3333.33")
