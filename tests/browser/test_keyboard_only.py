"""The whole year without a mouse: the officer enters an amount on 收支与项目 and sends the year
(送审); the leader names the group and starts the evaluation; the evaluator scores every
indicator and confirms the group result; the leader explains the open checks and finalises; the
report is downloaded (PDF and Excel). Only Tab, Shift+Tab, Enter, Space, arrows and typing —
no click(), no fill(). (Every page on the way is checked by axe-core: conftest.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD
from departments.models import YearStatus

from .test_scoring_flow import QUALITATIVE, QUANTITATIVE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focus(page, target, limit: int = 600) -> None:
    """Press Tab until ``target`` has the focus (as a keyboard user moves through the page)."""
    target.wait_for()
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("el => document.activeElement === el", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reaches {target}")


def focus_is_visible(page) -> bool:
    """The focused element shows a ring (outline or box-shadow)."""
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'; }"""
    )


def follow(page, link) -> None:
    focus(page, link)
    assert focus_is_visible(page), "the focused link shows no focus ring"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")


def type_into(page, field, text: str) -> None:
    focus(page, field)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def choose(page, select, label: str) -> None:
    """Pick an option of a focused select with the arrow keys."""
    focus(page, select)
    labels = select.evaluate("s => Array.from(s.options).map(o => o.text.trim())")
    target = next(i for i, text in enumerate(labels) if text == label or text.startswith(label))
    for _ in range(len(labels) + 1):
        current = select.evaluate("s => s.selectedIndex")
        if current == target:
            return
        page.keyboard.press("ArrowDown" if current < target else "ArrowUp")
    raise AssertionError(f"the arrows never reach {label!r}")


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    type_into(page, page.get_by_label("用户名"), username)
    type_into(page, page.get_by_label("密码"), DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_out(page) -> None:
    focus(page, page.get_by_role("button", name="退出登录"))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_year_by_keyboard(page, demo_year):
    uy = demo_year
    tab = page.get_by_test_id("year-nav")
    page.on("dialog", lambda d: d.accept())  # a confirm() is answered with Enter too

    # The officer: 收支与项目, one amount changed with the keyboard, saved with Enter on 保存.
    sign_in(page, "officer")
    # The skip link is the first stop and takes the focus into the page's content.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("跳到主要内容")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("id", "main")
    follow(page, page.get_by_role("link", name=uy.unit.name).first)
    follow(page, tab.get_by_role("link", name="收支与项目"))
    cell = page.get_by_label("财政拨款 · 全年执行数（万元）", exact=True)
    type_into(page, cell, "700.51")
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")  # the grid moves down a row; Enter never submits
    expect(page.locator(":focus")).not_to_have_attribute("name", cell.get_attribute("name"))
    focus(page, page.get_by_test_id("save"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_label("财政拨款 · 全年执行数（万元）", exact=True)).to_have_value("700.51")

    # 绩效指标: the default weights (a 须修改 until the weights add up), then 送审, acknowledging
    # the warnings with Space.
    follow(page, tab.get_by_role("link", name="绩效指标"))
    focus(page, page.get_by_test_id("default-weights"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    follow(page, tab.get_by_role("link", name="流程"))
    ack = page.get_by_test_id("submit-form").get_by_role("checkbox")
    if ack.count():
        focus(page, ack)
        page.keyboard.press("Space")
        expect(ack).to_be_checked()
    focus(page, page.get_by_role("button", name="送审", exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("year-status")).to_have_text("已送审")
    sign_out(page)

    # The leader names the evaluation group (checkboxes with Space) and starts the evaluation.
    sign_in(page, "leader")
    follow(page, page.get_by_role("link", name=uy.unit.name).first)
    follow(page, tab.get_by_role("link", name="评价小组"))
    form = page.get_by_test_id("group-form")
    member = form.get_by_role("checkbox", name="演示评价小组成员")
    focus(page, member)
    page.keyboard.press("Space")
    choose(page, form.get_by_label("组长"), "演示评价小组成员")
    focus(page, form.get_by_role("button", name="保存评价小组"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("group-current")).to_contain_text("演示评价小组成员")
    follow(page, tab.get_by_role("link", name="流程"))
    focus(page, page.get_by_role("button", name="开始评价"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("year-status")).to_have_text("评价中")
    sign_out(page)

    # The evaluator scores every indicator, row by row, and confirms the group's result.
    sign_in(page, "evaluator")
    follow(page, page.get_by_role("link", name=uy.unit.name).first)
    follow(page, tab.get_by_role("link", name="评分", exact=True))
    for name, actual in QUANTITATIVE.items():
        r = page.locator(f"tr[data-testid='score-row'][data-name='{name}']")
        if name == "人大资讯":
            type_into(page, r.locator("textarea[name$='-deviation_reason']"), "宣传稿件较计划减少，明年加强信息报送")
        type_into(page, r.locator("input[name$='-actual']"), actual)
        focus(page, r.get_by_role("button", name="保存"))
        page.keyboard.press("Enter")
        expect(r.get_by_test_id("row-status")).to_contain_text("已保存")
    for name, (actual, band, score) in QUALITATIVE.items():
        r = page.locator(f"tr[data-testid='score-row'][data-name='{name}']")
        type_into(page, r.locator("input[name$='-actual']"), actual)
        choose(page, r.locator("select[name$='-band']"), band)
        type_into(page, r.locator("input[name$='-score']"), score)
        focus(page, r.get_by_role("button", name="保存"))
        page.keyboard.press("Space")
        expect(r.get_by_test_id("row-status")).to_contain_text(f"已保存 {float(score):.2f} 分")
    expect(page.get_by_test_id("my-total")).to_have_text("98.14")
    follow(page, tab.get_by_role("link", name="评分结果"))
    focus(page, page.get_by_test_id("confirm-result"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("confirmed-total")).to_contain_text("98.14 优")
    sign_out(page)

    # The leader explains each open check and finalises.
    sign_in(page, "leader")
    follow(page, page.get_by_role("link", name=uy.unit.name).first)
    follow(page, tab.get_by_role("link", name="流程"))
    findings = page.get_by_test_id("check-findings")
    open_items = findings.locator("li", has=page.locator("textarea:empty"))
    for _ in range(5):
        if not open_items.count():
            break
        item = open_items.first
        type_into(page, item.locator("textarea"), "按已公开报告原样填列，口径待核实。")
        focus(page, item.get_by_role("button", name="保存说明"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
    expect(page.get_by_test_id("finalise-checks")).to_contain_text("均已说明")
    focus(page, page.get_by_role("button", name="定稿", exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("year-status")).to_have_text("已定稿")
    uy.refresh_from_db()
    assert uy.status == YearStatus.FINALISED

    # The report, downloaded with Enter on its links.
    follow(page, page.get_by_role("link", name="自评报告").first)
    row = page.locator("tr", has=page.get_by_role("link", name=uy.unit.name)).first
    for name, suffix in (("PDF", ".pdf"), ("Excel", ".xlsx")):
        focus(page, row.get_by_role("link", name=name, exact=True))
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        assert info.value.suggested_filename.endswith(suffix)
