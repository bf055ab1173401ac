"""The leadership page's table rows, written in Python.

Through the template language a row cost four ``{% url %}`` (about 20 µs each) and a dozen
lookups and filters; here it is one ``format_html`` over values already read, each URL name
reversed once per page (``perfeval.urlfill``). Values are escaped as the template escaped them,
the markup is the template's (``reports/tests/test_rows.py`` renders both and compares them)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from departments.models import YearStatus
from perfeval import formatting
from perfeval.urlfill import url_filler

from .prose import score_text
from .selectors import SummaryRow

STATUS_LABELS = dict(YearStatus.choices)  # get_status_display() rebuilds this dict on every call


def leadership_rows_html(rows: Iterable[SummaryRow]) -> SafeString:
    """The ``<tr>`` of each row of the leadership page."""
    report, pdf, docx, xlsx = (
        url_filler(name, "slug", "int")
        for name in ("reports:report", "reports:report_pdf", "reports:report_docx", "reports:report_xlsx")
    )

    def row_html(row: SummaryRow) -> SafeString:
        uy = row.unit_year
        code, year = uy.unit.code, uy.year
        return format_html(
            "    <tr>\n"
            '      <td><a href="{}">{}</a></td>\n'
            "      <td>{}年度</td>\n"
            '      <td><span class="badge status-{}">{}</span></td>\n'
            '      <td class="num">{}</td>\n'
            "      <td>{}</td>\n"
            '      <td class="num">{}</td>\n'
            '      <td class="text-nowrap">\n'
            '        <a class="btn btn-sm btn-primary" href="{}">PDF</a>\n'
            '        <a class="btn btn-sm btn-outline-primary" href="{}">Word</a>\n'
            '        <a class="btn btn-sm btn-outline-primary" href="{}">Excel</a>\n'
            "      </td>\n"
            "    </tr>",
            report(code, year),
            uy.unit.name,
            year,
            uy.status,
            STATUS_LABELS.get(uy.status, uy.status),
            formatting.DASH if row.total is None else score_text(row.total),
            row.grade or formatting.DASH,
            formatting.percent_or(row.execution_rate, formatting.DASH),
            pdf(code, year),
            docx(code, year),
            xlsx(code, year),
        )

    return format_html_join("\n", "{}", ((row_html(row),) for row in rows))
