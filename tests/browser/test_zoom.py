"""200% zoom and 大字号 (适老化): the main pages at 640 CSS px with a device scale of 2 (what a
1280 px window shows at 200%), and with the user's larger text on, lose no content or function —
the document never scrolls sideways and the navbar's links stay on screen. Screenshots go to
$PERFEVAL_SCREENSHOTS when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["", "profile/", "figures/", "texts/", "checks/", "indicators/", "flow/", "report/"]

OFF_SCREEN = """() => Array.from(document.querySelectorAll('header a, header button'))
  .filter((el) => { const r = el.getBoundingClientRect();
    return r.width === 0 || r.left < 0 || r.right > document.documentElement.clientWidth; })
  .map((el) => el.textContent.trim())"""


def test_200_percent_zoom_and_large_text_keep_every_page_usable(browser, live_server, demo_year, tmp_path):
    shots = Path(os.environ.get("PERFEVAL_SCREENSHOTS") or tmp_path)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 640, "height": 450}, device_scale_factor=2
    )
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill("officer")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        # The user turns on 大字号; it is on for every page from now on.
        toggle = page.get_by_test_id("text-size")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        toggle.click()
        expect(page.get_by_test_id("text-size")).to_have_attribute("aria-pressed", "true")
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == normal * 1.25

        base = f"/u/{demo_year.unit.code}/{demo_year.year}/"
        problems = []
        for path in ["/", "/help/", *[base + p for p in PAGES]]:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.classList.contains('text-large')"), path
            if page.evaluate("document.documentElement.scrollWidth") > 640:
                problems.append(f"{path}: scrolls sideways")
            hidden = page.evaluate(OFF_SCREEN)
            if hidden:
                problems.append(f"{path}: off screen {hidden}")
            assert_accessible(page)  # large text keeps its contrast too
            name = path.strip("/").replace("/", "_") or "home"
            page.screenshot(path=str(shots / f"zoom200-{name}.png"), full_page=True)
        assert problems == [], problems
    finally:
        context.close()
