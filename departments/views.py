"""Pages of a unit-year: overview, 基本信息 (profile, duties, organisation), 文字说明, 修改记录,
and creating the next year. Thin: permissions from ``unit_year_for_view``, writes in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from budgets.checks import year_checks
from budgets.figures import year_figures
from budgets.selectors import unit_years_with_figures

from .forms import TEXT_SECTIONS, DutyFormSet, OrganFormSet, ProfileForm, TextsForm
from .models import Role
from .permissions import can_edit, unit_year_for_view
from .selectors import history_entries, home_rows
from .services import (
    EditConflict,
    NextYearExists,
    posted_version,
    unit_year_create_next,
    unit_year_save_profile,
    unit_year_save_texts,
)


def _unit_year(request, unit_code: str, year: int, *, queryset=None):
    write = request.method == "POST"
    return unit_year_for_view(
        request.user,
        unit_code=unit_code,
        year=year,
        roles=(Role.OFFICER,) if write else (),
        editable=write,
        queryset=queryset,
    )


@login_required
@require_safe
def home(request):
    return render(request, "departments/home.html", {"rows": home_rows(request.user)})


@login_required
@require_safe
def year_detail(request, unit_code: str, year: int):
    unit_year = unit_year_for_view(request.user, unit_code=unit_code, year=year)
    return render(request, "departments/year_detail.html", {"unit_year": unit_year})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, unit_code: str, year: int):
    unit_year = _unit_year(request, unit_code, year)
    data = request.POST if request.method == "POST" else None
    version = unit_year.version
    form = ProfileForm(data, instance=unit_year)
    duties = DutyFormSet(data, instance=unit_year, prefix="duties")
    organs = OrganFormSet(data, instance=unit_year, prefix="organs")
    if request.method == "POST":
        if all([form.is_valid(), duties.is_valid(), organs.is_valid()]):
            try:
                unit_year_save_profile(
                    unit_year=unit_year,
                    user=request.user,
                    expected_version=posted_version(request.POST),
                    profile_form=form,
                    duty_formset=duties,
                    organ_formset=organs,
                )
            except EditConflict as conflict:
                messages.error(request, conflict.message)
            else:
                messages.success(request, "基本信息已保存。")
                return redirect("departments:profile", unit_code, year)
        else:
            messages.error(request, "有填写错误，请按红色提示修改后再保存。未保存任何内容。")
    return render(
        request,
        "departments/profile.html",
        {
            "unit_year": unit_year,
            "editable": can_edit(request.user, unit_year),
            "version": version,
            "form": form,
            "duties": duties,
            "organs": organs,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def texts_edit(request, unit_code: str, year: int):
    unit_year = _unit_year(request, unit_code, year, queryset=unit_years_with_figures())
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
                return redirect("departments:texts", unit_code, year)
        else:
            messages.error(request, "有填写错误，请修改后再保存。未保存任何内容。")
    figures = year_figures(unit_year)
    sections = [(title, [form[name] for name in names]) for title, names in TEXT_SECTIONS]
    return render(
        request,
        "departments/texts.html",
        {
            "unit_year": unit_year,
            "editable": can_edit(request.user, unit_year),
            "version": version,
            "form": form,
            "sections": sections,
            "figures": figures,
            "checks": [c for c in year_checks(figures, unit_year) if c.source == "text"],
        },
    )


@login_required
@require_safe
def history(request, unit_code: str, year: int):
    unit_year = unit_year_for_view(request.user, unit_code=unit_code, year=year)
    page = Paginator(history_entries(unit_year), 50).get_page(request.GET.get("page"))
    return render(request, "departments/history.html", {"unit_year": unit_year, "page": page})


@login_required
@require_POST
def next_year_create(request, unit_code: str, year: int):
    # The source year is usually finalised by now: only the role is required, not a draft.
    unit_year = unit_year_for_view(request.user, unit_code=unit_code, year=year, roles=(Role.OFFICER,))
    try:
        nxt = unit_year_create_next(unit_year=unit_year, user=request.user)
    except NextYearExists as exists:
        messages.info(request, str(exists))
        return redirect("departments:year_detail", unit_code, year + 1)
    messages.success(
        request,
        f"已创建{nxt.year}年度，并从{year}年度复制了基本信息、职责、机构设置和项目名称；{year}年度的数据已填入“上年数”。",
    )
    return redirect("departments:profile", unit_code, nxt.year)
