"""The PDF before it is asked for: after a committed change to a year, its report is rendered in
the background into the PDF cache (``reports.services.report_pdf_for_year``: stored under the
year's stamp — its version and change tokens — and by its HTML), so the next download is a
cache read.

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
import os
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from budgets.models import IncomeLine, ProjectFunds, ProjectLine, SpendingLine, ThreePublicLine
from departments.models import Duty, Organ, Unit, UnitYear
from flow.models import CheckExplanation, StatusChange
from indicators.models import (
    Goal,
    Indicator,
    ProjectEvaluation,
    RuleSet,
    RuleSetAssignment,
    UnitYearWeights,
    YearScoring,
)

logger = logging.getLogger(__name__)

DEFAULT_DELAY = 5.0  # seconds after a year's last committed change
DEFAULT_BACKGROUND_TIMEOUT = 300
RENDERING_PREFIX = "reports:pdf-rendering:"
DURATION_PREFIX = "reports:pdf-duration:"
FAILED_PREFIX = "reports:pdf-failed:"
FAILED_SECONDS = 600

_pending = threading.local()
_lock = threading.Condition()
_due: dict[int, float] = {}  # unit-year id → when to render (the thread mode)
_worker: threading.Thread | None = None
_rendering = 0  # renders the thread has taken off ``_due`` and not finished


def mode() -> str:
    value = getattr(settings, "REPORTS_PRERENDER", "thread")
    if value != "off" and getattr(settings, "CELERY_BROKER_URL", None) and value != "sync":
        return "celery"
    return value


def delay() -> float:
    return float(getattr(settings, "REPORTS_PRERENDER_DELAY", DEFAULT_DELAY))


def background_timeout() -> float:
    """A render off the request may take longer than a download may wait (a year of 2,000
    projects): ``REPORT_PDF_BACKGROUND_TIMEOUT`` seconds (default 300)."""
    return float(getattr(settings, "REPORT_PDF_BACKGROUND_TIMEOUT", DEFAULT_BACKGROUND_TIMEOUT))


def prerender(unit_year_id: int) -> bool:
    """Render the year's PDF into the cache (under its stamp: the download reads it without
    assembling the report) unless it is there already; False if the year is gone. While it
    runs, a flag in the cache (shared by every process) says since when; a render that fails
    leaves a mark that a waiting download reports (until the year changes, or for 10 minutes)."""
    from .services import report_pdf_for_year

    key = RENDERING_PREFIX + str(unit_year_id)
    started = time.time()
    cache.set(key, started, int(background_timeout()) + 60)
    try:
        found = report_pdf_for_year(unit_year_id=unit_year_id, timeout=background_timeout())
    except BaseException:
        cache.set(FAILED_PREFIX + str(unit_year_id), time.time(), FAILED_SECONDS)
        forget_again_on_change(unit_year_id)
        raise
    finally:
        cache.delete(key)
    cache.set(DURATION_PREFIX + str(unit_year_id), time.time() - started, None)
    return found is not None


# ---------------------------------------------------------------- a download waiting on it


@dataclass(frozen=True)
class Rendering:
    """A background render of a year's PDF a download is waiting for."""

    started: float  # time.time() when it was asked for
    expected: float | None  # seconds the year's last render took, if known
    failed: bool = False  # the last render of the year's current state failed (not retried)

    @property
    def elapsed(self) -> float:
        return max(0.0, time.time() - self.started)


def can_wait() -> bool:
    """Whether a download can hand its render to the background (the thread or Celery)."""
    return mode() in ("thread", "celery")


def request_render(unit_year_id: int) -> Rendering:
    """Render the year's PDF in the background now (once, whoever asks: a cache flag shared by
    the app's processes marks it as asked for or running)."""
    key = RENDERING_PREFIX + str(unit_year_id)
    now = time.time()
    if cache.get(FAILED_PREFIX + str(unit_year_id)) is not None:
        return Rendering(started=now, expected=None, failed=True)
    if cache.add(key, now, int(background_timeout()) + 60):
        if mode() == "celery":
            from .tasks import report_prerender

            try:
                report_prerender.apply_async(args=(unit_year_id,))
            except Exception:  # the broker is down: render here, in this process's thread
                logger.warning("Could not queue the render of unit-year %s", unit_year_id, exc_info=True)
                _enqueue({unit_year_id}, wait=0)
        else:
            _enqueue({unit_year_id}, wait=0)
    started = cache.get(key)
    expected = cache.get(DURATION_PREFIX + str(unit_year_id))
    return Rendering(
        started=started if isinstance(started, float) else now,
        expected=expected if isinstance(expected, float) else None,
    )


def wait_for_pdf(unit_year, *, seconds: float) -> bytes | None:
    """Wait up to ``seconds`` for the year's PDF (at its current stamp) to be in the cache."""
    from .services import report_cached_pdf

    deadline = time.monotonic() + seconds
    step = 0.05
    while True:
        content = report_cached_pdf(unit_year=unit_year)
        if content is not None or time.monotonic() >= deadline:
            return content
        time.sleep(step)
        step = min(step * 1.5, 0.5)


# ---------------------------------------------------------------- scheduling


