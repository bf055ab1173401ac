"""The year's money: the 收支与项目 form, the 数据校验 panel and Excel download/upload.
Thin: who may do what from the access policy (``request.access``), writes in ``budgets.services``."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from departments.services import EditConflict, posted_version
from perfeval.xlsx import XLSX_CONTENT_TYPE

from . import excel
from .checks import year_checks
from .figures import year_figures
from .forms import COLUMN_HELP, ProjectFormSet, amounts_forms, mark_errors, three_public_forms
from .models import IncomeSource, ProjectKind, ProjectLine, SpendingKind, ThreePublicKind
from .selectors import unit_years_with_figures
from .services import ProjectData, ProjectsInUse, YearData, figures_replace, year_data_of

INDENTED = {IncomeSource.GENERAL_PUBLIC, SpendingKind.PERSONNEL, SpendingKind.PUBLIC}


def _unit_year(request, unit_code: str, year: int):
    """The year with its money lines; a POST needs the right to edit (the unit's finance
    officer, while the year is a draft)."""
    return request.access.get_year(
        unit_code=unit_code,
        year=year,
        queryset=unit_years_with_figures(),
        need="edit" if request.method == "POST" else None,
    )


def _forms(unit_year, data=None):
    income_lines = {line.source: line for line in unit_year.income_lines.all()}
    spending_lines = {line.kind: line for line in unit_year.spending_lines.all()}
    tp_lines = {line.kind: line for line in unit_year.three_public_lines.all()}
    projects = unit_year.project_lines.all()  # prefetched: the formset reads the cache
    return {
        "income": amounts_forms(data, income_lines, IncomeSource, prefix="income"),
        "spending": amounts_forms(data, spending_lines, SpendingKind, prefix="spending"),
        "three_public": three_public_forms(data, tp_lines),
        "projects": ProjectFormSet(data, queryset=projects, prefix="projects"),
    }


def _year_data(forms) -> YearData:
    projects = []
    formset = forms["projects"]
    for position, form in enumerate(formset.forms):
        if form in formset.deleted_forms or (form.instance.pk is None and not form.has_changed()):
            continue
        cd = form.cleaned_data
        projects.append(
            (
                cd.get("order") if cd.get("order") is not None else 9999,
                position,
                ProjectData(
                    name=cd["name"],
                    initial_budget=cd.get("initial_budget"),
                    full_year_budget=cd.get("full_year_budget"),
                    actual=cd.get("actual"),
                    usage=cd.get("usage", ""),
                    kind=cd.get("kind") or ProjectKind.PROJECT,
                    pk=form.instance.pk,
                ),
            )
        )
    return YearData(
        income={k: f.cleaned_data for k, f in forms["income"].items()},
        spending={k: f.cleaned_data for k, f in forms["spending"].items()},
        three_public={k: f.cleaned_data for k, f in forms["three_public"].items()},
        projects=[p for _, _, p in sorted(projects, key=lambda t: (t[0], t[1]))],
    )


def _all_valid(forms) -> bool:
    results = [f.is_valid() for group in ("income", "spending", "three_public") for f in forms[group].values()]
    return all(results) & forms["projects"].is_valid()


def _labelled_forms(forms):
    """(row label, form) of every money row, for the cells' accessible names."""
    for s in IncomeSource:
        yield s.label, forms["income"][s.value]
    for k in SpendingKind:
        yield k.label, forms["spending"][k.value]
    for kind, form in forms["three_public"].items():
        yield str(dict(ThreePublicKind.choices).get(kind, kind)), form


def _name_cells(form, row_label: str) -> None:
    """Name each cell by its row and column ("财政拨款 · 年初预算数（万元）") and tie its errors to it."""
    for field in form.fields.values():
        field.widget.attrs["aria-label"] = f"{row_label} · {field.label}（万元）"
    mark_errors(form)


