"""Indicator table editor, library, evaluation group and scoring pages. Thin: parse, call a
service, render. Who may do what: the access policy (``request.access``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from budgets.figures import execution_rate, project_funds_gap
from budgets.models import AMOUNT_LABELS, ProjectFundSource, ProjectKind, ProjectLine
from departments.models import UnitYear
from departments.services import EditConflict, posted_version
from perfeval.urlfill import url_filler

from . import selectors, services
from .forms import (
    EDITOR_HELP,
    GroupForm,
    IndicatorFormSet,
    LibraryPickForm,
    MemberScoreForm,
    ProjectEvaluationForm,
    ProjectOutcomeForm,
    goal_formsets,
    project_funds_forms,
    scoring_help,
)
from .models import Indicator, LibraryIndicator, ProjectEvaluation
from .scoring import rules_description
from .scoring_rows import ScoreRow, result_rows_html, score_rows_html
from .vocabulary import TargetKind, Tier1


def _weights_text(rules) -> str:
    """ "产出指标 50、效益指标 30、满意度指标 10"."""
    return "、".join(f"{Tier1(k).label} {format(v.normalize(), 'f')}" for k, v in rules.tier1_weights.items())


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _flash(request, exc: ValidationError) -> None:
    for text in _messages_of(exc):
        messages.error(request, text)


def _year_url(name: str, unit_year: UnitYear) -> str:
    return reverse(name, args=[unit_year.unit.code, unit_year.year])


def _indicators_qs(unit_year: UnitYear, project: ProjectLine | None = None):
    return unit_year.indicators.of_table(project).ordered()


def _table_project(request, unit_year: UnitYear) -> ProjectLine | None:
    """The table a page shows or a post changes: the department's (no ``project``) or one
    named project's of this year (``?project=<id>``, or the posted ``project``); else 404."""
    raw = (request.POST.get("project") if request.method == "POST" else None) or request.GET.get("project") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("没有该项目。")
    return get_object_or_404(
        ProjectLine.objects.select_related("unit_year").prefetch_related("funds"),
        pk=int(raw),
        unit_year=unit_year,
        kind=ProjectKind.PROJECT,
    )


def _table_url(name: str, unit_year: UnitYear, project: ProjectLine | int | None) -> str:
    url = _year_url(name, unit_year)
    pk = project.pk if isinstance(project, ProjectLine) else project
    return f"{url}?project={pk}" if pk else url


def _tables_nav(unit_year: UnitYear, project: ProjectLine | None, name: str, progress: dict | None = None) -> list:
    """The table selector: 部门整体 first, then each named project (with progress when given)."""
    projects = [p for p in unit_year.project_lines.all() if p.kind == ProjectKind.PROJECT]
    current = project.pk if project else None
    nav = [{"label": "部门整体支出", "url": _table_url(name, unit_year, None), "active": current is None, "key": None}]
    for p in sorted(projects, key=lambda p: (p.order, p.pk)):
        nav.append({"label": p.name, "url": _table_url(name, unit_year, p), "active": current == p.pk, "key": p.pk})
    if progress is not None:
        for item in nav:
            item["progress"] = progress.get(item["key"])
    return nav


# --- the indicator table ------------------------------------------------------------------

# What the editor reads with its year: the scoring record or, before evaluation, the rules in
# force (either way no query of their own) and the project lines with their evaluations (the
# table selector; a project's rules and panel) — whatever the number of projects.
EDITOR_YEAR = selectors.with_rules_in_force(
    UnitYear.objects.select_related("scoring").prefetch_related(
        Prefetch("project_lines", queryset=ProjectLine.objects.select_related("evaluation"))
    )
)


def _editor_project(request, unit_year: UnitYear) -> ProjectLine | None:
    """``_table_project`` from the year's prefetched lines (404 likewise), with its money by
    source read for the panel."""
    raw = (request.POST.get("project") if request.method == "POST" else None) or request.GET.get("project") or ""
    if not raw:
        return None
    return _year_project(unit_year, int(raw) if raw.isdigit() else None)


