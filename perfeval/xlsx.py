"""Helpers shared by every Excel export (data-entry workbook, self-evaluation table)."""

from __future__ import annotations

# A cell whose text starts with one of these is read as a formula by Excel/WPS
# ("formula injection"); tab and carriage return can smuggle one in too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.00"%"'


def safe_cell_text(value: object) -> object:
    """Return ``value`` ready for a cell: text that could become a formula is prefixed with an
    apostrophe-like quote so it stays text; numbers, dates and None pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
