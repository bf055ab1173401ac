"""Batch report generation: start, dispatch, run one item, finish, retry, zip.

Dispatch is decided here and nowhere else (``batch_dispatch``):

* ``settings.CELERY_BROKER_URL`` set → one Celery task per unit-year
  (``reports.tasks.batch_item_generate``) on the broker; any number of workers on any machine.
* not set → the SAME task runs in-process (``Task.apply``, which also applies its automatic
  retries) on a background thread of the app process, so the single-machine default needs no
  extra server. ``settings.REPORTS_BATCH_SYNC = True`` runs it on the calling thread instead
  (tests).

A unit whose PDF fails is retried (``MAX_RETRIES`` more times, with backoff on Celery; at once
in-process), every attempt is counted on its ``BatchItem``, and after the last one the item is
marked failed with the error: it is never silently skipped, and the job ends as
"完成（有失败）".
"""

from __future__ import annotations

import io
import logging
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from departments.access import Access
from departments.models import Role, UnitYear

from .data import report_queryset
from .models import OPEN_ITEM_STATUSES, BatchItem, BatchJob, BatchStatus, ItemStatus
from .services import report_filename, report_render_pdf

logger = logging.getLogger(__name__)

MAX_RETRIES = 2  # after the first attempt: three attempts in all
# A batch with no item changed for this long is stalled (its process was stopped): starting the
# same year again makes a new batch instead of returning the stalled one.
STALLED_AFTER = timedelta(minutes=10)
ERROR_MAX_CHARS = 500
ZIP_CHUNK = 64 * 1024


def batch_backend() -> str:
    return "celery" if getattr(settings, "CELERY_BROKER_URL", None) else "thread"


