"""Issue 15 item 7: a form or upload above the server's body limit is stopped in the page before
it is sent, with a Chinese message, and what the user typed stays in the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_a_text_over_the_limit_is_not_sent_and_stays_on_the_page(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.goto(f"/u/{demo_year.unit.code}/{demo_year.year}/profile/")
    url = page.url
    summary = page.locator('textarea[name="function_summary"]')
    # 2.5 M Chinese characters: 7.5 MB as UTF-8, over the 6 MB the server takes in form fields.
    page.evaluate("(el) => { el.value = '职能'.repeat(1250000); }", summary.element_handle())
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)
    page.get_by_role("button", name="保存").first.click()
    guard = page.get_by_test_id("size-guard")
    expect(guard).to_contain_text("超过系统一次可接收的")
    expect(guard).to_contain_text("您填写的内容仍保留在页面上")
    assert page.url == url and requests == []
    assert summary.evaluate("(el) => el.value.length") == 2_500_000


def test_an_upload_over_the_limit_is_not_sent(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.goto(f"/u/{demo_year.unit.code}/{demo_year.year}/excel/")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)
    big = {"name": "数据.xlsx", "mimeType": "application/octet-stream", "buffer": b"\0" * (8 * 1024 * 1024)}
    page.locator('input[type="file"]').set_input_files(big)
    page.get_by_role("button", name="上传并预览改动").click()
    expect(page.get_by_test_id("size-guard")).to_contain_text("未发送")
    assert requests == []


def test_a_normal_form_is_still_sent(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.goto(f"/u/{demo_year.unit.code}/{demo_year.year}/profile/")
    page.locator('textarea[name="function_summary"]').fill("负责本县财政预算管理。")
    page.get_by_role("button", name="保存").first.click()
    expect(page.get_by_test_id("size-guard")).to_have_count(0)
    expect(page.locator(".alert-success")).to_be_visible()
