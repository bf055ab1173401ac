"""A year too large to render within a download (2,000 projects): the download hands the render
to the background, waits a while, and answers a page that follows it until the PDF is ready —
never the worker's timeout. And such a year's PDF does render, with every project in it."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.urls import reverse

from budgets.models import ProjectLine
from reports import pdf as pdf_module
from reports import prerender
from reports.data import report_queryset
from reports.services import report_cached_pdf, report_render_pdf

from .conftest import pdf_text

FAKE = b"%PDF-1.7 large"


@pytest.fixture
def background(settings, monkeypatch):
    """Downloads hand renders to the background; the test plays the background's part."""
    settings.REPORTS_PRERENDER = "thread"
    settings.REPORT_PDF_WAIT = 0
    cache.clear()
    queued: list[set[int]] = []
    monkeypatch.setattr(prerender, "_enqueue", lambda ids, wait=None: queued.append(set(ids)))
    yield queued
    prerender.discard_pending()


def _url(unit_year) -> str:
    return reverse("reports:report_pdf", args=[unit_year.unit.code, unit_year.year])


def test_a_slow_render_answers_a_page_that_follows_it_then_the_pdf(client, demo_year, background, monkeypatch):
    renders = []
    monkeypatch.setattr(pdf_module, "html_to_pdf", lambda html, **kw: renders.append(kw) or FAKE)
    client.force_login(demo_year.unit.memberships.first().user)
    first = client.get(_url(demo_year))
    assert first.status_code == 202
    page = first.content.decode()
    assert "正在生成" in page and 'http-equiv="refresh"' in page
    assert first["Retry-After"] == "5"
    assert background == [{demo_year.pk}] and renders == []

    again = client.get(_url(demo_year))  # a reload while it runs: not asked for twice
    assert again.status_code == 202 and background == [{demo_year.pk}]

    assert prerender.prerender(demo_year.pk)  # the background renders it, with its own limit
    assert renders == [{"timeout": prerender.background_timeout()}]
    done = client.get(_url(demo_year))
    assert done.status_code == 200 and done.content == FAKE
    assert "attachment" in done["Content-Disposition"]

    # The next change asks again; the page now tells how long the last render took.
    ProjectLine.objects.create(unit_year=demo_year, order=99, name="新项目")
    pending = client.get(_url(demo_year))
    assert pending.status_code == 202 and "上次生成用了约" in pending.content.decode()
    assert len(background) == 2


def test_a_failed_background_render_answers_the_apps_503_until_the_year_changes(
    client, demo_year, background, monkeypatch
):
    def too_slow(html, **kwargs):
        raise pdf_module.ReportRenderTimeout("报告生成超过 300 秒，已停止。")

    monkeypatch.setattr(pdf_module, "html_to_pdf", too_slow)
    client.force_login(demo_year.unit.memberships.first().user)
    assert client.get(_url(demo_year)).status_code == 202
    with pytest.raises(pdf_module.ReportRenderTimeout):
        prerender.prerender(demo_year.pk)  # the background's render fails
    failed = client.get(_url(demo_year))
    assert failed.status_code == 503 and "报告生成超时" in failed.content.decode()
    assert background == [{demo_year.pk}]  # not asked for again and again
    ProjectLine.objects.create(unit_year=demo_year, order=99, name="新项目")  # a change: a new try
    assert client.get(_url(demo_year)).status_code == 202 and len(background) == 2


def test_a_ready_pdf_is_served_at_once(client, demo_year, background, monkeypatch):
    monkeypatch.setattr(pdf_module, "html_to_pdf", lambda html, **kw: FAKE)
    prerender.prerender(demo_year.pk)
    client.force_login(demo_year.unit.memberships.first().user)
    response = client.get(_url(demo_year))
    assert response.status_code == 200 and response.content == FAKE and background == []


def test_the_wait_is_shorter_than_the_worker_timeout(settings):
    from perfeval.checks import pdf_timeout_below_worker_timeout

    assert settings.REPORT_PDF_WAIT < settings.GUNICORN_TIMEOUT
    assert settings.REPORT_PDF_TIMEOUT < settings.GUNICORN_TIMEOUT
    settings.REPORT_PDF_WAIT = settings.GUNICORN_TIMEOUT
    assert [e.id for e in pdf_timeout_below_worker_timeout(None)] == ["perfeval.E002"]


def test_a_year_of_2000_projects_renders_every_project(year_a):
    """The real engine, as the background renders it (tens of seconds on a 2-core machine)."""
    ProjectLine.objects.bulk_create(
        ProjectLine(
            unit_year=year_a,
            order=i,
            name=f"项目第{i:04d}号",
            initial_budget=D("1.00"),
            full_year_budget=D("1.00"),
            actual=D("0.95"),
        )
        for i in range(1, 2001)
    )
    unit_year = report_queryset().get(pk=year_a.pk)
    content = report_render_pdf(unit_year=unit_year, use_cache=False, timeout=prerender.background_timeout())
    text = pdf_text(content)
    assert "项目第0001号" in text and "项目第2000号" in text
    assert report_cached_pdf(unit_year=unit_year) is None  # use_cache=False stored nothing
