"""Producing the report: HTML, PDF (WeasyPrint, cached by content), Word (python-docx) and the
Excel tables.

Pass a unit-year fetched with ``reports.data.report_queryset()`` to keep the query count fixed.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from departments.models import UnitYear
from perfeval.xlsx import XLSX_CONTENT_TYPE

from . import excel, pdf, word
from .data import ReportData, report_data, report_queryset
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


def report_render_html(*, unit_year: UnitYear, inline_css: bool = False, context: dict | None = None) -> str:
    """The standalone report document. ``inline_css`` embeds the print stylesheet (for a
    self-contained .html file); the PDF renderer gets the stylesheet pre-parsed instead.
    ``context``: the year's ``report_context`` when the caller has it already."""
    context = dict(context) if context is not None else report_context(unit_year=unit_year)
    if inline_css:
        context["inline_css"] = pdf.print_css_text()
    return render_to_string("reports/report_document.html", context)


def pdf_cache_key(html: str) -> str:
    """Keyed by the rendered HTML (every figure, text and score the PDF shows) and the engine
    version (stylesheet, WeasyPrint): any change gives a new key."""
    digest = hashlib.sha256(html.encode("utf-8"))
    digest.update(pdf.engine_version().encode())
    return PDF_CACHE_PREFIX + digest.hexdigest()


def _cache_seconds() -> int:
    return getattr(settings, "REPORT_PDF_CACHE_SECONDS", DEFAULT_PDF_CACHE_SECONDS)


# -- the PDF by the year's version: a settled download is one cache read ----------------------
#
# Finding a PDF by its HTML means assembling and rendering the report's HTML on every download
# (~40 ms at the demo year, seconds at 2,000 projects). So every PDF is also stored under a stamp
# of what it was made from: the year's id and ``version`` (bumped by every version-checked save),
# a token per year that every committed change of anything the report shows replaces
# (``pdf_forget``, called by ``reports.prerender``'s signal handlers — also for the writes that
# do not claim the version: the flow's steps, the admin, scoring records), a global token for
# the rule sets every year may read, and the code version (templates, the report's code, the
# PDF engine). The download reads the tokens first, then the data: a change that commits in
# between gives a newer token, never an old PDF under a new stamp.

PDF_STAMP_PREFIX = "reports:pdf-stamp:"
XLSX_STAMP_PREFIX = "xlsx:"  # before a PDF stamp key: the workbook of the same state
DOCX_STAMP_PREFIX = "docx:"  # before a PDF stamp key: the Word file of the same state
PREVIEW_STAMP_PREFIX = "preview:"  # before a PDF stamp key: the preview's report body
PDF_CHANGE_PREFIX = "reports:pdf-change:"
PDF_RULES_CHANGE = "reports:pdf-change:rules"
# Source of the report besides the data: a deploy that changes any of these changes every stamp.
_CODE_DIRS = ("templates", "reports", "budgets", "indicators", "departments", "perfeval")


@functools.cache
def report_code_version() -> str:
    """A digest of the templates and the code that turn a year into its PDF (once per process)."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256(pdf.engine_version().encode())
    for folder in _CODE_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".html") and "tests" not in path.parts and "migrations" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _token_keys(unit_year_id: int) -> tuple[str, str]:
    return PDF_CHANGE_PREFIX + str(unit_year_id), PDF_RULES_CHANGE


def pdf_tokens(unit_year_id: int) -> tuple[str, str]:
    """The year's and the global token, created when missing (a lost token only costs a render)."""
    keys = _token_keys(unit_year_id)
    found = cache.get_many(keys)
    tokens = []
    for key in keys:
        token = found.get(key)
        if not isinstance(token, str):
            token = uuid.uuid4().hex
            if not cache.add(key, token, None):  # another process made it first: use theirs
                token = cache.get(key) or token
        tokens.append(token)
    return tokens[0], tokens[1]


def pdf_forget(unit_year_ids: Iterable[int] = (), *, everything: bool = False) -> None:
    """Anything these years' reports show has changed: their stamped PDFs (and 自评表
    workbooks) are no longer served
    (``everything``: for all years, e.g. a rule set changed)."""
    keys = [PDF_CHANGE_PREFIX + str(i) for i in unit_year_ids]
    if everything:
        keys.append(PDF_RULES_CHANGE)
    if keys:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def pdf_stamp_key(*, unit_year_id: int, version: int, tokens: tuple[str, str]) -> str:
    stamp = f"{unit_year_id}|{version}|{tokens[0]}|{tokens[1]}|{report_code_version()}"
    return PDF_STAMP_PREFIX + hashlib.sha256(stamp.encode()).hexdigest()


def _made_once(prefix: str, unit_year: UnitYear, make: Callable[[UnitYear], bytes]) -> bytes:
    """A file of the year (``unit_year`` needs only its own columns): read from the cache under
    the year's stamp, as the PDF is, else made from the year as the report reads it and stored
    there."""
    tokens = pdf_tokens(unit_year.pk)  # read before the data, as for the PDF
    key = prefix + pdf_stamp_key(unit_year_id=unit_year.pk, version=unit_year.version, tokens=tokens)
    content = cache.get(key)
    if not isinstance(content, bytes):
        content = make(report_queryset().get(pk=unit_year.pk))
        cache.set(key, content, _cache_seconds())
        from .prerender import forget_again_on_change  # (prerender imports this module)

        forget_again_on_change(unit_year.pk)
    return content


