"""perfeval.urlfill: a URL name reversed once and filled per row gives what reverse() gives."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from perfeval.urlfill import url_filler

YEAR_PAGES = ["flow:year_detail", "flow:next_year", "budgets:figures", "reports:report_pdf", "indicators:scoring"]


@pytest.mark.parametrize("name", YEAR_PAGES)
@pytest.mark.parametrize("code, year", [("U00000", 2024), ("430923-01_a", 1999), ("x", 0)])
def test_filled_urls_are_reverses(name, code, year):
    assert url_filler(name, "slug", "int")(code, year) == reverse(name, args=[code, year])


def test_one_argument_and_the_script_prefix(settings):
    from django.urls import set_script_prefix

    set_script_prefix("/perf/")
    try:
        fill = url_filler("overview:unit", "slug")
        assert fill("U1") == reverse("overview:unit", args=["U1"]) == "/perf/overview/U1/"
    finally:
        set_script_prefix("/")


def test_arguments_the_converters_refuse_are_refused_as_reverse_refuses_them():
    fill = url_filler("flow:year_detail", "slug", "int")
    with pytest.raises(NoReverseMatch):
        fill("单位/1", 2024)
    with pytest.raises(NoReverseMatch):
        fill("U1", "20x4")
