"""Report pages and downloads. Thin: permission via ``unit_year_for_view``, content from
``reports.services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from departments.permissions import unit_year_for_view

from . import services
from .pdf import ReportRenderTimeout
from .selectors import leadership_rows, report_queryset


def _unit_year(request, unit_code: str, year: int):
    return unit_year_for_view(request.user, unit_code=unit_code, year=year, queryset=report_queryset())


def _download(rendered: services.RenderedFile) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(True, rendered.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def index(request):
    """The leadership page: every unit-year the user may see, with score and downloads."""
    return render(request, "reports/index.html", {"rows": leadership_rows(request.user)})


@require_GET
@login_required
def report(request, unit_code: str, year: int):
    unit_year = _unit_year(request, unit_code, year)
    context = services.report_context(unit_year=unit_year)
    return render(request, "reports/report_page.html", {"unit_year": unit_year, **context})


@require_GET
@login_required
def report_pdf(request, unit_code: str, year: int):
    unit_year = _unit_year(request, unit_code, year)
    try:
        rendered = services.report_render(unit_year=unit_year, fmt="pdf")
    except ReportRenderTimeout:
        return HttpResponse("报告生成超时，请稍后重试。", status=503, content_type="text/plain; charset=utf-8")
    return _download(rendered)


@require_GET
@login_required
def report_xlsx(request, unit_code: str, year: int):
    unit_year = _unit_year(request, unit_code, year)
    return _download(services.report_render(unit_year=unit_year, fmt="xlsx"))
