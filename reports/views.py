"""Report pages and downloads, the report's narrative (文字说明) and batch generation. Thin: who
may do what from the access policy (``request.access``), content from ``reports.services``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budgets.checks import year_checks
from budgets.figures import year_figures
from budgets.selectors import unit_years_with_figures
from departments.services import EditConflict, posted_version, unit_year_save_texts

from . import batch, prerender, services
from .batch_reads import batch_job_for_view, batch_progress, batch_recent_jobs, batch_years
from .data import report_document_title, report_queryset
from .forms import TEXT_SECTIONS, BatchStartForm, TextsForm
from .pdf import ReportRenderTimeout
from .rows import leadership_rows_html
from .selectors import leadership_rows


def _unit_year(request, unit_code: str, year: int):
    return request.access.get_year(unit_code=unit_code, year=year, queryset=report_queryset())


def _download(rendered: services.RenderedFile) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(True, rendered.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def index(request):
    """The leadership page: every unit-year the user may see, with score and downloads."""
    years = batch_years(request.access)
    rows = leadership_rows(request.access, request.GET.get("page"))
    context = {
        "rows": rows,
        "rows_html": leadership_rows_html(rows),
        "batch_form": BatchStartForm(years=years) if years else None,
        "batch_jobs": batch_recent_jobs(request.user) if years else [],
    }
    return render(request, "reports/index.html", context)


@require_GET
@login_required
def report(request, unit_code: str, year: int):
    # As the PDF: the year alone, then the report's body stored for its current state (or made
    # now); the tabs and buttons around it are the user's own.
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    return render(
        request,
        "reports/report_page.html",
        {
            "unit_year": unit_year,
            "can": request.access.year(unit_year),
            "document_title": report_document_title(unit_year),
            "body": services.report_preview_body(unit_year=unit_year),
        },
    )


@require_GET
@login_required
def report_pdf(request, unit_code: str, year: int):
    # The year alone (one query): a PDF stored for its current state is served without
    # assembling the report; otherwise the whole report is loaded and rendered.
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    try:
        content = services.report_cached_pdf(unit_year=unit_year)
        if content is None and prerender.can_wait():
            # Rendered off the request (shared with the pre-render): the download waits a
            # while, then answers a page that follows the render until the PDF is ready.
            if prerender.request_render(unit_year.pk).failed:
                raise ReportRenderTimeout
            content = prerender.wait_for_pdf(unit_year, seconds=settings.REPORT_PDF_WAIT)
            if content is None:
                rendering = prerender.request_render(unit_year.pk)
                if rendering.failed:
                    raise ReportRenderTimeout
                return _pdf_pending(request, unit_year, rendering)
        elif content is None:
            found = services.report_pdf_for_year(unit_year_id=unit_year.pk)
            if found is None:
                raise Http404
            content = found[1]
        rendered = services.RenderedFile(
            content=content,
            filename=services.report_filename(unit_year=unit_year, kind="pdf"),
            content_type=services.CONTENT_TYPES["pdf"],
        )
    except ReportRenderTimeout:
        return HttpResponse("报告生成超时，请稍后重试。", status=503, content_type="text/plain; charset=utf-8")
    return _download(rendered)


def _pdf_pending(request, unit_year, rendering: prerender.Rendering) -> HttpResponse:
    """报告正在生成: reloads itself every few seconds; the PDF downloads once it is ready."""
    expected = rendering.expected
    progress = None
    if expected:  # estimated from the year's last render
        progress = min(95, int(100 * rendering.elapsed / expected))
    response = render(
        request,
        "reports/pdf_pending.html",
        {
            "unit_year": unit_year,
            "elapsed": int(rendering.elapsed),
            "expected": max(1, round(expected)) if expected is not None else None,
            "progress": progress,
            "refresh": PENDING_REFRESH_SECONDS,
        },
        status=202,
    )
    response["Retry-After"] = str(PENDING_REFRESH_SECONDS)
    return response


PENDING_REFRESH_SECONDS = 5


def _stored_download(request, unit_code: str, year: int, kind: str, made_once) -> HttpResponse:
    """As the PDF: the year alone, then the file stored for its current state (or made now)."""
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    return _download(
        services.RenderedFile(
            content=made_once(unit_year=unit_year),
            filename=services.report_filename(unit_year=unit_year, kind=kind),
            content_type=services.CONTENT_TYPES[kind],
        )
    )


@require_GET
@login_required
def report_docx(request, unit_code: str, year: int):
    """The report as an editable Word file (same access as the PDF)."""
    return _stored_download(request, unit_code, year, "docx", services.report_docx_for_year)


@require_GET
@login_required
def report_xlsx(request, unit_code: str, year: int):
    """The 自评表 workbook (same access as the PDF)."""
    return _stored_download(request, unit_code, year, "xlsx", services.report_xlsx_for_year)


@login_required
@require_http_methods(["GET", "POST"])
def texts_edit(request, unit_code: str, year: int):
    """文字说明: the explanations of the figures and the narrative sections 三、五、六、七."""
    unit_year = request.access.get_year(
        unit_code=unit_code,
        year=year,
        queryset=unit_years_with_figures(),
        need="edit" if request.method == "POST" else None,
    )
    can = request.access.year(unit_year)
    version = unit_year.version
    form = TextsForm(request.POST if request.method == "POST" else None, instance=unit_year)
    if request.method == "POST":
        if form.is_valid():
            try:
                unit_year_save_texts(
                    unit_year=unit_year, user=request.user, expected_version=posted_version(request.POST), form=form
                )
            except EditConflict as conflict:
                messages.error(request, conflict.message)
            else:
                messages.success(request, "文字说明已保存。")
                return redirect("reports:texts", unit_code, year)
        else:
            messages.error(request, "有填写错误，请修改后再保存。未保存任何内容。")
    figures = year_figures(unit_year)
    sections = [(title, [form[name] for name in names]) for title, names in TEXT_SECTIONS]
    return render(
        request,
        "reports/texts.html",
        {
            "unit_year": unit_year,
            "can": can,
            "editable": can.edit,
            "version": version,
            "form": form,
            "sections": sections,
            "figures": figures,
            "checks": [c for c in year_checks(figures, unit_year) if c.source == "text"],
        },
    )


# -- batch generation ------------------------------------------------------------------------


@require_POST
@login_required
def batch_start(request):
    """Start generating every PDF of a year the user leads (administrators: every unit)."""
    years = batch_years(request.access)
    if not years:
        raise PermissionDenied("只有单位领导和管理员可以批量生成报告。")
    form = BatchStartForm(request.POST, years=years)
    if not form.is_valid():
        messages.error(request, "请选择有效的年度。")
        return redirect("reports:index")
    try:
        job = batch.batch_start(year=form.cleaned_data["year"], user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("reports:index")
    return redirect("reports:batch_detail", pk=job.pk)


@require_GET
@login_required
def batch_detail(request, pk: int):
    job = batch_job_for_view(request.user, pk)
    return render(request, "reports/batch_detail.html", {"job": job, "progress": batch_progress(job)})


@require_GET
@never_cache
@login_required
def batch_progress_json(request, pk: int):
    job = batch_job_for_view(request.user, pk)
    return JsonResponse(batch_progress(job).as_json(), json_dumps_params={"ensure_ascii": False})


@require_POST
@login_required
def batch_retry(request, pk: int):
    job = batch_job_for_view(request.user, pk)
    try:
        count = batch.batch_retry_failed(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if count:
            messages.success(request, f"已重新安排 {count} 个失败的单位。")
        else:
            messages.info(request, "没有需要重试的单位。")
    return redirect("reports:batch_detail", pk=job.pk)


@require_GET
@login_required
def batch_zip(request, pk: int):
    job = batch_job_for_view(request.user, pk)
    response = StreamingHttpResponse(batch.batch_zip_stream(job=job, user=request.user), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, batch.batch_zip_filename(job))
    response["X-Content-Type-Options"] = "nosniff"
    return response