def schedule(unit_year_ids: Iterable[int]) -> None:
    """These years changed: their stored PDFs are forgotten at once (``services.pdf_forget``;
    once per year and transaction, not per saved row) and again at commit, and they are
    pre-rendered once the transaction commits (at once in autocommit)."""
    ids = {i for i in unit_year_ids if i is not None}
    if not ids:
        return
    from .services import pdf_forget

    connection = transaction.get_connection()
    queue = connection.run_on_commit  # emptied at every commit and rollback
    if not queue or queue[0] is not getattr(_pending, "anchor", None):  # another transaction
        _pending.forgotten = set()
        _pending.anchor = None
    new = ids - _pending.forgotten
    if new:
        pdf_forget(new)
        cache.delete_many([FAILED_PREFIX + str(i) for i in new])  # a change deserves a new try
        _pending.forgotten |= new
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids |= ids
    transaction.on_commit(_flush)
    if queue and _pending.anchor is None:
        _pending.anchor = queue[0]


def forget_again_on_change(unit_year_id: int) -> None:
    """A PDF of the year was just stored (or its render failed) from what this thread sees: a
    later change in the same transaction must forget it (and the failure) again."""
    forgotten = getattr(_pending, "forgotten", None)
    if forgotten:
        forgotten.discard(unit_year_id)


def discard_pending() -> None:
    _pending.ids = set()
    _pending.forgotten = set()
    _pending.anchor = None


def _flush() -> None:
    ids = getattr(_pending, "ids", None)
    if not ids:
        return
    _pending.ids = set()
    from .services import pdf_forget

    pdf_forget(ids)  # what a download stored between the change and the commit is stale
    cache.delete_many([FAILED_PREFIX + str(i) for i in ids])
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


def _enqueue(ids: set[int], *, wait: float | None = None) -> None:
    global _worker
    due = time.monotonic() + (delay() if wait is None else wait)
    with _lock:
        for unit_year_id in ids:
            _due[unit_year_id] = due  # a later change pushes the render back (debounce)
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="report-prerender", daemon=True)
            _worker.start()
        _lock.notify()


def _work() -> None:
    global _rendering
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
            _rendering += 1
        try:
            prerender(unit_year_id)
        except Exception:  # the download will render (and report) it
            logger.exception("Pre-rendering the report of unit-year %s failed", unit_year_id)
        finally:
            connections.close_all()  # this thread's connections
            with _lock:
                _rendering -= 1


def idle() -> bool:
    """Nothing waiting to be pre-rendered in this process, nor being rendered (the benchmark
    waits for it: a render running beside the requests it times would slow them)."""
    with _lock:
        return not _due and not _rendering


# ---------------------------------------------------------------- signals


def _on_unit_year(sender, instance, **kwargs) -> None:
    schedule([instance.pk])


def _on_part(sender, instance, **kwargs) -> None:
    schedule([instance.unit_year_id])


def _on_unit(sender, instance, **kwargs) -> None:
    """The unit's name and parent appear in every report of the unit, and its name as 主管部门 in
    the reports of the units below it."""
    schedule(
        UnitYear.objects.filter(Q(unit_id=instance.pk) | Q(unit__parent_id=instance.pk)).values_list("pk", flat=True)
    )


def _on_rules(sender, instance, **kwargs) -> None:
    """A rule set (or its assignment) may be the rules in force of any year without a snapshot."""
    from .services import pdf_forget

    pdf_forget(everything=True)


def connect() -> None:
    """Called from ``ReportsConfig.ready``: everything the report shows."""
    post_save.connect(_on_unit_year, sender=UnitYear, dispatch_uid="prerender_unityear")
    # StatusChange: the flow changes the status with a conditional UPDATE (no save signal) and
    # records the step right after. CheckExplanation: a 数据校验 finding explained in writing is
    # printed as a note (the flow saves it without claiming the year's version).
    parts = (
        Duty,
        Organ,
        IncomeLine,
        SpendingLine,
        ThreePublicLine,
        ProjectLine,
        Goal,
        Indicator,
        YearScoring,
        UnitYearWeights,
    )
    for model in (*parts, StatusChange, CheckExplanation):
        for signal in (post_save, post_delete):
            signal.connect(_on_part, sender=model, dispatch_uid=f"prerender_{model.__name__}_{id(signal)}")
    post_save.connect(_on_unit, sender=Unit, dispatch_uid="prerender_unit")
    for model in (RuleSet, RuleSetAssignment):
        for signal in (post_save, post_delete):
            signal.connect(_on_rules, sender=model, dispatch_uid=f"prerender_{model.__name__}_{id(signal)}")
    # A project's goal and money by source (its 项目支出绩效自评表 annex) hang on the project line.
    for model in (ProjectEvaluation, ProjectFunds):
        for signal in (post_save, post_delete):
            signal.connect(_on_project_part, sender=model, dispatch_uid=f"prerender_{model.__name__}_{id(signal)}")


def _on_project_part(sender, instance, **kwargs) -> None:
    schedule(ProjectLine.objects.filter(pk=instance.project_id).values_list("unit_year_id", flat=True))


def warm_fonts() -> None:
    """Prepare the report's font subsets and the PDF engine in a thread, so the first PDF of the
    process is as fast as the next (``reports.pdf.warm_up``)."""

    if _one_off_command():
        return

    def run() -> None:
        from .pdf import warm_up

        try:
            warm_up()
        except RuntimeError as exc:  # the process ended before the warm-up did
            logger.debug("Report engine not warmed: %s", exc)
        except Exception:
            logger.warning("Report fonts not warmed", exc_info=True)

    threading.Thread(target=run, name="report-fonts", daemon=True).start()


def _one_off_command() -> bool:
    """A ``manage.py`` command other than runserver (migrate, check …): it renders no PDF, and
    would end before a warm-up does."""
    argv = sys.argv
    return len(argv) > 1 and os.path.basename(argv[0]) == "manage.py" and argv[1] != "runserver"
