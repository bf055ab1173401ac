"""Every page of the app, for every role, passes axe-core (WCAG 2.0/2.1 A and AA): the page
fixture checks each page the browser loads (conftest.py). This walk visits the pages the other
browser tests do not reach — for each demo account, in a year being drafted and a finalised one —
and holds the landmarks and the skip link every page must have."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR_PAGES = [
    "",
    "profile/",
    "figures/",
    "texts/",
    "checks/",
    "excel/",
    "goals/",
    "indicators/",
    "group/",
    "scoring/",
    "scoring/result/",
    "flow/",
    "report/",
    "history/",
]
HEADING_LEVELS = "Array.from(document.querySelectorAll('main :is(h1, h2, h3, h4, h5, h6)')).map(h => +h.tagName[1])"
SITE_PAGES = ["/", "/help/", "/reports/", "/accounts/password/", "/indicators/library/", "/no-such-page/"]


def walk(page, username: str, year) -> list[str]:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    base = f"/u/{year.unit.code}/{year.year}/"
    seen = []
    for path in [*SITE_PAGES, *[base + p for p in YEAR_PAGES]]:
        response = page.goto(path)
        seen.append(f"{path} {response.status}")
        # Landmarks: one banner with the navigation, one main; the skip link leads to main.
        expect(page.locator("header nav")).to_have_count(1)
        expect(page.locator("main#main")).to_have_count(1)
        expect(page.locator("a.skip-link")).to_have_attribute("href", "#main")
        # Headings in order: the first is an h1, and no level is skipped going down.
        levels = page.evaluate(HEADING_LEVELS)
        if levels:
            assert levels[0] == 1, (path, levels)
            assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)
    page.get_by_role("button", name="退出登录").click()
    return seen


@pytest.mark.parametrize("username", ["officer", "evaluator", "leader", "admin"])
def test_every_page_for_every_role_in_a_draft_year(page, demo_year, username):
    seen = walk(page, username, demo_year)
    assert f"/u/{demo_year.unit.code}/{demo_year.year}/figures/ 200" in seen


@pytest.mark.parametrize("username", ["officer", "admin"])
def test_every_page_of_a_finalised_year(page, finalised_demo_year, username):
    walk(page, username, finalised_demo_year)
    if username == "admin":
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill("admin")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.goto("/overview/")
        expect(page.get_by_test_id("current-user")).to_be_visible()
