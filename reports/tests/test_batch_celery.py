"""Batch generation through Celery: a real Redis broker (database 15, emptied first) and a real
worker (Celery's embedded test worker, in a thread of this process), including a unit whose
render fails: retried with backoff by the broker, then reported."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from perfeval.celery import app
from reports import batch
from reports.models import BatchJob, BatchStatus, ItemStatus
from reports.tasks import batch_item_generate

REDIS_URL = os.environ.get("PERFEVAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.django_db(transaction=True)


def _close_worker_connections(**kwargs) -> None:
    connections.close_all()  # the worker thread's own connections, so the test database can go


@pytest.fixture
def celery_worker(settings):
    """Point the app at the test Redis and run one worker while the test runs."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (CI starts it; locally: redis-server): {exc}")
    client.flushdb()
    settings.CELERY_BROKER_URL = REDIS_URL
    saved = {key: app.conf.get(key) for key in ("broker_url", "worker_hijack_root_logger")}
    app.conf.update(broker_url=REDIS_URL, worker_hijack_root_logger=False)
    task_postrun.connect(_close_worker_connections)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)
        app.conf.update(saved)
        app.pool.force_close_all()
        client.flushdb()
        client.close()


def wait_until_finished(job: BatchJob, *, timeout: float = 60) -> BatchJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished_at is not None:
            return job
        time.sleep(0.1)
    raise AssertionError(f"batch not finished after {timeout} s: {list(job.items.values('status', 'attempts'))}")


def test_batch_through_celery_with_a_failing_unit(celery_worker, renderer, admin_user, year_a, year_b, year_c):
    assert batch_item_generate.max_retries == batch.MAX_RETRIES == 2
    renderer.fail_for = {"乙单位"}

    job = batch.batch_start(year=2024, user=admin_user)
    assert job.backend == "celery"
    job = wait_until_finished(job)

    assert job.status == BatchStatus.DONE_WITH_FAILURES
    items = {item.unit_year.unit.code: item for item in job.items.select_related("unit_year__unit")}
    assert {code: item.status for code, item in items.items()} == {
        "A001": ItemStatus.DONE,
        "B001": ItemStatus.FAILED,
        "C001": ItemStatus.DONE,
    }
    # The failing unit went through the broker three times (first try + two retries), counted.
    assert items["B001"].attempts == 3
    assert renderer.failures == 3
    assert items["B001"].error == "第3次尝试失败：模拟的渲染故障"
    assert items["A001"].attempts == items["C001"].attempts == 1

    # One PDF per generated unit in the zip, the failed one listed.
    archive = zipfile.ZipFile(io.BytesIO(b"".join(batch.batch_zip_stream(job=job, user=admin_user))))
    pdfs = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    assert pdfs == [
        "A001-甲单位2024年度部门整体支出绩效自评报告.pdf",
        "C001-丙单位_分局2024年度部门整体支出绩效自评报告.pdf",
    ]
    for name in pdfs:
        assert archive.read(name).startswith(b"%PDF-")
    assert "B001\t乙单位" in archive.read("未生成的报告.txt").decode()

    # Retry after the cause is fixed: queued on the broker again, and the job completes.
    renderer.fail_for = set()
    assert batch.batch_retry_failed(job=job, user=admin_user) == 1
    job = wait_until_finished(job)
    assert job.status == BatchStatus.DONE
    retried = job.items.get(unit_year=year_b)
    assert (retried.status, retried.attempts) == (ItemStatus.DONE, 4)
