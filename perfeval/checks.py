"""System checks for settings that only work together."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def pdf_timeout_below_worker_timeout(app_configs, **kwargs) -> list[Error]:
    """The app's PDF limit must end a render before gunicorn kills the worker, or the user gets
    a killed worker's 500 instead of the app's 503 page."""
    pdf, worker = settings.REPORT_PDF_TIMEOUT, settings.GUNICORN_TIMEOUT
    errors = []
    if pdf >= worker:
        errors.append(
            Error(
                f"REPORT_PDF_TIMEOUT ({pdf} s) must be shorter than GUNICORN_TIMEOUT ({worker} s).",
                hint="Lower REPORT_PDF_TIMEOUT (default 45) or raise GUNICORN_TIMEOUT.",
                id="perfeval.E001",
            )
        )
    wait = getattr(settings, "REPORT_PDF_WAIT", 0)
    if wait >= worker:
        errors.append(
            Error(
                f"REPORT_PDF_WAIT ({wait} s) must be shorter than GUNICORN_TIMEOUT ({worker} s).",
                hint="Lower REPORT_PDF_WAIT (default 20) or raise GUNICORN_TIMEOUT.",
                id="perfeval.E002",
            )
        )
    return errors
