"""The overview's cells as the page shows them (the Excel file holds the same values as numbers).
Formatting is ``perfeval.formatting``'s, like every other page."""

from __future__ import annotations

from django import template

from perfeval import formatting

register = template.Library()


@register.filter
def cell(item) -> str:
    """A ``overview.selectors.Cell``: money and scores with two decimals, percentages with "%",
    nothing as "—"."""
    value, kind = item.value, item.kind
    if value is None or value == "":
        return formatting.DASH
    if kind == "money":
        return formatting.money_or(value, formatting.DASH)
    if kind == "score":
        return formatting.score_or(value, formatting.DASH)
    if kind == "percent":
        return formatting.percent_or(value, formatting.DASH)
    return str(value)


@register.simple_tag
def sort_link_value(current: str, key: str) -> str:
    """The ``sort`` a column header links to: ascending first, then descending."""
    return f"-{key}" if current == key else key
