"""Tabs per role (issue 11, "Done when"): each person sees only the tabs of a unit-year they can
use — every tab shown opens its page (no 403), and the 评分 tab is the evaluation group's: the
finance officer, a leader outside the group and the administrator never see it (their 评分
page answers 403)."""

from __future__ import annotations

import pytest

from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVERYONE = [
    "概况",
    "基本信息",
    "收支与项目",
    "文字说明",
    "数据校验",
    "Excel 导入导出",
    "绩效目标",
    "绩效指标",
    "评价小组",
]
AFTER = ["评分结果", "流程", "自评报告", "修改记录"]


def tabs_of(page, login, username: str, unit_year) -> list[tuple[str, str]]:
    login(username, DEMO_PASSWORD)
    page.goto(f"/u/{unit_year.unit.code}/{unit_year.year}/")
    links = page.get_by_test_id("year-nav").get_by_role("link")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def opens(page, href: str) -> int:
    return page.request.get(href, max_redirects=0).status


@pytest.mark.parametrize(
    ("username", "scoring"),
    [("officer", False), ("evaluator", True), ("leader", False), ("admin", False)],
)
def test_each_role_sees_the_tabs_it_can_use(page, login, finalised_demo_year, username, scoring):
    """The finished demo: the evaluator is the group (and its lead); the leader named it."""
    tabs = tabs_of(page, login, username, finalised_demo_year)
    names = [name for name, _ in tabs]
    assert names == EVERYONE + (["评分"] if scoring else []) + AFTER
    refused = {name: status for name, href in tabs if (status := opens(page, href)) != 200}
    assert refused == {}
    if not scoring:  # the page the tab would open is indeed refused
        assert opens(page, f"/u/{finalised_demo_year.unit.code}/2024/scoring/") == 403


def test_no_scoring_tab_before_a_group_is_named(page, login, demo_year):
    """The draft demo: nobody sits on a group yet, so the evaluator has no 评分 tab either."""
    for username in ("officer", "evaluator", "leader"):
        names = [name for name, _ in tabs_of(page, login, username, demo_year)]
        assert names == EVERYONE + AFTER, username
        page.context.clear_cookies()