@login_required
@require_http_methods(["GET", "POST"])
def figures_edit(request, unit_code: str, year: int):
    unit_year = _unit_year(request, unit_code, year)
    can = request.access.year(unit_year)
    editable = can.edit
    forms = _forms(unit_year, request.POST if request.method == "POST" else None)
    version = unit_year.version
    in_use: list[str] = []
    if request.method == "POST":
        if _all_valid(forms):
            try:
                figures_replace(
                    unit_year=unit_year,
                    user=request.user,
                    expected_version=posted_version(request.POST),
                    data=_year_data(forms),
                    confirm_delete=request.POST.get("confirm_delete") == "1",
                )
            except EditConflict as conflict:
                messages.error(request, conflict.message)
            except ProjectsInUse as refused:
                # Nothing saved; the page keeps the input and asks (a checkbox by 保存).
                messages.warning(request, refused.message)
                in_use = refused.names
            else:
                messages.success(request, "收支与项目数据已保存。")
                return redirect("budgets:figures", unit_code, year)
        else:
            messages.error(request, "有填写错误，请按红色提示修改后再保存。未保存任何内容。")
    figures = year_figures(unit_year)
    rates = {p.pk: p.execution_rate for p in figures.projects}
    for form in forms["projects"].forms:
        form.execution_rate = rates.get(form.instance.pk)
    for label, form in _labelled_forms(forms):
        _name_cells(form, label)
    for form in forms["projects"].forms:
        mark_errors(form)
    context = {
        "unit_year": unit_year,
        "can": can,
        "editable": editable,
        "version": version,
        "figures": figures,
        "column_help": COLUMN_HELP,
        "checks": year_checks(figures, unit_year),
        "income_rows": [
            {
                "key": s.value,
                "label": s.label,
                "form": forms["income"][s.value],
                "fig": figures.income_line(s),
                "indent": s in INDENTED,
                "is_total": s == IncomeSource.TOTAL,
                "total": figures.income_total,
            }
            for s in IncomeSource
        ],
        "spending_rows": [
            {
                "key": k.value,
                "label": k.label,
                "form": forms["spending"][k.value],
                "fig": figures.spending_line(k),
                "indent": k in INDENTED,
                "is_total": k == SpendingKind.TOTAL,
                "total": figures.spending_total,
            }
            for k in SpendingKind
        ],
        "tp_rows": [
            {"key": t.kind, "label": t.label, "form": forms["three_public"][t.kind], "fig": t}
            for t in figures.three_public
        ],
        "projects": forms["projects"],
        "projects_in_use": in_use,
        "columns": ("initial_budget", "full_year_budget", "actual", "previous_year"),
    }
    return render(request, "budgets/figures.html", context)


@login_required
@require_safe
def checks_view(request, unit_code: str, year: int):
    unit_year = _unit_year(request, unit_code, year)
    figures = year_figures(unit_year)
    return render(
        request,
        "budgets/checks.html",
        {
            "unit_year": unit_year,
            "can": request.access.year(unit_year),
            "figures": figures,
            "checks": year_checks(figures, unit_year),
        },
    )


@login_required
@require_safe
def excel_download(request, unit_code: str, year: int):
    unit_year = _unit_year(request, unit_code, year)
    content = excel.workbook_export(unit_year=unit_year)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"{unit_year.unit.code}-{unit_year.year}-figures.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PREVIEW_KEY = "budgets-excel-preview"


@login_required
@require_http_methods(["GET", "POST"])
def excel_upload(request, unit_code: str, year: int):
    """上传并替换 in two steps: the upload is parsed and kept in the session under a token, the
    page shows what would change (cell by cell, rows added and removed); only the confirming
    POST (the token) applies it, all or nothing, with the version check."""
    unit_year = _unit_year(request, unit_code, year)
    problems: list[excel.Problem] = []
    preview = None
    if request.method == "POST" and request.POST.get("token"):
        stored = request.session.get(PREVIEW_KEY) or {}
        if stored.get("token") != request.POST["token"] or stored.get("unit_year") != unit_year.pk:
            messages.error(request, "预览已失效（可能已在其他页面应用或重新上传），请重新上传文件。")
            return redirect(reverse("budgets:excel", args=[unit_code, year]))
        if "cancel" in request.POST:
            del request.session[PREVIEW_KEY]
            messages.info(request, "已取消，未保存任何内容。")
            return redirect(reverse("budgets:excel", args=[unit_code, year]))
        data = excel.year_data_load(stored["data"])
        try:
            excel.workbook_apply(
                unit_year=unit_year,
                user=request.user,
                expected_version=stored["version"],
                data=data,
                confirm_delete=request.POST.get("confirm_delete") == "1",
            )
        except excel.ImportRefused as refused:
            problems = refused.problems
        except ProjectsInUse as refused:
            messages.warning(request, refused.message)
            changes = excel.year_data_changes(year_data_of(unit_year), data)
            preview = {"token": stored["token"], "changes": changes, "file": "", "in_use": refused.names}
        except EditConflict as conflict:
            messages.error(request, conflict.message)
        else:
            del request.session[PREVIEW_KEY]
            messages.success(request, "已从 Excel 导入本年度收支与项目数据。")
            return redirect(reverse("budgets:figures", args=[unit_code, year]))
    elif request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [excel.Problem("", None, None, "请选择要上传的 Excel 文件（.xlsx）。")]
        else:
            try:
                data = excel.workbook_parse(upload)
            except excel.ImportRefused as refused:
                problems = refused.problems
            else:
                token = secrets.token_urlsafe(16)
                request.session[PREVIEW_KEY] = {
                    "token": token,
                    "unit_year": unit_year.pk,
                    "version": posted_version(request.POST),
                    "data": excel.year_data_dump(data),
                }
                changes = excel.year_data_changes(year_data_of(unit_year), data)
                preview = {"token": token, "changes": changes, "file": upload.name}
    if problems:
        messages.error(request, f"文件未导入，未保存任何内容。共发现 {len(problems)} 个问题，见下方列表。")
    return render(
        request,
        "budgets/excel.html",
        {
            "unit_year": unit_year,
            "can": request.access.year(unit_year),
            "editable": request.access.year(unit_year).edit,
            "problems": problems,
            "preview": preview,
            "limits": excel.LIMITS,
            "project_count": len(unit_year.project_lines.all()),
        },
    )


__all__ = ["figures_edit", "checks_view", "excel_download", "excel_upload", "ProjectLine", "ThreePublicKind"]