def _year_project(unit_year: UnitYear, pk: int | None) -> ProjectLine:
    """The named project ``pk`` among the year's prefetched lines (``EDITOR_YEAR``), with its
    money by source read for the panel; else 404."""
    project = next(
        (p for p in unit_year.project_lines.all() if p.pk == pk and p.kind == ProjectKind.PROJECT),
        None,
    )
    if project is None:
        raise Http404("没有该项目。")
    prefetch_related_objects([project], "funds")
    return project


@login_required
@require_http_methods(["GET", "POST"])
def indicator_table(request, unit_code: str, year: int):
    """The editor: everyone in the unit sees the table and its quality findings; the unit's
    finance officer changes it while the year is a draft."""
    need = "edit_indicators" if request.method == "POST" else None
    unit_year = request.access.get_year(unit_code=unit_code, year=year, need=need, queryset=EDITOR_YEAR)
    project = _editor_project(request, unit_year)
    version = unit_year.version  # read before a save can move it: what the page's next save claims
    table = _indicators_qs(unit_year, project)
    formset = IndicatorFormSet(request.POST or None, queryset=table, unit_year=unit_year, prefix="ind")
    if request.method == "POST":
        if formset.is_valid():
            try:
                count = services.indicator_table_save(
                    unit_year=unit_year,
                    formset=formset,
                    user=request.user,
                    expected_version=posted_version(request.POST),
                    project=project,
                )
            except EditConflict as conflict:
                # Nothing saved; the bound formset below keeps what the user typed.
                messages.error(request, conflict.message)
            except ValidationError as exc:
                _flash(request, exc)
            else:
                messages.success(request, f"已保存 {count} 个指标。")
                return redirect(_table_url("indicators:table", unit_year, project))
        else:
            messages.error(request, "指标表有错误，请按红色提示修改后再保存。未保存任何内容。")
            for form in formset.forms:
                form.mark_errors()
    return _editor_page(request, unit_year, project, formset, table, version=version)


def _editor_page(request, unit_year: UnitYear, project: ProjectLine | None, formset, table, *, version, panel=None):
    """The editor page: ``formset`` the table's forms (bound: the user's refused input),
    ``table`` the stored rows' queryset, ``version`` the year's version as the request read it
    (the page's hidden ``version``: what its next save claims), ``panel`` a project's refused
    goal form (else its stored one)."""
    can = request.access.year(unit_year)
    can_edit = can.edit_indicators
    # The stored rows, read once for the findings, the read-only table and the (unbound) forms;
    # a bound formset's rows hold the user's refused input, so the findings read them afresh.
    stored = list(_indicators_qs(unit_year, project) if formset.is_bound else table)
    rules = selectors.project_rules(unit_year, project, rules=selectors.rules_for_year(unit_year))
    findings = selectors.table_quality(unit_year, stored, rules=rules)
    unconfirmed = sum(1 for f in findings if f.code == "bare_target")  # bare, with a proposal
    return render(
        request,
        "indicators/table.html",
        {
            "unit_year": unit_year,
            "can": can,
            "project": project,
            "tables": _tables_nav(unit_year, project, "indicators:table"),
            "project_panel": panel or (_project_panel(project, can_edit) if project else None),
            "formset": formset,
            # Read here, not as {{ formset.management_form }}: a template looks an attribute up
            # as formset["management_form"] first, and a formset's [] builds all its forms — which
            # the rows (indicators.editor) write without.
            "management_form": formset.management_form,
            "non_form_errors": formset.non_form_errors(),
            "rows": stored if not can_edit else None,
            "can_edit": can_edit,
            "version": version,
            "findings": findings,
            "rules": rules,
            "weights_text": _weights_text(rules),
            "library_form": LibraryPickForm(unit_id=unit_year.unit_id) if can_edit else None,
            "unconfirmed_directions": unconfirmed if can_edit else 0,
            "editor_help": EDITOR_HELP,
        },
    )


