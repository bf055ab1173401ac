"""基本信息 in a real browser: the duty list's rows are added and reordered on the page
(static/js/departments/formset.js), and the order the officer arranged is what is saved."""

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_adds_and_reorders_duties(page, login, demo_year):
    duties = list(demo_year.duties.order_by("order").values_list("text", flat=True))
    assert len(duties) >= 2
    login("officer", DEMO_PASSWORD)
    page.goto(f"/u/{demo_year.unit.code}/{demo_year.year}/profile/")
    rows = page.locator('[data-formset="duties"] tr[data-formset-row]')

    def orders() -> list[str]:
        return rows.locator("input[data-order]").evaluate_all("inputs => inputs.map((i) => i.value)")

    expect(rows).to_have_count(len(duties) + 1)  # and one blank row to fill in

    page.locator('[data-add-row="duties"]').click()
    expect(rows).to_have_count(len(duties) + 2)
    expect(page.locator('input[name="duties-TOTAL_FORMS"]')).to_have_value(str(len(duties) + 2))
    # 序号 follow the rows on the page: 1, 2, 3 …
    assert orders() == [str(n) for n in range(1, len(duties) + 3)]

    rows.nth(len(duties)).locator("textarea").fill("新增职责甲")
    rows.nth(len(duties) + 1).locator("textarea").fill("新增职责乙")
    rows.nth(len(duties) + 1).get_by_role("button", name="上移").click()  # 乙 before 甲
    rows.first.get_by_role("button", name="下移").click()  # the second duty first
    expect(rows.nth(len(duties)).locator("textarea")).to_have_value("新增职责乙")
    expect(rows.nth(1).locator("textarea")).to_have_value(duties[0])
    assert orders() == [str(n) for n in range(1, len(duties) + 3)]

    page.get_by_test_id("save").click()
    expect(page.get_by_text("基本信息已保存。")).to_be_visible()
    saved = list(demo_year.duties.order_by("order").values_list("text", flat=True))
    assert saved == [duties[1], duties[0], *duties[2:], "新增职责乙", "新增职责甲"]
