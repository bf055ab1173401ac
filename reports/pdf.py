"""HTML → PDF with WeasyPrint, in the app's process, safely and fast.

* Safety: the renderer may read only the app's own static files (``StaticOnlyURLFetcher``: no
  network, no ``file://`` outside the static directories, no redirects, no ``data:``), and a
  render is stopped after ``settings.REPORT_PDF_TIMEOUT`` seconds.
* Speed: the print stylesheet and the font configuration are parsed once per process and reused
  by every render (``PdfEngine``); renders run one at a time on a dedicated worker thread, which
  also bounds the CPU a burst of downloads can take.
* Typography WeasyPrint 70 lacks, supplied here for the PDF only: CJK lines justified between
  characters (``text-justify: inter-character``, what Word/WPS and browsers do; WeasyPrint
  stretches only spaces, and Chinese has none), short table labels kept on one line (it has
  no ``word-break: keep-all``), and merged table labels (rowspan) printed again beside their rows
  on the page after a break (``repeat_merged_labels``, on the laid-out pages before writing).
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import mimetypes
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes as wp_boxes
from weasyprint.layout import inline as wp_inline
from weasyprint.text.fonts import FontConfiguration
from weasyprint.text.line_break import create_layout, line_size
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import fonts

logger = logging.getLogger(__name__)

PRINT_CSS = "css/reports/report-print.css"
DEFAULT_TIMEOUT = 60


class ReportRenderTimeout(Exception):
    """The render took longer than allowed and was stopped."""


class _RenderAborted(BaseException):
    """Raised inside the worker thread to stop a render (BaseException: WeasyPrint catches
    ``Exception`` around resource loading, and must not swallow this)."""


def static_roots() -> list[Path]:
    """The directories the static-file finders serve from (project static dirs, app static
    dirs, and STATIC_ROOT when collected)."""
    roots: list[Path] = []
    for finder in finders.get_finders():
        for _prefix, root in getattr(finder, "locations", []):
            roots.append(Path(root).resolve())
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return [root for root in dict.fromkeys(roots) if root.is_dir()]


def _static_url_prefix() -> str:
    return "/" + settings.STATIC_URL.strip("/") + "/"


class StaticOnlyURLFetcher(URLFetcher):
    """WeasyPrint 70 URL fetcher that serves only files inside the static directories.

    ``file:///…/static/css/x.css`` (a path inside a static root) and ``file:///static/css/x.css``
    (the app's STATIC_URL, resolved through the static-file finders) are served; everything else
    — http(s), ftp, data:, javascript:, file:// elsewhere, ``..`` escapes, symlinks out — is
    refused. Nothing is ever opened through urllib, so there are no redirects to follow.
    """

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self._roots = static_roots()

    def _resolve(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        raw = unquote(parts.path)
        candidates = [Path(raw)]
        prefix = _static_url_prefix()
        if raw.startswith(prefix):
            try:
                found = finders.find(raw[len(prefix) :])
            except SuspiciousFileOperation:
                found = None
            if isinstance(found, str):
                candidates.append(Path(found))
        for candidate in candidates:
            try:
                path = candidate.resolve(strict=True)
            except (OSError, RuntimeError):
                continue
            if path.is_file() and any(path.is_relative_to(root) for root in self._roots):
                return path
        return None

    def fetch(self, url, headers=None):
        if url.startswith(fonts.URL_SCHEME):  # the pre-subset report fonts, built in memory
            content = fonts.report_fonts().get(url[len(fonts.URL_SCHEME) :])
            if content is not None:
                return URLFetcherResponse(url, body=content, headers={"Content-Type": "font/otf"})
        path = self._resolve(url)
        if path is None:
            logger.warning("Report renderer refused to fetch %s", url[:200])
            raise ValueError("报告只能引用本系统的静态文件。")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})


# -- CJK typography ------------------------------------------------------------------------------

# Han characters, CJK and full-width punctuation: a line holding any of them is justified between
# characters. Lines without them (Latin text) keep WeasyPrint's justification on spaces.
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_wp_justify_line = wp_inline.justify_line


def _text_boxes(box):
    if isinstance(box, wp_boxes.TextBox):
        yield box
    elif isinstance(box, (wp_boxes.LineBox, wp_boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _letter_space(context, box, spacing: float, x_advance: float) -> float:
    """Add ``spacing`` after every character of the text boxes in ``box``, moving what follows
    (the inter-character counterpart of WeasyPrint's ``add_word_spacing``)."""
    if isinstance(box, wp_boxes.TextBox):
        box.position_x += x_advance
        if box.text:
            style = box.style.copy()  # text boxes of one element share a style: change only this one
            base = style["letter_spacing"]
            style["letter_spacing"] = (0 if base == "normal" else base) + spacing
            layout = create_layout(box.text, style, context, None, box.justification_spacing)
            width = line_size(layout.get_first_line()[0], style)[0]
            layout.deactivate()
            x_advance += width - box.width
            box.style, box.pango_layout, box.width = style, layout, width
    elif isinstance(box, (wp_boxes.LineBox, wp_boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _letter_space(context, child, spacing, x_advance)
        box.width += x_advance - before
    else:  # an atomic inline (image, inline-block) only moves
        box.translate(x_advance, 0)
    return x_advance


def justify_line(context, line, extra_width: float) -> None:
    """``text-align: justify`` for a line: between characters when it holds CJK text, as
    ``text-justify: auto`` does in browsers and Word/WPS do, so every full line of a Chinese
    paragraph ends flush at the right margin; on spaces (WeasyPrint's own way) otherwise."""
    texts = [box.text for box in _text_boxes(line)]
    if not any(_CJK.search(text) for text in texts):
        _wp_justify_line(context, line, extra_width)
        return
    gaps = sum(len(text) for text in texts) - 1
    if gaps > 0 and extra_width > 0:
        _letter_space(context, line, extra_width / gaps, 0)


# WeasyPrint's text_align() calls the module-level justify_line: replace it for this process
# (WeasyPrint is pinned to 70 in requirements.txt; tests check the flush right edge).
wp_inline.justify_line = justify_line

# A table header or label cell whose whole text is one to six characters (产出指标, 财政拨款,
# 公务接待费 …) is never split mid-word in the PDF: it is wrapped in span.nb (white-space: nowrap).
# One of five or six characters ending in 指标 may still wrap before 指标 (满意度 / 指标), so the
# label columns need only four characters' width.
# Label cells are th, merged td (rowspan) and td.label (a merged label repeated after a break).
_SHORT_LABEL = re.compile(
    r'(<th\b[^>]*>|<td\b[^>]*(?:\browspan=|\bclass="[^"]*\blabel\b)[^>]*>)([^<>\s]{1,6})(</t[hd]>)'
)


def _keep(match: re.Match) -> str:
    start, label, end = match.groups()
    if len(label) > 4 and label.endswith("指标"):
        return f'{start}<span class="nb">{label[:-2]}</span><span class="nb">指标</span>{end}'
    return f'{start}<span class="nb">{label}</span>{end}'


def keep_short_labels(html: str) -> str:
    return _SHORT_LABEL.sub(_keep, html)


# -- merged labels across a page break ----------------------------------------------------------


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def _continued_label(cell, rows) -> object:
    """A copy of the merged label ``cell`` spanning ``rows`` (its rows on a later page), the
    text centred vertically as in the original."""
    top = rows[0].position_y
    bottom = rows[-1].position_y + rows[-1].height
    copy = cell.deepcopy()
    copy.translate(0, top - cell.position_y)
    extra = (bottom - top) - copy.border_height()
    if extra > 0:
        for child in copy.children:
            child.translate(0, extra / 2)
        copy.padding_top += extra / 2
        copy.padding_bottom += extra / 2
    return copy


def repeat_merged_labels(document) -> int:
    """After layout, before the PDF is written: a merged label (a cell with a rowspan, 一级指标,
    二级指标, 经费类别) whose rows run on over a page break is printed again beside its rows on the
    next page — WeasyPrint prints it once, leaving the cell blank there. Returns the copies made.
    Tables are matched across pages by their source element; rows by their index in the group."""
    open_spans: dict[int, list[tuple[object, int, int, object]]] = {}  # table -> (group, first, last, cell)
    made = 0
    for page in document.pages:
        for table in (b for b in _walk(page._page_box) if isinstance(b, wp_boxes.TableBox)):
            key = id(table.element)
            groups = [g for g in table.children if not (g.is_header or g.is_footer)]
            carried = open_spans.pop(key, [])
            spans = []
            last_index: dict[int, int] = {}
            for group in groups:
                for row in group.children:
                    last_index[id(group.element)] = max(last_index.get(id(group.element), -1), row.index)
                    for cell in row.children:
                        if cell.rowspan > 1:
                            spans.append((group.element, row.index, row.index + cell.rowspan - 1, cell))
            for group_element, first, last, cell in carried:
                group = next((g for g in groups if g.element is group_element), None)
                if group is None:
                    continue
                rows = [r for r in group.children if first < r.index <= last]
                if not rows:
                    continue
                copy = _continued_label(cell, rows)
                rows[0].children = [copy, *rows[0].children]
                made += 1
                spans.append((group_element, rows[0].index, last, cell))
            still_open = [
                span for span in spans if span[2] > last_index.get(id(span[0]), span[2]) and span[1] <= span[2]
            ]
            if still_open:
                open_spans[key] = still_open
    return made


def print_css_path() -> Path:
    found = finders.find(PRINT_CSS)
    if not found:
        raise FileNotFoundError(PRINT_CSS)
    return Path(found)


@cache
def print_css_text() -> str:
    return print_css_path().read_text(encoding="utf-8")


# Raise when the typesetting above (justification, label marking) changes its output.
TYPESETTING_VERSION = "2"  # 2: merged labels repeated after a page break


@cache
def engine_version() -> str:
    """Changes whenever the output of the same HTML could change: stylesheet, faces, our
    typesetting or WeasyPrint."""
    import weasyprint

    source = f"{print_css_text()}|{fonts.FACES!r}|{TYPESETTING_VERSION}"
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    return f"weasyprint-{weasyprint.__version__}-{digest}"


class PdfEngine:
    """The parsed print stylesheet and font configuration, built once and reused."""

    def __init__(self) -> None:
        self.fetcher = StaticOnlyURLFetcher()
        self.font_config = FontConfiguration()
        css_path = print_css_path()
        self.base_url = css_path.parent.as_uri() + "/"
        self.stylesheet = CSS(
            string=fonts.font_face_css() + "\n" + print_css_text(),
            base_url=self.base_url,
            font_config=self.font_config,
            url_fetcher=self.fetcher,
        )

    def write_pdf(self, html: str) -> bytes:
        source = HTML(string=keep_short_labels(html), base_url=self.base_url, url_fetcher=self.fetcher)
        document = source.render(stylesheets=[self.stylesheet], font_config=self.font_config)
        repeat_merged_labels(document)
        return document.write_pdf()


class RenderWorker:
    """One dedicated render thread, holding the engine; a render over time is interrupted.
    ``html_to_pdf`` uses one per process; a test can make its own with another engine."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-pdf")
        self._engine: PdfEngine | None = None
        self._lock = threading.Lock()
        self._running: tuple[object, int] | None = None  # (job token, thread id)

    def _run(self, token: object, html: str) -> bytes:
        with self._lock:
            self._running = (token, threading.get_ident())
        try:
            if self._engine is None:
                self._engine = PdfEngine()
            return self._engine.write_pdf(html)
        except _RenderAborted:
            self._engine = None  # interrupted mid-render: start afresh next time
            raise
        finally:
            with self._lock:
                self._running = None

    def render(self, html: str, *, timeout: float) -> bytes:
        token = object()
        future = self._executor.submit(self._run, token, html)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            if not future.cancel():
                with self._lock:
                    if self._running and self._running[0] is token:
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(self._running[1]), ctypes.py_object(_RenderAborted)
                        )
            raise ReportRenderTimeout(f"报告生成超过 {timeout:g} 秒，已停止。") from None

    def warm(self) -> None:
        """Build the engine now (used by the benchmark and at start-up if wanted)."""
        self._executor.submit(lambda: self._engine or setattr(self, "_engine", PdfEngine())).result()


_worker = RenderWorker()


def render_timeout() -> float:
    return float(getattr(settings, "REPORT_PDF_TIMEOUT", DEFAULT_TIMEOUT))


def html_to_pdf(html: str, *, timeout: float | None = None) -> bytes:
    """Render ``html`` to PDF bytes with the shared engine, within the time limit."""
    return _worker.render(html, timeout=render_timeout() if timeout is None else timeout)


def warm_engine() -> None:
    _worker.warm()


def warm_up() -> None:
    """Everything a process's first render would otherwise do first: the font subsets, the
    parsed stylesheet, and a small document set in every face of the report (which loads the
    faces into fontconfig, Pango and HarfBuzz). Run in a thread at start-up (``REPORTS_WARM_FONTS``)."""
    _worker.warm()
    sample = "部门整体支出绩效自评报告 2024年度 ≥20次 100% 一、（一）1. 万元"
    paragraphs = "".join(
        f"<p style=\"font-family: '{face.family}'; font-weight: {face.weight}\">{sample}</p>" for face in fonts.FACES
    )
    html_to_pdf(f'<!doctype html><html lang="zh-hans"><body><h1>{sample}</h1>{paragraphs}</body></html>', timeout=300)
    warm_report_html()


REPORT_TEMPLATE = "reports/report_document.html"


def warm_report_html() -> None:
    """What the first report's HTML would otherwise pay (a fresh process measured 0.13-0.19 s of
    CPU for it against 0.03 s for the next): the modules that assemble the report, the template
    engine with its tag libraries, and the report's templates compiled into the cached loader —
    the document and every template it includes, found by walking the compiled nodes."""
    from django.template import engines
    from django.template.loader_tags import ExtendsNode, IncludeNode

    from . import services  # noqa: F401 - imports data, outline, prose and projects

    engine = engines["django"].engine
    seen: set[str] = set()
    names = [REPORT_TEMPLATE]
    while names:
        name = names.pop()
        if name in seen:
            continue
        seen.add(name)
        template = engine.get_template(name)
        for node in template.nodelist.get_nodes_by_type((IncludeNode, ExtendsNode)):
            target = node.template if isinstance(node, IncludeNode) else node.parent_name
            var = getattr(target, "var", None)  # a quoted name is a constant: the string itself
            literal = var if isinstance(var, str) else getattr(var, "literal", None)
            if isinstance(literal, str):
                names.append(str(literal))