def _project_panel(project: ProjectLine, can_edit: bool, data=None) -> dict:
    """A project's goal, settings and money by source, as forms (the officer, draft) or text."""
    try:
        evaluation = project.evaluation  # no query when read with select_related("evaluation")
    except ProjectEvaluation.DoesNotExist:
        evaluation = ProjectEvaluation(project=project)
    funds = project_funds_forms(data, project)
    gap = project_funds_gap(project, project.funds.all())  # the rows project_funds_forms read
    return {
        "funds_gaps": [
            f"{AMOUNT_LABELS[name]}：分来源合计与年度资金总额相差 {abs(getattr(gap, name)):.2f} 万元"
            for name in ("initial_budget", "full_year_budget", "actual")
            if getattr(gap, name)
        ],
        "evaluation": evaluation,
        "form": ProjectEvaluationForm(data, instance=evaluation, project_name=project.name) if can_edit else None,
        "funds": funds,
        "fund_rows": [(ProjectFundSource(source).label, form) for source, form in funds.items()],
        "rate": execution_rate(project.actual, project.full_year_budget),
    }


@login_required
@require_POST
def project_goal(request, unit_code: str, year: int, pk: int):
    """Save a project's 年度总体目标 (预期目标), whether it is evaluated, its own weights and its
    money by source — the officer, while the year is a draft."""
    unit_year = request.access.get_year(unit_code=unit_code, year=year, need="edit_indicators", queryset=EDITOR_YEAR)
    project = _year_project(unit_year, pk)
    version = unit_year.version
    panel = _project_panel(project, True, request.POST)
    form, funds = panel["form"], panel["funds"]
    valid = [form.is_valid()] + [f.is_valid() for f in funds.values()]
    if all(valid):
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.project_evaluation_save(
                project=project,
                user=request.user,
                expected_version=posted_version(request.POST),
                funds={source: f.cleaned_data for source, f in funds.items()},
                **values,
            )
        except EditConflict as conflict:
            messages.error(request, conflict.message)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, f"已保存项目“{project.name}”的绩效目标与资金来源。")
            return redirect(_table_url("indicators:table", unit_year, project))
    else:
        for error_form in (form, *funds.values()):
            for field, errors in error_form.errors.items():
                label = error_form.fields[field].label if field in error_form.fields else ""
                if label and getattr(error_form, "row_label", ""):  # an amount: its 资金来源 too
                    label = f"{error_form.row_label} · {label}"
                for text in errors:
                    messages.error(request, f"{project.name}：{label}{'：' if label else ''}{text}")
        for funds_form in funds.values():
            funds_form.mark_errors()
    # Refused: the editor again, with what was typed kept in the project's forms.
    table = _indicators_qs(unit_year, project)
    formset = IndicatorFormSet(queryset=table, unit_year=unit_year, prefix="ind")
    return _editor_page(request, unit_year, project, formset, table, version=version, panel=panel)


@login_required
@require_POST
def project_outcome(request, unit_code: str, year: int, pk: int):
    """The evaluation group writes a project's 实际完成情况 on the scoring page."""
    unit_year = request.access.get_year(unit_code=unit_code, year=year, need="score")
    project = get_object_or_404(ProjectLine, pk=pk, unit_year=unit_year, kind=ProjectKind.PROJECT)
    form = ProjectOutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.project_evaluation_save(
                project=project,
                user=request.user,
                expected_version=posted_version(request.POST),
                actual_outcome=form.cleaned_data["actual_outcome"],
            )
        except EditConflict as conflict:
            messages.error(request, conflict.message)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, f"已保存项目“{project.name}”的实际完成情况。")
    return redirect(_table_url("indicators:scoring", unit_year, project))


def _editable_year(request, unit_code, year) -> UnitYear:
    return request.access.get_year(unit_code=unit_code, year=year, need="edit_indicators")


