"""The overview's column headers (its rows are written by ``overview.rows``)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def sort_link_value(current: str, key: str) -> str:
    """The ``sort`` a column header links to: ascending first, then descending."""
    return f"-{key}" if current == key else key
