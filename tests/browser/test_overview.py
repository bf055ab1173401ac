"""An administrator filters the overview, sorts it, opens a unit's page and sees its charts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from overview.tests.builders import build_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _column(page, index: int) -> list[str]:
    return page.locator(f"[data-testid=overview-row] td:nth-child({index})").all_inner_texts()


def test_admin_filters_sorts_and_opens_a_unit(page, login, admin_user):
    build_units(8, years=(2022, 2023, 2024))
    login("admin_x")
    page.get_by_test_id("nav-overview").click()
    expect(page.get_by_test_id("overview-count")).to_contain_text("共 24 个单位年度")

    page.get_by_label("所属地区").select_option("西区")
    page.get_by_label("年度").select_option("2024")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("overview-count")).to_contain_text("共 4 个单位年度")
    assert set(_column(page, 3)) == {"西区"} and set(_column(page, 5)) == {"2024"}

    page.get_by_role("link", name="预算执行率").click()  # ascending
    page.get_by_role("link", name="预算执行率 ▲").click()  # descending
    expect(page.get_by_role("link", name="预算执行率 ▼")).to_be_visible()
    rates = [Decimal(t.rstrip("%")) for t in _column(page, 9)]
    assert rates == sorted(rates, reverse=True) and len(rates) == 4
    assert set(_column(page, 3)) == {"西区"}  # the filter survives the sort

    first_unit = _column(page, 2)[0]
    page.get_by_test_id("unit-link").first.click()
    expect(page.locator("h1")).to_contain_text(first_unit)
    expect(page.get_by_test_id("unit-years")).to_contain_text("2022年度")
    expect(page.get_by_test_id("unit-years")).to_contain_text("2024年度")
    charts = page.locator("[data-testid=unit-charts] img")
    expect(charts).to_have_count(3)
    page.wait_for_load_state("networkidle")
    for i in range(3):
        # Loaded and drawn: an SVG that failed (or was blocked) has no natural size.
        assert charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), i
