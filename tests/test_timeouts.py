"""Issue 15 item 3: the app's PDF limit ends before gunicorn kills the worker, and the user sees
the app's own 503 page (in its layout) rather than a killed worker's 500."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import HttpResponse
from django.test import RequestFactory

from perfeval.checks import pdf_timeout_below_worker_timeout
from perfeval.middleware import ServiceUnavailablePageMiddleware

GUNICORN_CONF = Path(settings.BASE_DIR) / "perfeval" / "gunicorn.conf.py"


def test_the_pdf_limit_is_shorter_than_the_worker_timeout_by_default():
    assert settings.REPORT_PDF_TIMEOUT < settings.GUNICORN_TIMEOUT
    assert pdf_timeout_below_worker_timeout(None) == []
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["timeout"] == settings.GUNICORN_TIMEOUT


def test_a_pdf_limit_not_below_the_worker_timeout_fails_the_checks(settings):
    settings.REPORT_PDF_TIMEOUT = 60
    settings.GUNICORN_TIMEOUT = 60
    errors = pdf_timeout_below_worker_timeout(None)
    assert [e.id for e in errors] == ["perfeval.E001"]
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_gunicorn_refuses_to_start_with_the_pdf_limit_not_below_its_timeout():
    env = {**os.environ, "REPORT_PDF_TIMEOUT": "60", "GUNICORN_TIMEOUT": "60"}
    code = f"import runpy; runpy.run_path({str(GUNICORN_CONF)!r})"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "REPORT_PDF_TIMEOUT must be shorter than GUNICORN_TIMEOUT" in result.stderr


@pytest.mark.django_db
def test_a_plain_503_is_shown_in_the_apps_layout(admin_user):
    request = RequestFactory().get("/u/x/2024/report.pdf")
    request.user = admin_user
    middleware = ServiceUnavailablePageMiddleware(
        lambda r: HttpResponse("报告生成超时，请稍后重试。", status=503, content_type="text/plain; charset=utf-8")
    )
    response = middleware(request)
    page = response.content.decode()
    assert response.status_code == 503
    assert 'data-testid="error-503"' in page and "报告生成超时，请稍后重试。" in page
    assert "<nav" in page or "navbar" in page  # the app's layout, not a bare text answer
