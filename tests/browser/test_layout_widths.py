"""The main pages at 1280 and 390 px: the document never scrolls sideways (a wide table scrolls
inside its own box, first column frozen). Screenshots go to $PERFEVAL_SCREENSHOTS when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["", "profile/", "figures/", "texts/", "checks/", "excel/", "indicators/", "flow/", "history/"]


@pytest.mark.parametrize("width", [1280, 390])
def test_main_pages_fit_the_width(page, login, demo_year, width, tmp_path):
    shots = Path(os.environ.get("PERFEVAL_SCREENSHOTS") or tmp_path)
    login("officer", DEMO_PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    base = f"/u/{demo_year.unit.code}/{demo_year.year}/"
    overflowing = []
    for path in ["/", "/help/", *[base + p for p in PAGES]]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if page.evaluate("document.documentElement.scrollWidth") > width:
            overflowing.append(path)
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(shots / f"{width}-{name}.png"), full_page=True)
    assert overflowing == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_finance_bureau_pages_fit_the_width(page, login, demo_year, width, tmp_path):
    """The administrator's pages (the overview, a unit's years, 自评报告 with the batch) with the
    demo's rows: a wide table scrolls in its own box, the document does not."""
    shots = Path(os.environ.get("PERFEVAL_SCREENSHOTS") or tmp_path)
    login("admin", DEMO_PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    overflowing = []
    for path in ["/overview/", f"/overview/{demo_year.unit.code}/", "/reports/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if page.evaluate("document.documentElement.scrollWidth") > width:
            overflowing.append(path)
        name = path.strip("/").replace("/", "_")
        page.screenshot(path=str(shots / f"{width}-admin-{name}.png"), full_page=True)
    assert overflowing == []
