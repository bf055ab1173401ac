"""The finance bureau's pages: 全部单位总览 (all units × years), its Excel export, and one unit's
years side by side with charts. Administrators only (403 for everyone else); thin views over
``overview.selectors`` (reads), ``overview.services`` (Excel) and ``overview.charts``."""

from __future__ import annotations

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from departments.models import Unit
from perfeval.paging import page_by_keys
from perfeval.xlsx import XLSX_CONTENT_TYPE

from . import charts
from .rows import overview_rows_html
from .selectors import (
    COLUMNS,
    PAGE_SIZE,
    overview_filter_form,
    overview_queryset,
    overview_status_counts,
    summary_rows,
    unit_years_side_by_side,
)
from .services import overview_export_stream


def _filtered(request):
    form = overview_filter_form(request.GET or None)
    filters = form.values() if request.GET else {"sort": "code", "per_page": PAGE_SIZE}
    return form, filters, overview_queryset(filters)


@login_required
@require_safe
def overview(request):
    request.access.require_overview()
    form, filters, queryset = _filtered(request)
    # The sort runs on the keys alone; the page's summaries are then read with their units.
    page = page_by_keys(
        queryset.select_related(None),
        request.GET.get("page"),
        filters["per_page"],
        fetch=summary_rows,
    )
    return render(
        request,
        "overview/overview.html",
        {
            "form": form,
            "filters": filters,
            "columns": COLUMNS,
            "sort": filters["sort"],
            "page": page,
            "rows_html": overview_rows_html(page.object_list),
            "status_counts": overview_status_counts(filters),
        },
    )


@login_required
@require_safe
def overview_export(request):
    request.access.require_overview()
    _form, _filters, queryset = _filtered(request)
    # Rows are read in chunks and written as they come; the file is sent in chunks.
    stream = overview_export_stream(summaries=queryset.iterator(chunk_size=500))
    response = StreamingHttpResponse(stream, content_type=XLSX_CONTENT_TYPE)
    filename = f"全部单位总览-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_safe
def unit_overview(request, unit_code: str):
    request.access.require_overview()
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=unit_code)
    columns = unit_years_side_by_side(unit)
    shown = [
        (kind, title, charts.unit_chart_data_uri(kind=kind, columns=columns)) for kind, title in charts.CHARTS.items()
    ]
    return render(request, "overview/unit_overview.html", {"unit": unit, "columns": columns, "charts": shown})


# The SVG is an image document of its own: pygal's <style> inside it needs inline styles, and
# nothing else (no script, no fetches).
@csp_replace(
    {
        "default-src": [NONE],
        "style-src": [UNSAFE_INLINE],
        "script-src": [NONE],
        "img-src": [NONE],
        "font-src": [NONE],
        "connect-src": [NONE],
    }
)
@login_required
@require_safe
def unit_chart(request, unit_code: str, kind: str):
    request.access.require_overview()
    if kind not in charts.CHARTS:
        raise Http404("没有这个图表。")
    unit = get_object_or_404(Unit, code=unit_code)
    svg = charts.unit_chart_svg(kind=kind, columns=unit_years_side_by_side(unit))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response
