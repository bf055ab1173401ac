"""Celery tasks. Queued on the broker when CELERY_BROKER_URL is set; otherwise the same task runs
in-process through ``Task.apply`` (see ``reports.batch.batch_dispatch``)."""

from __future__ import annotations

from celery import shared_task

from .batch import MAX_RETRIES, batch_item_run


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    max_retries=MAX_RETRIES,
    retry_backoff=True,  # 1 s, 2 s, 4 s … (with jitter), at most a minute
    retry_backoff_max=60,
    retry_jitter=True,
    acks_late=True,
    ignore_result=True,  # the outcome lives in BatchItem
)
def batch_item_generate(self, item_id: int) -> None:
    """Generate one unit-year's PDF of a batch."""
    batch_item_run(item_id=item_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(ignore_result=True, acks_late=True)
def report_prerender(unit_year_id: int) -> None:
    """Render a changed year's PDF into the shared cache (see ``reports.prerender``)."""
    from .prerender import prerender

    prerender(unit_year_id)
