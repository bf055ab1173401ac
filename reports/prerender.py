"""The PDF before it is asked for: after a committed change to a year, its report is rendered in
the background into the PDF cache (``reports.services.report_render_pdf`` keys it by the
rendered HTML, ``pdf_cache_key``), so the next download is served without rendering.

Changes coalesce: the ids of the changed years collect per thread until the transaction commits
(as ``overview.summaries`` does), then wait ``REPORTS_PRERENDER_DELAY`` seconds after a year's
last change before it is rendered — a user saving a form five times in a minute costs one render.

``REPORTS_PRERENDER`` (setting): ``"thread"`` (default: one daemon thread in the app process),
``"sync"`` (at once, in the committing thread: tests), ``"off"``. With ``CELERY_BROKER_URL`` set
the render is a Celery task queued with the delay as its countdown (a worker renders it into the
shared cache). A render is skipped when the cache already holds the PDF of the year's HTML.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save

from budgets.models import IncomeLine, ProjectFunds, ProjectLine, SpendingLine, ThreePublicLine
from departments.models import Duty, Organ, UnitYear
from flow.models import StatusChange
from indicators.models import Goal, Indicator, ProjectEvaluation, YearScoring

logger = logging.getLogger(__name__)

DEFAULT_DELAY = 5.0  # seconds after a year's last committed change

_pending = threading.local()
_lock = threading.Condition()
_due: dict[int, float] = {}  # unit-year id → when to render (the thread mode)
_worker: threading.Thread | None = None


def mode() -> str:
    value = getattr(settings, "REPORTS_PRERENDER", "thread")
    if value != "off" and getattr(settings, "CELERY_BROKER_URL", None) and value != "sync":
        return "celery"
    return value


def delay() -> float:
    return float(getattr(settings, "REPORTS_PRERENDER_DELAY", DEFAULT_DELAY))


def prerender(unit_year_id: int) -> bool:
    """Render the year's PDF into the cache unless it is there already; False if the year is gone."""
    from .data import report_queryset
    from .services import report_render_pdf

    unit_year = report_queryset().filter(pk=unit_year_id).first()
    if unit_year is None:
        return False
    report_render_pdf(unit_year=unit_year)
    return True


# ---------------------------------------------------------------- scheduling


def schedule(unit_year_ids: Iterable[int]) -> None:
    """Pre-render these years once the current transaction commits (at once in autocommit)."""
    ids = {i for i in unit_year_ids if i is not None}
    if not ids or mode() == "off":
        return
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids |= ids
    transaction.on_commit(_flush)


def discard_pending() -> None:
    _pending.ids = set()


def _flush() -> None:
    ids = getattr(_pending, "ids", None)
    if not ids:
        return
    _pending.ids = set()
    how = mode()
    if how == "sync":
        for unit_year_id in sorted(ids):
            prerender(unit_year_id)
    elif how == "celery":
        from .tasks import report_prerender

        for unit_year_id in sorted(ids):
            try:
                report_prerender.apply_async(args=(unit_year_id,), countdown=delay())
            except Exception:  # the broker is down: the download renders as before
                logger.warning("Could not queue the pre-render of unit-year %s", unit_year_id, exc_info=True)
    elif how == "thread":
        _enqueue(ids)


def _enqueue(ids: set[int]) -> None:
    global _worker
    due = time.monotonic() + delay()
    with _lock:
        for unit_year_id in ids:
            _due[unit_year_id] = due  # a later change pushes the render back (debounce)
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="report-prerender", daemon=True)
            _worker.start()
        _lock.notify()


def _work() -> None:
    while True:
        with _lock:
            while not _due:
                _lock.wait()
            unit_year_id, due = min(_due.items(), key=lambda item: item[1])
            wait = due - time.monotonic()
            if wait > 0:
                _lock.wait(timeout=wait)
                continue
            del _due[unit_year_id]
        try:
            prerender(unit_year_id)
        except Exception:  # the download will render (and report) it
            logger.exception("Pre-rendering the report of unit-year %s failed", unit_year_id)
        finally:
            connections.close_all()  # this thread's connections


def idle() -> bool:
    """Nothing waiting to be pre-rendered in this process (the benchmark waits for it)."""
    with _lock:
        return not _due


# ---------------------------------------------------------------- signals


def _on_unit_year(sender, instance, **kwargs) -> None:
    schedule([instance.pk])


def _on_part(sender, instance, **kwargs) -> None:
    schedule([instance.unit_year_id])


def connect() -> None:
    """Called from ``ReportsConfig.ready``: everything the report shows."""
    post_save.connect(_on_unit_year, sender=UnitYear, dispatch_uid="prerender_unityear")
    # StatusChange: the flow changes the status with a conditional UPDATE (no save signal) and
    # records the step right after.
    parts = (Duty, Organ, IncomeLine, SpendingLine, ThreePublicLine, ProjectLine, Goal, Indicator, YearScoring)
    for model in (*parts, StatusChange):
        for signal in (post_save, post_delete):
            signal.connect(_on_part, sender=model, dispatch_uid=f"prerender_{model.__name__}_{id(signal)}")
    # A project's goal and money by source (its 项目支出绩效自评表 annex) hang on the project line.
    for model in (ProjectEvaluation, ProjectFunds):
        for signal in (post_save, post_delete):
            signal.connect(_on_project_part, sender=model, dispatch_uid=f"prerender_{model.__name__}_{id(signal)}")


def _on_project_part(sender, instance, **kwargs) -> None:
    if mode() == "off":
        return
    schedule(ProjectLine.objects.filter(pk=instance.project_id).values_list("unit_year_id", flat=True))


def warm_fonts() -> None:
    """Prepare the report's font subsets in a thread, so the first PDF of the process does not."""

    def run() -> None:
        from .fonts import report_fonts

        try:
            report_fonts()
        except Exception:
            logger.warning("Report fonts not warmed", exc_info=True)

    threading.Thread(target=run, name="report-fonts", daemon=True).start()
