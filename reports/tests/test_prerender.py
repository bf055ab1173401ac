"""The PDF before it is asked for: a committed change renders the year's report into the cache,
so the download that follows does not render."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from departments.models import Duty
from reports import pdf, prerender
from reports.data import report_queryset
from reports.services import pdf_cache_key, report_render_html


@pytest.fixture
def sync_prerender(settings):
    settings.REPORTS_PRERENDER = "sync"
    cache.clear()
    yield
    prerender.discard_pending()


def _cached(unit_year) -> bool:
    html = report_render_html(unit_year=report_queryset().get(pk=unit_year.pk))
    return cache.get(pdf_cache_key(html)) is not None


def test_a_committed_change_renders_the_report_into_the_cache(
    sync_prerender, demo_year, django_capture_on_commit_callbacks, monkeypatch, client, admin_user
):
    renders = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kw: renders.append(1) or real(html, **kw))
    with django_capture_on_commit_callbacks(execute=True):
        # Five saves in one transaction: one render (the ids coalesce until the commit).
        for n in range(5):
            Duty.objects.create(unit_year=demo_year, order=90 + n, text=f"新增职责{n}")
    assert len(renders) == 1
    assert _cached(demo_year)

    client.force_login(admin_user)
    response = client.get(reverse("reports:report_pdf", args=[demo_year.unit.code, demo_year.year]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert len(renders) == 1  # served from the pre-render


def test_nothing_is_rendered_when_off_or_uncommitted(settings, demo_year, django_capture_on_commit_callbacks):
    settings.REPORTS_PRERENDER = "off"
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Duty.objects.create(unit_year=demo_year, order=99, text="不预先生成")
    assert not _cached(demo_year)


def test_the_thread_waits_for_the_last_change(settings, demo_year, monkeypatch):
    """Debounce: a year changed again before its delay has passed is rendered once, later."""
    settings.REPORTS_PRERENDER_DELAY = 60
    rendered = []
    monkeypatch.setattr(prerender, "prerender", rendered.append)
    monkeypatch.setattr(prerender, "_worker", None)
    monkeypatch.setattr(prerender, "_due", {})
    monkeypatch.setattr(prerender.threading.Thread, "start", lambda self: None)  # no thread in a test
    prerender._enqueue({demo_year.pk})
    first = prerender._due[demo_year.pk]
    prerender._enqueue({demo_year.pk})
    assert prerender._due[demo_year.pk] >= first  # pushed back, still one entry
    assert list(prerender._due) == [demo_year.pk] and rendered == []
    assert not prerender.idle()


def test_idle_only_once_the_render_has_finished(monkeypatch):
    """The benchmark waits for ``idle()``: a render taken off the queue and still running counts."""
    started, release = threading.Event(), threading.Event()

    def slow_render(unit_year_id):
        started.set()
        release.wait(10)

    monkeypatch.setattr(prerender, "prerender", slow_render)
    monkeypatch.setattr(prerender, "_worker", None)
    monkeypatch.setattr(prerender, "_due", {})
    prerender._enqueue({12345}, wait=0)
    assert started.wait(10)
    assert prerender._due == {} and not prerender.idle()  # off the queue, still rendering
    release.set()
    deadline = time.monotonic() + 10
    while not prerender.idle() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert prerender.idle()
