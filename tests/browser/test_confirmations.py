"""Irreversible actions ask once, naming what will happen (创建下一年度; 定稿 is in
test_scoring_flow)."""

from __future__ import annotations

import pytest

from demo.data import DEMO_PASSWORD
from departments.models import UnitYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_next_year_asks_first(page, login, demo_year):
    login("officer", DEMO_PASSWORD)
    page.goto(f"/u/{demo_year.unit.code}/{demo_year.year}/")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_test_id("create-next-year").click()
    page.wait_for_timeout(300)
    assert "创建2025年度" in asked[0] and "上年数" in asked[0] and "尚未送审" in asked[0]
    assert not UnitYear.objects.filter(unit=demo_year.unit, year=2025).exists()
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id("create-next-year").click()
    page.wait_for_load_state("networkidle")
    assert UnitYear.objects.filter(unit=demo_year.unit, year=2025).exists()
