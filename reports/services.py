"""Producing the report: HTML, PDF (WeasyPrint, cached by content), Word (python-docx) and the
Excel tables.

Pass a unit-year fetched with ``reports.data.report_queryset()`` to keep the query count fixed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from departments.models import UnitYear
from perfeval.xlsx import XLSX_CONTENT_TYPE

from . import excel, pdf, word
from .data import ReportData, report_data
from .outline import report_outline
from .prose import report_prose

PDF_CACHE_PREFIX = "reports:pdf:"
DEFAULT_PDF_CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class RenderedFile:
    content: bytes
    filename: str
    content_type: str


def report_context(*, unit_year: UnitYear) -> dict:
    data = report_data(unit_year)
    prose = report_prose(data)
    return {"r": data, "p": prose, "o": report_outline(data, prose)}


def report_render_html(*, unit_year: UnitYear, inline_css: bool = False) -> str:
    """The standalone report document. ``inline_css`` embeds the print stylesheet (for a
    self-contained .html file); the PDF renderer gets the stylesheet pre-parsed instead."""
    context = report_context(unit_year=unit_year)
    if inline_css:
        context["inline_css"] = pdf.print_css_text()
    return render_to_string("reports/report_document.html", context)


def pdf_cache_key(html: str) -> str:
    """Keyed by the rendered HTML (every figure, text and score the PDF shows) and the engine
    version (stylesheet, WeasyPrint): any change gives a new key."""
    digest = hashlib.sha256(html.encode("utf-8"))
    digest.update(pdf.engine_version().encode())
    return PDF_CACHE_PREFIX + digest.hexdigest()


def report_render_pdf(*, unit_year: UnitYear, use_cache: bool = True) -> bytes:
    """The report as PDF. An unchanged report is served from the cache without rendering."""
    html = report_render_html(unit_year=unit_year)
    key = pdf_cache_key(html)
    if use_cache:
        cached = cache.get(key)
        if isinstance(cached, bytes):
            return cached
    content = pdf.html_to_pdf(html)
    if use_cache:
        cache.set(key, content, getattr(settings, "REPORT_PDF_CACHE_SECONDS", DEFAULT_PDF_CACHE_SECONDS))
    return content


def report_render_xlsx(*, unit_year: UnitYear) -> bytes:
    """The self-evaluation table and the full indicator table as one workbook."""
    return excel.workbook_bytes(report_data(unit_year))


def report_render_docx(*, unit_year: UnitYear) -> bytes:
    """The report as an editable Word file, from the same outline as the PDF."""
    return word.report_docx(report_context(unit_year=unit_year)["o"])


def report_filename(*, unit_year: UnitYear, kind: str) -> str:
    base = f"{unit_year.unit.name}{unit_year.year}年度"
    if kind == "xlsx":
        return f"{base}部门整体支出绩效自评表.xlsx"
    return f"{base}部门整体支出绩效自评报告.{kind}"


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": XLSX_CONTENT_TYPE,
    "docx": word.DOCX_CONTENT_TYPE,
    "html": "text/html; charset=utf-8",
}


def report_render(*, unit_year: UnitYear, fmt: str) -> RenderedFile:
    """One of html / pdf / docx / xlsx, with its file name and content type."""
    if fmt == "pdf":
        content = report_render_pdf(unit_year=unit_year)
    elif fmt == "xlsx":
        content = report_render_xlsx(unit_year=unit_year)
    elif fmt == "docx":
        content = report_render_docx(unit_year=unit_year)
    elif fmt == "html":
        content = report_render_html(unit_year=unit_year, inline_css=True).encode("utf-8")
    else:
        raise ValueError(f"不支持的格式：{fmt}")
    return RenderedFile(
        content=content, filename=report_filename(unit_year=unit_year, kind=fmt), content_type=CONTENT_TYPES[fmt]
    )


__all__ = [
    "ReportData",
    "RenderedFile",
    "pdf_cache_key",
    "report_context",
    "report_filename",
    "report_render",
    "report_render_docx",
    "report_render_html",
    "report_render_pdf",
    "report_render_xlsx",
]
