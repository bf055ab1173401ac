"""我的工作, a year's 概况, the flow page (the timeline with the steps the user may take, one POST
endpoint per step), 修改记录 and creating the next year. Thin: the access policy
(``request.access``) says who may do what, the services in ``flow.services`` act."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from departments.models import UnitYear
from indicators.selectors import year_quality

from . import services as flow
from .forms import CommentForm, ReopenForm, SendBackForm, SubmitForm
from .selectors import history_entries, home_rows, who_acts_next, year_checklist


def _flow_url(unit_year: UnitYear) -> str:
    return reverse("flow:page", args=[unit_year.unit.code, unit_year.year])


@login_required
@require_safe
def flow_page(request, unit_code: str, year: int):
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    can = request.access.year(unit_year)
    actions = can.flow_steps
    changes = unit_year.status_changes.select_related("user").order_by("at", "id")
    return render(
        request,
        "flow/flow.html",
        {
            "unit_year": unit_year,
            "can": can,
            "timeline": [(c, flow.ACTION_LABELS.get(c.action, c.action)) for c in changes],
            "actions": actions,
            "who_acts_next": who_acts_next(unit_year),
            "findings": year_quality(unit_year) if flow.SUBMIT in actions else [],
            "submit_form": SubmitForm(),
            "send_back_form": SendBackForm(),
            "comment_form": CommentForm(),
            "reopen_form": ReopenForm(),
        },
    )


def _run(request, unit_code, year, form_class, action):
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
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


@login_required
@require_safe
def home(request):
    """我的工作: the unit-years the user may see, with what they should do next."""
    return render(request, "flow/home.html", {"rows": home_rows(request.access)})


@login_required
@require_safe
def help_page(request):
    """填报说明: each role's part of the year, the signed-in user's roles first."""
    access = request.access
    mine = {role for unit_id in access.unit_ids() for role in access.roles(unit_id)}
    if access.is_admin:
        mine |= {"admin"}
    return render(request, "flow/help.html", {"my_roles": mine})


@login_required
@require_safe
def year_detail(request, unit_code: str, year: int):
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    return render(
        request,
        "flow/year_detail.html",
        {
            "unit_year": unit_year,
            "can": request.access.year(unit_year),
            "checklist": year_checklist(unit_year),
            "who_acts_next": who_acts_next(unit_year),
        },
    )


@login_required
@require_safe
def history(request, unit_code: str, year: int):
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    page = Paginator(history_entries(unit_year), 50).get_page(request.GET.get("page"))
    return render(
        request, "flow/history.html", {"unit_year": unit_year, "can": request.access.year(unit_year), "page": page}
    )


@login_required
@require_POST
def next_year_create(request, unit_code: str, year: int):
    # The source year is usually finalised by now: only the role is required, not a draft.
    unit_year = request.access.get_year(unit_code=unit_code, year=year, need="create_next_year")
    try:
        nxt = flow.unit_year_create_next(unit_year=unit_year, user=request.user)
    except flow.NextYearExists as exists:
        messages.info(request, str(exists))
        return redirect("flow:year_detail", unit_code, year + 1)
    messages.success(
        request,
        f"已创建{nxt.year}年度，并从{year}年度复制了基本信息、职责、机构设置和项目名称；{year}年度的数据已填入“上年数”。",
    )
    return redirect("departments:profile", unit_code, nxt.year)
