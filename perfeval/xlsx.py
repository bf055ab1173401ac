"""Helpers shared by every Excel export and import (openpyxl).

Text written into a cell must never become a formula when the file is opened: a leading
``=``, ``+``, ``-`` or ``@`` (and tab / carriage return, which some spreadsheet programs strip
before evaluating) is neutralised with a leading apostrophe, as OWASP recommends for CSV/Excel
injection. ``restore_cell_text`` undoes it on import so that export → import changes nothing.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.00"%"'


def safe_cell_text(value: object) -> object:
    """Return ``value`` ready for a cell: text that could become a formula gets a leading
    apostrophe so it stays text; numbers, dates and None pass through unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore_cell_text(value: object) -> str:
    """The text ``safe_cell_text`` was given (for imports of our own exports)."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text