def report_xlsx_for_year(*, unit_year: UnitYear) -> bytes:
    """The 自评表 workbook of the year, made once per state of the year (``_made_once``)."""
    return _made_once(XLSX_STAMP_PREFIX, unit_year, lambda uy: report_render_xlsx(unit_year=uy))


def report_docx_for_year(*, unit_year: UnitYear) -> bytes:
    """The report as a Word file, made once per state of the year (``_made_once``)."""
    return _made_once(DOCX_STAMP_PREFIX, unit_year, lambda uy: report_render_docx(unit_year=uy))


def _preview_key(unit_year: UnitYear, tokens: tuple[str, str]) -> str:
    stamp = pdf_stamp_key(unit_year_id=unit_year.pk, version=unit_year.version, tokens=tokens)
    return f"{PREVIEW_STAMP_PREFIX}{unit_year.status}:{stamp}"


def _preview_render(context: dict) -> str:
    return render_to_string("reports/_report_body.html", {**context, "on_screen": True})


def report_preview_body(*, unit_year: UnitYear) -> SafeString:
    """The report as the preview page shows it inside its frame (``_report_body.html`` on
    screen), for ``unit_year`` with only its own columns and unit: read from the cache under the
    year's stamp (and its status, which sets the 未定稿 mark), as the PDF is, else assembled,
    rendered and stored there. Nothing in it depends on who looks at it — the page's tabs and
    buttons are rendered around it for each user. The text was autoescaped when it was
    rendered; the cache holds only what this function stored."""
    tokens = pdf_tokens(unit_year.pk)  # read before the data, as for the PDF
    key = _preview_key(unit_year, tokens)
    cached = cache.get(key)
    if isinstance(cached, str):
        body = cached
    else:
        body = _preview_render(report_context(unit_year=report_queryset().get(pk=unit_year.pk)))
        cache.set(key, body, _cache_seconds())
        from .prerender import forget_again_on_change  # (prerender imports this module)

        forget_again_on_change(unit_year.pk)
    return mark_safe(body)  # noqa: S308 - rendered with autoescape above, never user input as such


def report_cached_pdf(*, unit_year: UnitYear) -> bytes | None:
    """The year's PDF if it is stored for exactly its current state (no query, no HTML)."""
    tokens = pdf_tokens(unit_year.pk)
    content = cache.get(pdf_stamp_key(unit_year_id=unit_year.pk, version=unit_year.version, tokens=tokens))
    return content if isinstance(content, bytes) else None


def report_pdf_for_year(*, unit_year_id: int, timeout: float | None = None) -> tuple[UnitYear, bytes] | None:
    """The year's PDF, from the stamp cache, else rendered (and stored under its stamp); None
    if the year is gone. The tokens are read before the data (see above)."""
    tokens = pdf_tokens(unit_year_id)
    unit_year = report_queryset().filter(pk=unit_year_id).first()
    if unit_year is None:
        return None
    key = pdf_stamp_key(unit_year_id=unit_year.pk, version=unit_year.version, tokens=tokens)
    content = cache.get(key)
    if not isinstance(content, bytes):
        context = report_context(unit_year=unit_year)
        content = _pdf_of_html(report_render_html(unit_year=unit_year, context=context), timeout=timeout)
        # The preview page shows the same report: stored too (from the same data, under the
        # same stamp), so its first visit after a change is a read as well. Stored first: once
        # the PDF is there, the work is done (a download then has the CPU to itself).
        cache.set(_preview_key(unit_year, tokens), _preview_render(context), _cache_seconds())
        cache.set(key, content, _cache_seconds())
        from .prerender import forget_again_on_change  # (prerender imports this module)

        forget_again_on_change(unit_year.pk)
    return unit_year, content


def report_render_pdf(*, unit_year: UnitYear, use_cache: bool = True, timeout: float | None = None) -> bytes:
    """The report as PDF. An unchanged report is served from the cache without rendering.
    ``timeout``: seconds the render may take (default ``REPORT_PDF_TIMEOUT``)."""
    return _pdf_of_html(report_render_html(unit_year=unit_year), use_cache=use_cache, timeout=timeout)


def _pdf_of_html(html: str, *, use_cache: bool = True, timeout: float | None = None) -> bytes:
    key = pdf_cache_key(html)
    if use_cache:
        cached = cache.get(key)
        if isinstance(cached, bytes):
            return cached
    content = pdf.html_to_pdf(html) if timeout is None else pdf.html_to_pdf(html, timeout=timeout)
    if use_cache:
        cache.set(key, content, _cache_seconds())
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
    "pdf_forget",
    "report_cached_pdf",
    "report_pdf_for_year",
    "report_preview_body",
    "report_xlsx_for_year",
    "report_docx_for_year",
    "report_context",
    "report_filename",
    "report_render",
    "report_render_docx",
    "report_render_html",
    "report_render_pdf",
    "report_render_xlsx",
]
