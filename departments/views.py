"""基本信息 (profile, duties, organisation) of a unit-year. Thin: who may do what from the access
policy (``request.access``), writes in ``departments.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import DutyFormSet, OrganFormSet, ProfileForm
from .services import EditConflict, posted_version, unit_year_save_profile


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    unit_year = access.get_year(unit_code=unit_code, year=year, need="edit" if request.method == "POST" else None)
    can = access.year(unit_year)
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
            "can": can,
            "editable": can.edit,
            "version": version,
            "form": form,
            "duties": duties,
            "organs": organs,
        },
    )
