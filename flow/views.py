"""我的工作, a year's 概况, the flow page (the timeline with the steps the user may take, one POST
endpoint per step), 修改记录 and creating the next year. Thin: the access policy
(``request.access``) says who may do what, the services in ``flow.services`` act."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from budgets.figures import figure_prefetch, year_figures
from budgets.models import ProjectLine
from departments.models import UnitYear
from indicators.models import Indicator
from indicators.selectors import submission_quality, with_rules_in_force, year_score
from perfeval.formatting import display_name

from . import services as flow
from .findings import year_findings
from .forms import CommentForm, ExplainForm, ReopenForm, SendBackForm, SubmitForm
from .rows import history_rows_html, home_rows_html
from .selectors import (
    HISTORY_KINDS,
    HistoryFilter,
    history_page,
    history_people,
    home_page,
    who_acts_next,
    year_checklist,
)


def _flow_url(unit_year: UnitYear) -> str:
    return reverse("flow:page", args=[unit_year.unit.code, unit_year.year])


# What the person at 送审 or 定稿 is shown besides the timeline: the year's money lines (the
# 数据校验 findings, the execution rate), each project line with its evaluation in the same query
# (送审 checks the tables of the projects marked for evaluation), every indicator (the quality
# findings at 送审, the total at 定稿).
SIGNING_PREFETCH = (
    *figure_prefetch(project_lines=ProjectLine.objects.select_related("evaluation")),
    Prefetch("indicators", queryset=Indicator.objects.ordered()),
)


@login_required
@require_safe
def flow_page(request, unit_code: str, year: int):
    # The year with its scoring record (定稿) and the rules in force (送审's quality findings) …
    unit_year = request.access.get_year(
        unit_code=unit_code,
        year=year,
        queryset=with_rules_in_force(UnitYear.objects.select_related("scoring", "scoring__confirmed_by")),
    )
    can = request.access.year(unit_year)
    actions = can.flow_steps
    changes = unit_year.status_changes.select_related("user").order_by("at", "id")
    # The 数据校验 findings are put in front of whoever takes 送审 or 定稿; 定稿 needs each one
    # resolved or explained. The 定稿 card also shows the result the leader signs.
    signing = flow.SUBMIT in actions or flow.FINALISE in actions
    if signing:  # … and what the signer is shown, once (nobody else is shown it)
        prefetch_related_objects([unit_year], *SIGNING_PREFETCH)
    findings = year_findings(unit_year, figures=year_figures(unit_year)) if signing else []
    result = scoring = None
    if flow.FINALISE in actions:
        scoring = getattr(unit_year, "scoring", None)
        result = year_score(unit_year, rules=scoring.rules if scoring else None)
    return render(
        request,
        "flow/flow.html",
        {
            "unit_year": unit_year,
            "can": can,
            "timeline": [(c, flow.ACTION_LABELS.get(c.action, c.action)) for c in changes],
            "actions": actions,
            "who_acts_next": who_acts_next(unit_year),
            "findings": submission_quality(unit_year) if flow.SUBMIT in actions else [],
            "submit_form": SubmitForm(),
            "send_back_form": SendBackForm(),
            "comment_form": CommentForm(),
            "reopen_form": ReopenForm(),
            "check_findings": findings,
            "open_check_count": sum(1 for f in findings if f.is_open),
            "scoring": scoring,
            "result": result,
        },
    )


def _run(request, unit_code, year, capability, form_class, action):
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    # The role first: someone who may never take this step gets 403, not the form's errors.
    # A wrong status is the flow's to explain (a message on the flow page).
    request.access.year(unit_year).require_role(capability)
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
        flow.SUBMIT,
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
        flow.START,
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
        flow.SEND_BACK,
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
        flow.FINALISE,
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
        flow.REOPEN,
        ReopenForm,
        lambda uy, d: flow.year_reopen(unit_year=uy, user=request.user, comment=d["comment"], to_status=d["to_status"]),
    )


@login_required
@require_POST
def flow_explain(request, unit_code: str, year: int):
    """Explain one 数据校验 finding in writing (the officer at 送审, the leader at 定稿)."""
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    request.access.year(unit_year).require_explain_findings()
    form = ExplainForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(_flow_url(unit_year))
    try:
        flow.check_explain(
            unit_year=unit_year,
            user=request.user,
            key=form.cleaned_data["key"],
            explanation=form.cleaned_data["explanation"],
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, "已保存说明。")
    return redirect(_flow_url(unit_year) + "#checks")


@login_required
@require_safe
def home(request):
    """我的工作: the unit-years the user may see, with what they should do next."""
    page = home_page(request.access, request.GET.get("page"))
    rows_html = home_rows_html(page.object_list, csrf_token=get_token(request))
    return render(request, "flow/home.html", {"rows": page.object_list, "page": page, "rows_html": rows_html})


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
    # The checklist reads the group and the scoring record: joined, not fetched one by one.
    unit_year = request.access.get_year(
        unit_code=unit_code, year=year, queryset=UnitYear.objects.select_related("scoring", "evaluation_group")
    )
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
    filters = HistoryFilterForm(request.GET, people=history_people(unit_year))
    flt = filters.history_filter() if filters.is_valid() else HistoryFilter()
    page = history_page(unit_year, request.GET.get("page"), flt)
    return render(
        request,
        "flow/history.html",
        {
            "unit_year": unit_year,
            "can": request.access.year(unit_year),
            "page": page,
            "rows_html": history_rows_html(page.object_list),
            "filters": filters,
        },
    )


class HistoryFilterForm(forms.Form):
    """The filters of 修改记录: who, what kind of record, from / to a date."""

    who = forms.ModelChoiceField(label="修改人", queryset=None, required=False, empty_label="全部")
    kind = forms.ChoiceField(label="内容", choices=[("", "全部"), *HISTORY_KINDS], required=False)
    since = forms.DateField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name in ("since", "until") else "form-select form-select-sm"
            )
        who = self.fields["who"]
        assert isinstance(who, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        who.queryset = people
        who.label_from_instance = display_name

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("开始日期不能晚于结束日期。")
        return data

    def history_filter(self) -> HistoryFilter:
        data = self.cleaned_data
        return HistoryFilter(
            user_id=data["who"].pk if data.get("who") else None,
            kind=data.get("kind") or "",
            since=data.get("since"),
            until=data.get("until"),
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