@login_required
@require_POST
def indicator_weights_default(request, unit_code: str, year: int):
    unit_year = _editable_year(request, unit_code, year)
    project = _table_project(request, unit_year)
    rules = selectors.project_rules(unit_year, project)
    try:
        count = services.indicator_weights_default(
            unit_year=unit_year,
            rules=rules,
            user=request.user,
            expected_version=posted_version(request.POST),
            project=project,
        )
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, f"已按默认权重（{_weights_text(rules)}）为 {count} 个指标分配分值。")
    return redirect(_table_url("indicators:table", unit_year, project))


@login_required
@require_POST
def indicator_confirm_directions(request, unit_code: str, year: int):
    """确认全部建议方向: the officer accepts every proposed direction of a bare target."""
    unit_year = _editable_year(request, unit_code, year)
    project = _table_project(request, unit_year)
    try:
        count = services.indicator_confirm_directions(
            unit_year=unit_year, user=request.user, expected_version=posted_version(request.POST), project=project
        )
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, f"已确认 {count} 个未写比较符的指标值的理解方向。")
    return redirect(_table_url("indicators:table", unit_year, project))


@login_required
@require_POST
def indicator_add_from_library(request, unit_code: str, year: int):
    unit_year = _editable_year(request, unit_code, year)
    project = _table_project(request, unit_year)
    form = LibraryPickForm(request.POST, unit_id=unit_year.unit_id)
    if form.is_valid():
        try:
            ind = services.indicator_add_from_library(
                unit_year=unit_year,
                entry=form.cleaned_data["entry"],
                fund_category=form.cleaned_data["fund_category"],
                user=request.user,
                expected_version=posted_version(request.POST),
                project=project,
            )
        except EditConflict as conflict:
            messages.error(request, conflict.message)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, f"已从指标库添加“{ind.name}”（{ind.target_display}）。")
    else:
        messages.error(request, "请选择指标库中的指标和经费类别。")
    return redirect(_table_url("indicators:table", unit_year, project))


def _indicator_of(unit_year: UnitYear, pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("unit_year__unit"), pk=pk, unit_year=unit_year)


@login_required
@require_POST
def indicator_move(request, unit_code: str, year: int, pk: int, direction: str):
    unit_year = _editable_year(request, unit_code, year)
    indicator = _indicator_of(unit_year, pk)
    try:
        services.indicator_move(
            indicator=indicator,
            up=direction == "up",
            user=request.user,
            expected_version=posted_version(request.POST),
        )
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    return redirect(_table_url("indicators:table", unit_year, indicator.project_id))


@login_required
@require_POST
def indicator_to_library(request, unit_code: str, year: int, pk: int):
    unit_year = request.access.get_year(unit_code=unit_code, year=year, need="save_to_library")
    indicator = _indicator_of(unit_year, pk)
    try:
        entry = services.library_save_indicator(indicator=indicator, user=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已将“{entry.name}”存入本单位指标库。")
    return redirect(_table_url("indicators:table", unit_year, indicator.project_id))


@login_required
@require_safe
def library(request):
    """指标库: shared entries, plus the user's units' own (administrators see all)."""
    tier1 = request.GET.get("tier1", "")
    query = request.GET.get("q", "").strip()
    if request.access.is_admin:
        entries = LibraryIndicator.objects.filter(active=True)
    else:
        unit_ids = request.access.unit_ids()
        entries = LibraryIndicator.objects.filter(active=True).filter(unit__isnull=True) | (
            LibraryIndicator.objects.filter(active=True, unit_id__in=unit_ids)
        )
    if tier1:
        entries = entries.filter(tier1=tier1)
    if query:
        entries = entries.filter(name__icontains=query)
    return render(
        request,
        "indicators/library.html",
        {
            "entries": entries.select_related("unit").order_by("source", "tier1", "tier2", "name"),
            "tier1_choices": Tier1.choices,
            "tier1": tier1,
            "q": query,
        },
    )


# --- the evaluation group -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group(request, unit_code: str, year: int):
    need = "name_group" if request.method == "POST" else None
    unit_year = request.access.get_year(unit_code=unit_code, year=year, need=need)
    can = request.access.year(unit_year)
    current = selectors.evaluation_group(unit_year)
    may_name = can.name_group
    version = unit_year.version
    candidates = services.group_candidates(unit_year)
    initial = {"members": list(current.members.all()), "lead": current.lead} if current else {}
    form = GroupForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_group_name(
                unit_year=unit_year,
                user=request.user,
                members=form.cleaned_data["members"],
                lead=form.cleaned_data["lead"],
                expected_version=posted_version(request.POST),
            )
        except EditConflict as conflict:
            messages.error(request, conflict.message)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, "评价小组已保存。")
            return redirect(_year_url("indicators:group", unit_year))
    return render(
        request,
        "indicators/group.html",
        {"unit_year": unit_year, "can": can, "group": current, "form": form, "may_name": may_name, "version": version},
    )


