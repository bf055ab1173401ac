"""Safety: user text is escaped in HTML and PDF; the renderer reads only the app's static files
(no network, no file:// elsewhere, no data:/javascript:); a render has a time limit."""

from __future__ import annotations

import re
import socket
import threading
import time
from io import BytesIO

import pytest
from django.db import models, transaction
from pypdf import PdfReader

from budgets.models import ProjectLine
from demo.load import demo_load
from departments.models import Duty, Organ, Unit, UnitYear
from indicators.models import Goal, Indicator
from reports import pdf
from reports.data import report_queryset
from reports.services import report_render_html, report_render_pdf

from .conftest import pdf_text, squash


class Listener:
    """A real local TCP listener that records every connection attempt."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    # The listener works: a plain connection is counted.
    socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    deadline = time.monotonic() + 2
    while server.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.connections == 1
    server.connections = 0
    yield server
    server.close()


def payload(port: int) -> str:
    return (
        f'<img src="http://127.0.0.1:{port}/img.png">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<a href="javascript:alert(1)">点我</a>'
        f"<style>@import url(http://127.0.0.1:{port}/x.css);</style>"
    )


def text_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name not in ("code", "contact_phone")
        and not f.name.startswith("history")
    ]


def fitted(model, names, text: str) -> dict[str, str]:
    """``text`` for each field, or for a field too short to hold it (PostgreSQL enforces
    max_length) the longest of its hostile parts that fits."""
    parts = sorted(re.findall(r"<[^<]*(?:</[a-z]+>)?", text), key=len, reverse=True)
    values = {}
    for name in names:
        limit = getattr(model._meta.get_field(name), "max_length", None) or len(text)
        values[name] = text if len(text) <= limit else next((p for p in parts if len(p) <= limit), text[:limit])
    return values


def poison(unit_year: UnitYear, text: str) -> None:
    """Put ``text`` into every free-text field the report shows (update(): as if stored by a
    careless import; the form validation is not what protects the report)."""
    Unit.objects.filter(pk=unit_year.unit_id).update(**fitted(Unit, ("name", "region"), text))
    UnitYear.objects.filter(pk=unit_year.pk).update(**fitted(UnitYear, text_fields(UnitYear), text))
    for model in (Duty, Organ, Goal, Indicator, ProjectLine):
        model.objects.filter(unit_year=unit_year).update(**fitted(model, text_fields(model), text))


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker, listener):
    """HTML and PDF of the demo with the payload in every text field (one PDF render)."""
    text = payload(listener.port)
    with django_db_blocker.unblock(), transaction.atomic():
        unit_year = demo_load().unit_year
        poison(unit_year, text)
        unit_year = report_queryset().get(pk=unit_year.pk)
        html = report_render_html(unit_year=unit_year)
        content = report_render_pdf(unit_year=unit_year, use_cache=False)
        transaction.set_rollback(True)
    return {"text": text, "html": html, "pdf": content}


pytestmark = pytest.mark.django_db


def test_fields_covered():
    assert {"function_summary", "problems", "measures", "income_change_note", "contact_name"} <= set(
        text_fields(UnitYear)
    )
    assert {"name", "target_text", "actual_text", "deviation_reason", "note"} <= set(text_fields(Indicator))


def test_nothing_is_fetched(hostile, listener):
    assert listener.connections == 0


def test_html_escapes_every_text(hostile, listener):
    html = hostile["html"]
    assert f'<img src="http://127.0.0.1:{listener.port}' not in html
    assert '<link rel="stylesheet" href="file:///etc/passwd">' not in html
    assert '<a href="javascript:' not in html
    assert "<style>@import" not in html
    assert html.count("&lt;img src=&quot;http://127.0.0.1") > 20


def test_pdf_shows_the_text_and_nothing_else(hostile, listener):
    reader = PdfReader(BytesIO(hostile["pdf"]))
    text = squash(pdf_text(hostile["pdf"]))
    assert squash('<a href="javascript:alert(1)">点我</a>') in text  # shown as text
    assert "root:x:0:0" not in text
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            assert "/URI" not in action and "/JS" not in action
        resources = page["/Resources"]
        assert not (resources.get("/XObject") or {}), "no image was embedded"


def test_renderer_refuses_raw_markup_too(listener, settings):
    """Even markup that was not escaped cannot make the renderer fetch anything."""
    html = (
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{listener.port}/a.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head><body>'
        f'<img src="http://127.0.0.1:{listener.port}/a.png"><img src="file:///etc/passwd">'
        '<img src="data:image/png;base64,iVBORw0KGgo="><p>正文</p></body></html>'
    )
    content = pdf.html_to_pdf(html)
    assert listener.connections == 0
    assert "正文" in pdf_text(content)
    assert not (PdfReader(BytesIO(content)).pages[0]["/Resources"].get("/XObject") or {})


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/x.png",
        "https://127.0.0.1:{port}/x.png",
        "ftp://127.0.0.1:{port}/x",
        "file:///etc/passwd",
        "file:///static/../../../../etc/passwd",
        "file:///static/css/../../../../../etc/passwd",
        "file://127.0.0.1/static/css/app.css",
        "data:text/css,body{{color:red}}",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses(listener, url):
    fetcher = pdf.StaticOnlyURLFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url.format(port=listener.port))
    assert listener.connections == 0


def test_fetcher_serves_static_files():
    fetcher = pdf.StaticOnlyURLFetcher()
    by_static_url = fetcher.fetch("file:///static/css/reports/report-print.css")
    assert b"@page" in by_static_url.read()
    by_path = fetcher.fetch(pdf.print_css_path().as_uri())
    assert by_path.content_type == "text/css"


def test_render_time_limit(monkeypatch):
    """A render over the limit is stopped (not merely abandoned): the worker is free again."""

    class SlowEngine:
        def write_pdf(self, html):
            while True:  # noqa: ASYNC110 - a runaway render
                pass

    class FastEngine:
        def write_pdf(self, html):
            return b"%PDF-ok"

    worker = pdf.RenderWorker()
    monkeypatch.setattr(pdf, "PdfEngine", SlowEngine)
    started = time.monotonic()
    with pytest.raises(pdf.ReportRenderTimeout):
        worker.render("<p>x</p>", timeout=0.3)
    assert time.monotonic() - started < 2
    monkeypatch.setattr(pdf, "PdfEngine", FastEngine)
    assert worker.render("<p>x</p>", timeout=5) == b"%PDF-ok"
