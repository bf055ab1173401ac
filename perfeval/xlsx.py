"""Helpers shared by every Excel export and import (openpyxl).

Text written into a cell must never become a formula when the file is opened: a leading
``=``, ``+``, ``-`` or ``@`` (and tab / carriage return, which some spreadsheet programs strip
before evaluating) is neutralised with a leading apostrophe, as OWASP recommends for CSV/Excel
injection. ``restore_cell_text`` undoes it on import so that export → import changes nothing.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.00"%"'


def safe_cell_text(value: object) -> str | None:
    """Text for a cell that a spreadsheet program will show, never evaluate."""
    if value is None:
        return None
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def restore_cell_text(value: object) -> str:
    """The text ``safe_cell_text`` was given (for imports of our own exports)."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text