# --- scoring ------------------------------------------------------------------------------


def _scoring_year(request, unit_code, year, *, need: str | None = "see_scoring") -> UnitYear:
    """The year with everything 评分, its autosave and 评分结果 read, in a constant number of
    queries: every table's indicators (in the tables' order, so a table's rows are read from
    them too), the spending lines (预算执行率, 无预算), the project lines with their evaluations
    (the table selector, each project's money, weights and goal) and the evaluation group with
    its lead and members (whether the user sits on it is answered from them: see
    ``selectors.group_roles``)."""
    qs = UnitYear.objects.select_related("scoring", "scoring__confirmed_by", "evaluation_group__lead").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.ordered()),
        *selectors.SCORE_PREFETCH,
        "evaluation_group__members",
    )
    return request.access.get_year(unit_code=unit_code, year=year, queryset=qs, need=need)


def _scoring_project(request, unit_year: UnitYear) -> ProjectLine | None:
    """The table of ``?project=<id>`` (as ``_table_project``), found among the prefetched
    project lines: no query."""
    raw = request.GET.get("project") or ""
    if not raw:
        return None
    for p in unit_year.project_lines.all() if raw.isdigit() else ():
        if p.pk == int(raw) and p.kind == ProjectKind.PROJECT:
            return p
    raise Http404("没有该项目。")


def _totals(unit_year: UnitYear, project_id: int | None, *, own: dict, rows: list) -> dict:
    """The running totals of one table (the department's, or project ``project_id``'s): the
    member's own (``own``: indicator id → score) and the group's mean (``rows``:
    ``selectors.group_results``), under the table's rules."""
    rules = selectors.rules_for_year(unit_year)
    means = {r.indicator.pk: r.mean for r in rows}
    if project_id is None:
        mine = selectors.year_score(unit_year, rules=rules, scores=own)
        group = selectors.year_score(unit_year, rules=rules, scores=means)
        return {"mine": mine, "group": group, "rules": rules}
    evaluations = selectors.project_evaluations(unit_year)
    mine_tables = selectors.project_tables(unit_year, rules=rules, scores=own, evaluations=evaluations)
    table = next(t for t in mine_tables if t.pk == project_id)
    group_table = next(
        t
        for t in selectors.project_tables(unit_year, rules=rules, scores=means, evaluations=evaluations)
        if t.pk == project_id
    )
    return {"mine": table.score, "group": group_table.score, "rules": table.rules}


def _progress(unit_year: UnitYear, own: dict) -> dict:
    """{table key (None: the department's; else the project id): (scored by me, to score)}."""
    progress: dict[int | None, list[int]] = {}
    for ind in unit_year.indicators.all():
        counts = progress.setdefault(ind.project_id, [0, 0])
        if ind.not_applicable:
            continue
        counts[1] += 1
        if ind.pk in own:
            counts[0] += 1
    return {k: {"done": v[0], "total": v[1]} for k, v in progress.items()}


def _score_payload(result) -> dict:
    return {
        "total": None if result.total is None else str(result.total),
        "grade": result.grade,
        "scored": result.scored,
        "unscored": result.unscored,
        "execution_score": (
            "不适用"
            if not result.execution_applicable
            else None
            if result.execution_score is None
            else str(result.execution_score)
        ),
        "execution_rate": result.execution_rate_display,
        "capped": result.capped,
    }


