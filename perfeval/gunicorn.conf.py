"""gunicorn settings: `gunicorn -c perfeval/gunicorn.conf.py perfeval.wsgi`.

Every value can be overridden from the environment. Workers are bounded in time (``timeout``
kills a worker stuck in a runaway request such as a PDF render) and in memory (an address-space
limit per worker, and recycling after ``max_requests``).
"""

import multiprocessing
import os
import resource

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# The app's PDF limit (settings.REPORT_PDF_TIMEOUT, default 45) must end first, so the user gets
# the app's 503 page instead of a killed worker.
if int(os.environ.get("REPORT_PDF_TIMEOUT", "45")) >= timeout:
    raise SystemExit(f"REPORT_PDF_TIMEOUT must be shorter than GUNICORN_TIMEOUT ({timeout} s).")
if int(os.environ.get("REPORT_PDF_WAIT", "20")) >= timeout:  # a download waiting on a background render
    raise SystemExit(f"REPORT_PDF_WAIT must be shorter than GUNICORN_TIMEOUT ({timeout} s).")
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

WORKER_MEMORY_MB = int(os.environ.get("PERFEVAL_WORKER_MEMORY_MB", "2048"))


def post_fork(server, worker):
    """Bound each worker's address space: a pathological render fails with MemoryError in that
    request instead of exhausting the machine."""
    if WORKER_MEMORY_MB > 0:
        limit = WORKER_MEMORY_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