def batch_start(*, year: int, user) -> BatchJob:
    """Start generating the PDF of every unit-year of ``year`` that ``user`` leads
    (administrators: every unit). A batch of the same user and year still running is
    returned instead of starting a second one (a double click)."""
    unit_year_ids = list(
        Access.for_user(user)
        .years_with_role(Role.LEADER)
        .filter(year=year)
        .order_by("unit__code")
        .values_list("pk", flat=True)
    )
    if not unit_year_ids:
        raise ValidationError(f"{year}年度没有您可以批量生成报告的单位。")
    running = (
        BatchJob.objects.filter(
            requested_by=user,
            year=year,
            finished_at__isnull=True,
            items__updated_at__gte=timezone.now() - STALLED_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    if running is not None:
        return running
    with transaction.atomic():
        job = BatchJob(year=year, requested_by=user, backend=batch_backend())
        job.full_clean()
        job.save()
        BatchItem.objects.bulk_create([BatchItem(job=job, unit_year_id=pk) for pk in unit_year_ids], batch_size=500)
        # Workers read the items from the database: hand them over only once they are committed.
        transaction.on_commit(partial(batch_dispatch, job))
    return job


def batch_dispatch(job: BatchJob, *, item_ids: Iterable[int] | None = None) -> None:
    """Queue the job's open items (or ``item_ids``) on Celery, or run them in-process."""
    if item_ids is None:
        item_ids = job.items.filter(status__in=OPEN_ITEM_STATUSES).order_by("pk").values_list("pk", flat=True)
    item_ids = list(item_ids)
    if batch_backend() == "celery":
        from .tasks import batch_item_generate

        queued = 0
        try:
            for item_id in item_ids:
                batch_item_generate.delay(item_id)
                queued += 1
        except Exception as exc:  # the broker is unreachable: say so on every item not queued
            logger.exception("Batch %s: could not queue its tasks", job.pk)
            batch_items_fail(job_id=job.pk, item_ids=item_ids[queued:], error=f"无法提交到任务队列：{exc}")
        return
    if getattr(settings, "REPORTS_BATCH_SYNC", False):
        _run_in_process(item_ids)
        return
    thread = threading.Thread(target=_run_in_thread, args=(item_ids,), name=f"report-batch-{job.pk}", daemon=True)
    thread.start()


def _run_in_process(item_ids: list[int]) -> None:
    from .tasks import batch_item_generate

    for item_id in item_ids:
        # Task.apply runs the task here, with its automatic retries; the outcome is in the item.
        batch_item_generate.apply(args=(item_id,))


def _run_in_thread(item_ids: list[int]) -> None:
    try:
        _run_in_process(item_ids)
    except Exception:  # the items record their own errors; this is a database failure
        logger.exception("Batch report generation stopped")
    finally:
        connections.close_all()  # this thread's connections


def batch_item_run(*, item_id: int, final_attempt: bool) -> None:
    """One attempt at one unit-year's PDF. On failure the error is recorded and re-raised
    (so the task retries); on the final attempt the item is marked failed."""
    claimed = BatchItem.objects.filter(pk=item_id, status__in=OPEN_ITEM_STATUSES).update(
        status=ItemStatus.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return  # already generated (a message delivered twice) or deleted
    item = BatchItem.objects.select_related("unit_year__unit").get(pk=item_id)
    BatchJob.objects.filter(pk=item.job_id, status=BatchStatus.QUEUED).update(status=BatchStatus.RUNNING)
    try:
        unit_year = report_queryset().get(pk=item.unit_year_id)
        content = report_render_pdf(unit_year=unit_year)
        item.pdf.save(f"{unit_year.unit.code}-{unit_year.year}.pdf", ContentFile(content), save=False)
    except Exception as exc:
        item.status = ItemStatus.FAILED if final_attempt else ItemStatus.RETRYING
        item.error = _error_text(exc, attempt=item.attempts)
        item.save(update_fields=["status", "error", "updated_at"])
        logger.warning("Batch %s: PDF of %s failed (attempt %s): %s", item.job_id, item.unit_year, item.attempts, exc)
        if final_attempt:
            batch_job_finish_if_complete(job_id=item.job_id)
        raise
    item.status = ItemStatus.DONE
    item.error = ""
    item.save(update_fields=["status", "error", "pdf", "updated_at"])
    batch_job_finish_if_complete(job_id=item.job_id)


def batch_items_fail(*, job_id: int, item_ids: list[int], error: str) -> None:
    """Mark items failed without an attempt (they could not be run at all) and close the job
    if nothing else is left."""
    BatchItem.objects.filter(pk__in=item_ids, status__in=OPEN_ITEM_STATUSES).update(
        status=ItemStatus.FAILED, error=error[:ERROR_MAX_CHARS], updated_at=timezone.now()
    )
    batch_job_finish_if_complete(job_id=job_id)


def _error_text(exc: BaseException, *, attempt: int) -> str:
    message = str(exc).strip() or type(exc).__name__
    return f"第{attempt}次尝试失败：{message}"[:ERROR_MAX_CHARS]


def batch_job_finish_if_complete(*, job_id: int) -> None:
    """Close the job once no item is waiting or running. Each item's outcome is committed
    before this runs, so whichever worker finishes last sees every outcome."""
    if BatchItem.objects.filter(job_id=job_id, status__in=OPEN_ITEM_STATUSES).exists():
        return
    failed = BatchItem.objects.filter(job_id=job_id, status=ItemStatus.FAILED).exists()
    BatchJob.objects.filter(pk=job_id, finished_at__isnull=True).update(
        status=BatchStatus.DONE_WITH_FAILURES if failed else BatchStatus.DONE, finished_at=timezone.now()
    )


def batch_retry_failed(*, job: BatchJob, user) -> int:
    """Queue the failed items of a finished job again; returns how many."""
    if not job.is_finished:
        raise ValidationError("任务尚未完成，完成后才能重试失败的单位。")
    with transaction.atomic():
        item_ids = list(
            BatchItem.objects.for_user(user).filter(job=job, status=ItemStatus.FAILED).values_list("pk", flat=True)
        )
        if not item_ids:
            return 0
        BatchItem.objects.filter(pk__in=item_ids).update(status=ItemStatus.PENDING, updated_at=timezone.now())
        BatchJob.objects.filter(pk=job.pk).update(status=BatchStatus.RUNNING, finished_at=None, backend=batch_backend())
        transaction.on_commit(partial(batch_dispatch, job, item_ids=item_ids))
    return len(item_ids)


# -- the zip ---------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def batch_zip_entry_name(unit_year: UnitYear) -> str:
    """Unit code + the report's file name (Chinese is fine: zip marks the names UTF-8)."""
    return _UNSAFE.sub("_", f"{unit_year.unit.code}-{report_filename(unit_year=unit_year, kind='pdf')}")


def batch_zip_filename(job: BatchJob) -> str:
    return f"{job.year}年度部门整体支出绩效自评报告（批量{job.pk}）.zip"


class _ZipSink(io.RawIOBase):
    """A write-only, unseekable stream collecting what zipfile writes, drained chunk by chunk."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def batch_zip_stream(*, job: BatchJob, user) -> Iterator[bytes]:
    """The job's generated PDFs as one zip, produced while it is sent (never all in memory).
    Units that failed are listed in a text file inside, so none is missing without a word."""
    items = list(
        BatchItem.objects.for_user(user)
        .filter(job=job, status__in=(ItemStatus.DONE, ItemStatus.FAILED))
        .select_related("unit_year__unit")
        .order_by("unit_year__unit__code")
    )
    stamp = timezone.localtime(job.finished_at or timezone.now()).timetuple()[:6]
    sink = _ZipSink()
    missing: list[str] = []
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for item in items:
            if item.status == ItemStatus.FAILED:
                missing.append(f"{item.unit_year.unit.code}\t{item.unit_year.unit.name}\t{item.error}")
                continue
            info = zipfile.ZipInfo(batch_zip_entry_name(item.unit_year), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            try:
                source = item.pdf.open("rb")
            except (OSError, ValueError):
                missing.append(f"{item.unit_year.unit.code}\t{item.unit_year.unit.name}\t文件已丢失，请重新生成。")
                continue
            with source, archive.open(info, "w") as target:
                while chunk := source.read(ZIP_CHUNK):
                    target.write(chunk)
                    yield sink.drain()
        if missing:
            listing = "单位编码\t单位名称\t原因\n" + "\n".join(missing) + "\n"
            info = zipfile.ZipInfo("未生成的报告.txt", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, listing.encode("utf-8"))
    yield sink.drain()