def _score_fits(saved, ind: Indicator) -> bool:
    """Whether a member's saved score has the shape of the indicator's target as it is now: a
    number for a quantitative target, a band for a qualitative or deadline one."""
    if ind.target_kind == TargetKind.QUANTITATIVE:
        return saved.actual_value is not None and not saved.band
    return bool(saved.band)


@login_required
@require_safe
def scoring(request, unit_code: str, year: int):
    unit_year = _scoring_year(request, unit_code, year)
    project = _scoring_project(request, unit_year)
    scores = selectors.year_member_scores(unit_year)  # every member's, once: own and the group's
    own = {s.indicator_id: s for s in scores if s.member_id == request.user.pk}
    group_rows = selectors.group_results(unit_year, scores=scores)
    totals = _totals(
        unit_year, project.pk if project else None, own={i: s.score for i, s in own.items()}, rows=group_rows
    )
    rules = totals["rules"]
    rows = []
    table_id = project.pk if project else None
    for ind in (i for i in unit_year.indicators.all() if i.project_id == table_id):  # prefetched, in order
        saved = own.get(ind.pk)
        stale = saved is not None and not _score_fits(saved, ind)
        if stale:  # measured against an earlier target (the service clears these; never a 500)
            saved = None
        note = services.STALE_SCORES_NOTE if saved is None and (stale or ind.scores_reset_at) else ""
        values = {}
        if saved:
            values = {
                "actual": saved.actual_text
                if ind.target_kind != TargetKind.QUANTITATIVE
                else format(saved.actual_value.normalize(), "f"),
                "band": saved.band,
                "score": saved.score,
                "override_reason": saved.override_reason,
                "deviation_reason": saved.deviation_reason,
            }
        rows.append(ScoreRow(indicator=ind, saved=saved, values=values, stale_note=note))
    can = request.access.year(unit_year)
    outcome = None
    if project is not None:
        evaluation = selectors.project_evaluations(unit_year).get(project.pk)
        outcome = {
            "evaluation": evaluation,
            "form": ProjectOutcomeForm(instance=evaluation, project_name=project.name) if can.score else None,
        }
    csrf_token = get_token(request)  # the page's one token: its forms and every row's
    save_url = url_filler("indicators:scoring_save", "slug", "int", "int")  # reversed once
    code, year_ = unit_year.unit.code, unit_year.year
    return render(
        request,
        "indicators/scoring.html",
        {
            "unit_year": unit_year,
            "project": project,
            "outcome": outcome,
            "tables": _tables_nav(unit_year, project, "indicators:scoring", _progress(unit_year, own)),
            "version": unit_year.version,
            "rows": rows,
            "score_rows": score_rows_html(
                rows, save_url=lambda pk: save_url(code, year_, pk), csrf_token=csrf_token, can_score=can.score
            ),
            "csrf_token": csrf_token,
            "rules": rules,
            "can": can,
            "can_score": can.score,
            "totals": totals,
            "rules_json": {
                "reverse_formula": rules.reverse_formula,
                "overachievement_percent": str(rules.overachievement_percent),
                "overachievement_deduction": (
                    None if rules.overachievement_deduction is None else str(rules.overachievement_deduction)
                ),
                "bands": {k: [str(lo), str(hi)] for k, (lo, hi) in rules.qualitative_bands.items()},
            },
            "rules_lines": rules_description(rules),
            "scoring_help": scoring_help(rules),
        },
    )


