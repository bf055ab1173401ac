"""The leadership page's table rows, written in Python.

Through the template language a row cost four ``{% url %}`` (about 20 µs each) and a dozen
lookups and filters; here it is one string over values already read (each escaped), each URL name
reversed once per page (``perfeval.urlfill``). Values are escaped as the template escaped them,
the markup is the template's (``reports/tests/test_rows.py`` renders both and compares them)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

from departments.models import YearStatus
from perfeval import formatting
from perfeval.urlfill import url_filler
from perfeval.widgets import escape

from .prose import score_text
from .selectors import SummaryRow

STATUS_LABELS = dict(YearStatus.choices)  # get_status_display() rebuilds this dict on every call


def leadership_rows_html(rows: Iterable[SummaryRow]) -> SafeString:
    """The ``<tr>`` of each row of the leadership page."""
    report, pdf, docx, xlsx = (
        url_filler(name, "slug", "int")
        for name in ("reports:report", "reports:report_pdf", "reports:report_docx", "reports:report_xlsx")
    )

    def row_html(row: SummaryRow) -> str:
        uy = row.unit_year
        code, year = uy.unit.code, uy.year
        total = formatting.DASH if row.total is None else score_text(row.total)
        rate = formatting.percent_or(row.execution_rate, formatting.DASH)
        return (
            "    <tr>\n"
            f'      <td><a href="{escape(report(code, year))}">{escape(uy.unit.name)}</a></td>\n'
            f"      <td>{escape(year)}年度</td>\n"
            f'      <td><span class="badge status-{escape(uy.status)}">'
            f"{escape(STATUS_LABELS.get(uy.status, uy.status))}</span></td>\n"
            f'      <td class="num">{escape(total)}</td>\n'
            f"      <td>{escape(row.grade or formatting.DASH)}</td>\n"
            f'      <td class="num">{escape(rate)}</td>\n'
            '      <td class="text-nowrap">\n'
            f'        <a class="btn btn-sm btn-primary" href="{escape(pdf(code, year))}">PDF</a>\n'
            f'        <a class="btn btn-sm btn-outline-primary" href="{escape(docx(code, year))}">Word</a>\n'
            f'        <a class="btn btn-sm btn-outline-primary" href="{escape(xlsx(code, year))}">Excel</a>\n'
            "      </td>\n"
            "    </tr>"
        )

    # Every value above was escaped; the rest is this function's own markup.
    return mark_safe("\n".join(row_html(row) for row in rows))  # noqa: S308
