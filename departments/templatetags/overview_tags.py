"""Formatting of the overview's cells (the Excel file holds the same values as numbers)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()

EMPTY = "—"


@register.filter
def cell(item) -> str:
    """A ``departments.overview.Cell`` as the page shows it: money and scores with two
    decimals (money with thousands separators), percentages with "%", nothing as "—"."""
    value, kind = item.value, item.kind
    if value is None or value == "":
        return EMPTY
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    if kind == "score":
        return f"{Decimal(value):.2f}"
    if kind == "percent":
        return f"{Decimal(value):.2f}%"
    return str(value)


@register.filter
def amount(value) -> str:
    """万元 with two decimals and thousands separators, "—" when not stated."""
    return EMPTY if value is None else f"{Decimal(value):,.2f}"


@register.filter
def pct(value) -> str:
    return EMPTY if value is None else f"{Decimal(value):.2f}%"


@register.simple_tag
def sort_link_value(current: str, key: str) -> str:
    """The ``sort`` a column header links to: ascending first, then descending."""
    return f"-{key}" if current == key else key