@login_required
@require_POST
def scoring_save(request, unit_code: str, year: int, pk: int):
    """Save one row. Answers JSON to the page's script (fetch), or redirects a plain form."""
    unit_year = _scoring_year(request, unit_code, year)
    # The prefetched row (its unit_year is this one: the policy and the rules read what is loaded).
    indicator = next((i for i in unit_year.indicators.all() if i.pk == pk), None)
    if indicator is None:
        raise Http404("没有该指标。")
    form = MemberScoreForm(request.POST, prefix=f"s{pk}")
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    form.is_valid()
    data = form.cleaned_data
    try:
        record = services.member_score_save(
            indicator=indicator,
            member=request.user,
            actual=data.get("actual", ""),
            band=data.get("band", ""),
            score=data.get("score"),
            override_reason=data.get("override_reason", ""),
            deviation_reason=data.get("deviation_reason", ""),
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        if wants_json:
            return JsonResponse({"ok": False, "errors": errors}, status=400)
        for field_errors in errors.values():
            for text in field_errors:
                messages.error(request, f"{indicator.name}：{text}")
        return redirect(_table_url("indicators:scoring", unit_year, indicator.project_id) + f"#row-{pk}")
    if wants_json:
        scores = selectors.year_member_scores(unit_year)  # once: the member's own and the group's
        own = {s.indicator_id: s.score for s in scores if s.member_id == request.user.pk}
        rows = selectors.group_results(unit_year, scores=scores)
        totals = _totals(unit_year, indicator.project_id, own=own, rows=rows)
        return JsonResponse(
            {
                "ok": True,
                "score": str(record.score),
                "proposed": None if record.proposed_score is None else str(record.proposed_score),
                "over_achieved": record.over_achieved,
                "deduction_note": record.deduction_note,
                "mine": _score_payload(totals["mine"]),
                "group": _score_payload(totals["group"]),
            }
        )
    messages.success(request, f"已保存“{indicator.name}”的评分：{record.score} 分。")
    return redirect(_table_url("indicators:scoring", unit_year, indicator.project_id) + f"#row-{pk}")


@login_required
@require_safe
def group_result(request, unit_code: str, year: int):
    """The group's result: each member's score, the mean and the spread; the lead confirms."""
    unit_year = _scoring_year(request, unit_code, year, need=None)
    can = request.access.year(unit_year)
    current = selectors.evaluation_group(unit_year)
    rows = selectors.group_results(unit_year, current)
    rules = selectors.rules_for_year(unit_year)
    means = {r.indicator.pk: r.mean for r in rows}
    group_total = selectors.year_score(unit_year, rules=rules, scores=means)
    confirmed_total = selectors.year_score(unit_year, rules=rules)
    scoring_record = unit_year.scoring if hasattr(unit_year, "scoring") else None
    evaluations = selectors.project_evaluations(unit_year)
    confirmed_projects = selectors.project_tables(unit_year, rules=rules, evaluations=evaluations)
    mean_projects = {
        t.pk: t.score for t in selectors.project_tables(unit_year, rules=rules, scores=means, evaluations=evaluations)
    }
    names = {t.pk: t.name for t in confirmed_projects}
    sections = [("部门整体支出", [r for r in rows if r.indicator.project_id is None])]
    sections += [(names.get(t.pk, ""), [r for r in rows if r.indicator.project_id == t.pk]) for t in confirmed_projects]
    members = list(current.members.all()) if current else []
    return render(
        request,
        "indicators/group_result.html",
        {
            "unit_year": unit_year,
            "group": current,
            "members": members,
            "rows": rows,
            "sections": [(label, result_rows_html(section, members)) for label, section in sections if section],
            "project_totals": [
                {"table": t, "mean": mean_projects.get(t.pk)}
                for t in confirmed_projects
                if t.indicators or not t.included
            ],
            "group_total": group_total,
            "confirmed_total": confirmed_total,
            "scoring_record": scoring_record,
            "can": can,
            "can_confirm": current is not None and can.confirm,
            "flow_actions": can.flow_steps,
            "rules": rules,
        },
    )


@login_required
@require_POST
def group_result_confirm(request, unit_code: str, year: int):
    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    try:
        count = services.group_result_confirm(unit_year=unit_year, user=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已确认小组评分结果（{count} 个指标，取成员得分平均值）。")
    return redirect(_year_url("indicators:group_result", unit_year))


@login_required
@require_http_methods(["GET", "POST"])
def goals(request, unit_code: str, year: int):
    """绩效目标: the department's 中长期 and 年度绩效目标, each annual goal with its 实际完成情况,
    and the 部门绩效总目标 — what section 二 of the report and the 自评表 print."""
    unit_year = request.access.get_year(
        unit_code=unit_code, year=year, need="edit" if request.method == "POST" else None
    )
    can = request.access.year(unit_year)
    version = unit_year.version
    sections = goal_formsets(unit_year, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        valid = [formset.is_valid() for _kind, _title, formset in sections]  # every table shows its errors
        if all(valid):
            try:
                services.goals_save(
                    unit_year=unit_year,
                    user=request.user,
                    expected_version=posted_version(request.POST),
                    formsets=sections,
                )
            except EditConflict as conflict:
                messages.error(request, conflict.message)
            else:
                messages.success(request, "绩效目标已保存。")
                return redirect(_year_url("indicators:goals", unit_year))
        else:
            messages.error(request, "有填写错误，请按红色提示修改后再保存。未保存任何内容。")
    return render(
        request,
        "indicators/goals.html",
        {"unit_year": unit_year, "can": can, "editable": can.edit, "version": version, "sections": sections},
    )


# --- the projects' indicator tables in Excel ------------------------------------------------


@login_required
@require_safe
def projects_xlsx(request, unit_code: str, year: int):
    """Every project's indicator table, one sheet each, to fill and upload back."""
    from perfeval.xlsx import XLSX_CONTENT_TYPE

    from . import excel

    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    # A member of the evaluation group, while the year is evaluated, gets his or her own scores.
    member = request.user if request.access.year(unit_year).score else None
    response = HttpResponse(excel.workbook_export(unit_year=unit_year, member=member), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{unit_year.unit.code}-{unit_year.year}-projects.xlsx"'
    return response


@login_required
@require_POST
def projects_upload(request, unit_code: str, year: int):
    """Upload the projects' indicator tables: all or nothing, every problem listed. While the
    year is evaluated, a member of the evaluation group uploads his or her scores instead."""
    from . import excel

    unit_year = request.access.get_year(unit_code=unit_code, year=year)
    if request.access.year(unit_year).score:
        return _projects_upload_scores(request, unit_year)
    unit_year = _editable_year(request, unit_code, year)
    upload = request.FILES.get("file")
    back = redirect(_year_url("indicators:table", unit_year) + "#projects-excel")
    if upload is None:
        messages.error(request, "请选择要上传的 Excel 文件（.xlsx）。")
        return back
    try:
        sheets = excel.workbook_parse(unit_year=unit_year, upload=upload)
        count = excel.workbook_apply(
            unit_year=unit_year, user=request.user, expected_version=posted_version(request.POST), sheets=sheets
        )
    except excel.ImportRefused as refused:
        messages.error(request, f"文件未导入，未保存任何内容。共发现 {len(refused.problems)} 个问题：")
        for problem in refused.problems[:50]:
            messages.error(request, str(problem))
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, f"已从 Excel 导入 {len(sheets)} 个项目的绩效指标表（{count} 个指标）。")
    return back


def _projects_upload_scores(request, unit_year: UnitYear):
    """A group member's scores for the projects' tables from the workbook (all or nothing)."""
    from . import excel

    back = redirect(_year_url("indicators:scoring", unit_year) + "#projects-excel")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的 Excel 文件（.xlsx）。")
        return back
    try:
        sheets = excel.workbook_parse_scores(unit_year=unit_year, upload=upload)
        count = excel.workbook_apply_scores(member=request.user, sheets=sheets)
    except excel.ImportRefused as refused:
        messages.error(request, f"评分未导入，未保存任何内容。共发现 {len(refused.problems)} 个问题：")
        for problem in refused.problems[:50]:
            messages.error(request, str(problem))
    else:
        messages.success(request, f"已从 Excel 导入您对 {count} 个项目指标的评分。")
    return back
