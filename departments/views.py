"""基本信息 (profile, duties, organisation) of a unit-year. Thin: who may do what from the access
policy (``request.access``), writes in ``departments.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from .forms import DutyFormSet, OrganFormSet, ProfileForm
from .services import (
    LARGE_TEXT_SESSION_KEY,
    EditConflict,
    posted_version,
    unit_year_save_profile,
    user_preference_set_large_text,
)


@login_required
@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """大字号 on or off for the signed-in user (remembered), then back to the page it came from."""
    large = request.POST.get("large_text") == "1"
    user_preference_set_large_text(user=request.user, large_text=large)  # type: ignore[arg-type]
    request.session[LARGE_TEXT_SESSION_KEY] = large
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    return redirect(back)


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
