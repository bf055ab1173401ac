"""The overview's table rows, written in Python.

Through the template language each of a page's 50 × 14 cells cost a loop step, an
``{% if %}`` chain on the column and the ``cell`` filter, and each row a ``{% url %}``; here a
cell is a string format and a row one join, each value escaped as the template escaped it
(``overview/tests/test_rows.py`` renders both and compares them). The cells are those of
``overview.selectors.COLUMNS``, as the Excel export writes them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from perfeval import formatting
from perfeval.urlfill import url_filler
from perfeval.widgets import escape

from .selectors import COLUMNS

_FORMAT = {"money": formatting.money_or, "score": formatting.score_or, "percent": formatting.percent_or}


def cell_text(value: object, kind: str) -> str:
    """What a cell shows: money and scores with two decimals, percentages with "%", nothing
    as "—"."""
    if value is None or value == "":
        return formatting.DASH
    if kind in _FORMAT:
        return _FORMAT[kind](value, formatting.DASH)  # type: ignore[operator]
    return str(value)


def overview_rows_html(summaries: Iterable[Any]) -> SafeString:
    """The ``<tr>`` of each shown summary (a ``YearSummary`` or a row of ``summary_rows``), its
    cells in ``COLUMNS`` order."""
    unit_url = url_filler("overview:unit", "slug")
    rows = []
    for summary in summaries:
        cells = []
        for column in COLUMNS:
            # Django's escape without its lazy-string wrapper, the latest texts cached (grades,
            # statuses and dashes recur on every row).
            text = escape(cell_text(column.value(summary), column.kind))
            if column.key == "name":
                href = escape(unit_url(summary.unit_year.unit.code))
                cells.append(f'<td><a href="{href}" data-testid="unit-link">{text}</a></td>')
            elif column.key == "status":
                cells.append(f'<td><span class="badge status-{escape(summary.status)}">{text}</span></td>')
            elif column.kind != "text":
                cells.append(f'<td class="num">{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        rows.append('    <tr data-testid="overview-row">\n      ' + "".join(cells) + "\n    </tr>")
    # Every value above was escaped; the rest is this function's own markup.
    return mark_safe("\n".join(rows))  # noqa: S308
