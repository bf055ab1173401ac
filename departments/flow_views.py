"""The flow pages of a unit-year: the timeline with the steps the user may take, and one POST
endpoint per step. Thin: the services in ``departments.flow`` decide who may do what."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from indicators.forms import CommentForm, ReopenForm, SendBackForm, SubmitForm
from indicators.selectors import year_quality

from . import flow
from .models import UnitYear
from .permissions import unit_year_for_view


def _flow_url(unit_year: UnitYear) -> str:
    return reverse("departments:flow", args=[unit_year.unit.code, unit_year.year])


@login_required
def flow_page(request, unit_code: str, year: int):
    unit_year = unit_year_for_view(request.user, unit_code=unit_code, year=year)
    actions = flow.allowed_actions(request.user, unit_year)
    changes = unit_year.status_changes.select_related("user").order_by("at", "id")
    return render(
        request,
        "departments/flow.html",
        {
            "unit_year": unit_year,
            "timeline": [(c, flow.ACTION_LABELS.get(c.action, c.action)) for c in changes],
            "actions": actions,
            "findings": year_quality(unit_year) if flow.SUBMIT in actions else [],
            "submit_form": SubmitForm(),
            "send_back_form": SendBackForm(),
            "comment_form": CommentForm(),
            "reopen_form": ReopenForm(),
        },
    )


def _run(request, unit_code, year, form_class, action):
    unit_year = unit_year_for_view(request.user, unit_code=unit_code, year=year)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(_flow_url(unit_year))
    try:
        change = action(unit_year, form.cleaned_data)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        label = flow.ACTION_LABELS[change.action]
        messages.success(request, f"已{label}，当前状态：{unit_year.get_status_display()}。")
    return redirect(_flow_url(unit_year))


@login_required
@require_POST
def flow_submit(request, unit_code: str, year: int):
    return _run(
        request,
        unit_code,
        year,
        SubmitForm,
        lambda uy, d: flow.year_submit(
            unit_year=uy, user=request.user, comment=d["comment"], acknowledge_warnings=d["acknowledge"]
        ),
    )


@login_required
@require_POST
def flow_start(request, unit_code: str, year: int):
    return _run(
        request,
        unit_code,
        year,
        CommentForm,
        lambda uy, d: flow.year_start_evaluation(unit_year=uy, user=request.user, comment=d["comment"]),
    )


@login_required
@require_POST
def flow_send_back(request, unit_code: str, year: int):
    return _run(
        request,
        unit_code,
        year,
        SendBackForm,
        lambda uy, d: flow.year_send_back(unit_year=uy, user=request.user, reasons=d["reasons"], comment=d["comment"]),
    )


@login_required
@require_POST
def flow_finalise(request, unit_code: str, year: int):
    return _run(
        request,
        unit_code,
        year,
        CommentForm,
        lambda uy, d: flow.year_finalise(unit_year=uy, user=request.user, comment=d["comment"]),
    )


@login_required
@require_POST
def flow_reopen(request, unit_code: str, year: int):
    return _run(
        request,
        unit_code,
        year,
        ReopenForm,
        lambda uy, d: flow.year_reopen(unit_year=uy, user=request.user, comment=d["comment"], to_status=d["to_status"]),
    )
