"""Fixtures for the report tests. PDF renders cost about a second each: render once per
module (module-scoped, inside a rolled-back transaction) wherever possible."""

from __future__ import annotations

import hashlib
import threading
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.db import transaction

from demo.load import demo_load
from departments.models import Unit, UnitYear
from indicators.models import Indicator
from overview.summaries import year_summaries_refresh


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages)


def squash(text: str) -> str:
    """Text without whitespace: a PDF breaks lines wherever the layout does."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def demo_pdf(django_db_setup, django_db_blocker) -> bytes:
    """The demo report's PDF, rendered once for the module (the data is rolled back after)."""
    from reports.data import report_queryset
    from reports.services import report_render_pdf

    with django_db_blocker.unblock(), transaction.atomic():
        unit_year = demo_load().unit_year
        content = report_render_pdf(unit_year=report_queryset().get(pk=unit_year.pk), use_cache=False)
        transaction.set_rollback(True)
    return content


def score_all(unit_year: UnitYear) -> None:
    """Give the demo's 19 indicators weights adding up to 90 and scores, as the group would."""
    indicators = list(unit_year.indicators.ordered())
    weights = [D("5")] * 18 + [D("0")]
    weights[-1] = D("90") - sum(weights[:-1])
    for indicator, weight in zip(indicators, weights, strict=True):
        indicator.weight = weight
        indicator.score = weight if indicator.name != "人大资讯" else weight - D("1.5")
        indicator.actual_text = "已完成"
        if indicator.name == "人大资讯":
            indicator.actual_text = "18篇"
            indicator.deviation_reason = "部分资讯未按期刊发，下年度加强统筹。"
    Indicator.objects.bulk_update(indicators, ["weight", "score", "actual_text", "deviation_reason"])
    # bulk_update sends no signals: refresh the stored summary as a committed save would.
    year_summaries_refresh(unit_year_ids=[unit_year.pk])


# -- batch generation --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Batch PDFs go to a temporary MEDIA_ROOT, never into the worktree's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def fake_pdf(html: str) -> bytes:
    """A stand-in for WeasyPrint's output that still says which report it is."""
    marker = hashlib.sha256(html.encode()).hexdigest()[:12]
    return b"%PDF-1.7\n% fake render " + marker.encode() + b"\n%%EOF\n"


class FakeRenderer:
    """Replaces ``reports.pdf.html_to_pdf``: records the documents rendered and fails for every
    report whose HTML contains one of ``fail_for`` (a unit name)."""

    def __init__(self) -> None:
        self.rendered: list[str] = []
        self.failures = 0
        self.fail_for: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, html: str, **kwargs) -> bytes:
        with self._lock:
            if any(name in html for name in self.fail_for):
                self.failures += 1
                raise RuntimeError("模拟的渲染故障")
            self.rendered.append(html)
        return fake_pdf(html)


@pytest.fixture
def renderer(monkeypatch) -> FakeRenderer:
    from django.core.cache import cache

    from reports import pdf as pdf_module

    cache.clear()  # a PDF cached by an earlier test would skip the renderer
    fake = FakeRenderer()
    monkeypatch.setattr(pdf_module, "html_to_pdf", fake)
    return fake


@pytest.fixture
def unit_c(db) -> Unit:
    return Unit.objects.create(code="C001", name="丙单位/分局", region="甲县")


@pytest.fixture
def year_c(unit_c) -> UnitYear:
    return UnitYear.objects.create(unit=unit_c, year=2024)
