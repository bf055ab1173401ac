"""Indicator table editor, library, evaluation group and scoring pages. Thin: parse, call a
service, render. Who may do what: the access policy (``request.access``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from departments.models import UnitYear
from departments.services import EditConflict, posted_version

from . import selectors, services
from .forms import GroupForm, IndicatorFormSet, LibraryPickForm, MemberScoreForm
from .models import Indicator, LibraryIndicator
from .scoring import rules_description
from .vocabulary import Band, TargetKind, Tier1


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


def _indicators_qs(unit_year: UnitYear):
    return unit_year.indicators.of_department().ordered()


# --- the indicator table ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indicator_table(request, unit_code: str, year: int):
    """The editor: everyone in the unit sees the table and its quality findings; the unit's
    finance officer changes it while the year is a draft."""
    need = "edit_indicators" if request.method == "POST" else None
    unit_year = request.access.get_year(unit_code=unit_code, year=year, need=need)
    can = request.access.year(unit_year)
    can_edit = can.edit_indicators
    version = unit_year.version  # the page's hidden ``version``: what a save will claim
    formset = IndicatorFormSet(
        request.POST or None, queryset=_indicators_qs(unit_year), unit_year=unit_year, prefix="ind"
    )
    if request.method == "POST":
        if formset.is_valid():
            try:
                count = services.indicator_table_save(
                    unit_year=unit_year,
                    formset=formset,
                    user=request.user,
                    expected_version=posted_version(request.POST),
                )
            except EditConflict as conflict:
                # Nothing saved; the bound formset below keeps what the user typed.
                messages.error(request, conflict.message)
            except ValidationError as exc:
                _flash(request, exc)
            else:
                messages.success(request, f"已保存 {count} 个指标。")
                return redirect(_year_url("indicators:table", unit_year))
        else:
            messages.error(request, "指标表有错误，请按红色提示修改后再保存。未保存任何内容。")
            for form in formset.forms:
                form.mark_errors()
    rules = selectors.rules_for_year(unit_year)
    findings = selectors.year_quality(unit_year, rules=rules)
    unconfirmed = sum(1 for f in findings if f.code == "bare_target")  # bare, with a proposal
    return render(
        request,
        "indicators/table.html",
        {
            "unit_year": unit_year,
            "can": can,
            "formset": formset,
            "rows": list(_indicators_qs(unit_year)) if not can_edit else None,
            "can_edit": can_edit,
            "version": version,
            "findings": findings,
            "rules": rules,
            "weights_text": _weights_text(rules),
            "library_form": LibraryPickForm(unit_id=unit_year.unit_id) if can_edit else None,
            "unconfirmed_directions": unconfirmed if can_edit else 0,
        },
    )


def _editable_year(request, unit_code, year) -> UnitYear:
    return request.access.get_year(unit_code=unit_code, year=year, need="edit_indicators")


@login_required
@require_POST
def indicator_weights_default(request, unit_code: str, year: int):
    unit_year = _editable_year(request, unit_code, year)
    rules = selectors.rules_for_year(unit_year)
    try:
        count = services.indicator_weights_default(
            unit_year=unit_year, rules=rules, user=request.user, expected_version=posted_version(request.POST)
        )
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, f"已按默认权重（{_weights_text(rules)}）为 {count} 个指标分配分值。")
    return redirect(_year_url("indicators:table", unit_year))


@login_required
@require_POST
def indicator_confirm_directions(request, unit_code: str, year: int):
    """确认全部建议方向: the officer accepts every proposed direction of a bare target."""
    unit_year = _editable_year(request, unit_code, year)
    try:
        count = services.indicator_confirm_directions(
            unit_year=unit_year, user=request.user, expected_version=posted_version(request.POST)
        )
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, f"已确认 {count} 个未写比较符的指标值的理解方向。")
    return redirect(_year_url("indicators:table", unit_year))


@login_required
@require_POST
def indicator_add_from_library(request, unit_code: str, year: int):
    unit_year = _editable_year(request, unit_code, year)
    form = LibraryPickForm(request.POST, unit_id=unit_year.unit_id)
    if form.is_valid():
        try:
            ind = services.indicator_add_from_library(
                unit_year=unit_year,
                entry=form.cleaned_data["entry"],
                fund_category=form.cleaned_data["fund_category"],
                user=request.user,
                expected_version=posted_version(request.POST),
            )
        except EditConflict as conflict:
            messages.error(request, conflict.message)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, f"已从指标库添加“{ind.name}”（{ind.target_display}）。")
    else:
        messages.error(request, "请选择指标库中的指标和经费类别。")
    return redirect(_year_url("indicators:table", unit_year))


def _indicator_of(unit_year: UnitYear, pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("unit_year__unit"), pk=pk, unit_year=unit_year)


@login_required
@require_POST
def indicator_move(request, unit_code: str, year: int, pk: int, direction: str):
    unit_year = _editable_year(request, unit_code, year)
    try:
        services.indicator_move(
            indicator=_indicator_of(unit_year, pk),
            up=direction == "up",
            user=request.user,
            expected_version=posted_version(request.POST),
        )
    except EditConflict as conflict:
        messages.error(request, conflict.message)
    return redirect(_year_url("indicators:table", unit_year))


@login_required
@require_POST
def indicator_to_library(request, unit_code: str, year: int, pk: int):
    unit_year = request.access.get_year(unit_code=unit_code, year=year, need="save_to_library")
    try:
        entry = services.library_save_indicator(indicator=_indicator_of(unit_year, pk), user=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已将“{entry.name}”存入本单位指标库。")
    return redirect(_year_url("indicators:table", unit_year))


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


def _scoring_year(request, unit_code, year) -> UnitYear:
    """The year with what the scoring pages read, once: its indicators in the table's order (the
    rows and the totals) and the spending lines (预算执行率)."""
    qs = UnitYear.objects.select_related("scoring").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.of_department().ordered()), *selectors.SCORE_PREFETCH
    )
    return request.access.get_year(unit_code=unit_code, year=year, queryset=qs, need="see_scoring")


def _totals(unit_year: UnitYear, member, *, rules=None, scores=None) -> dict:
    """The member's running total and the group's. ``scores``: every member score of the year
    (``selectors.year_member_scores``), when the caller has them already."""
    rules = rules or selectors.rules_for_year(unit_year)
    scores = scores if scores is not None else selectors.year_member_scores(unit_year)
    own = {s.indicator_id: s.score for s in scores if s.member_id == member.pk}
    rows = selectors.group_results(unit_year, scores=scores)
    mine = selectors.year_score(unit_year, rules=rules, scores=own)
    group = selectors.year_score(unit_year, rules=rules, scores={r.indicator.pk: r.mean for r in rows})
    return {"mine": mine, "group": group}


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
    rules = selectors.rules_for_year(unit_year)
    scores = selectors.year_member_scores(unit_year)
    own = {s.indicator_id: s for s in scores if s.member_id == request.user.pk}
    rows = []
    for ind in unit_year.indicators.all():
        saved = own.get(ind.pk)
        stale = saved is not None and not _score_fits(saved, ind)
        if stale:  # measured against an earlier target (the service clears these; never a 500)
            saved = None
        note = services.STALE_SCORES_NOTE if saved is None and (stale or ind.scores_reset_at) else ""
        initial = {}
        if saved:
            initial = {
                "actual": saved.actual_text
                if ind.target_kind != TargetKind.QUANTITATIVE
                else format(saved.actual_value.normalize(), "f"),
                "band": saved.band,
                "score": saved.score,
                "override_reason": saved.override_reason,
                "deviation_reason": saved.deviation_reason,
            }
        form = MemberScoreForm(initial=initial, prefix=f"s{ind.pk}", form_id=f"f-{ind.pk}", row_label=ind.name)
        rows.append({"indicator": ind, "saved": saved, "form": form, "stale_note": note})
    totals = _totals(unit_year, request.user, rules=rules, scores=scores)
    return render(
        request,
        "indicators/scoring.html",
        {
            "unit_year": unit_year,
            "rows": rows,
            "rules": rules,
            "can": request.access.year(unit_year),
            "can_score": request.access.year(unit_year).score,
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
            "bands": Band.choices,
        },
    )


@login_required
@require_POST
def scoring_save(request, unit_code: str, year: int, pk: int):
    """Save one row. Answers JSON to the page's script (fetch), or redirects a plain form."""
    unit_year = _scoring_year(request, unit_code, year)
    indicator = _indicator_of(unit_year, pk)
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
        return redirect(_year_url("indicators:scoring", unit_year) + f"#row-{pk}")
    if wants_json:
        totals = _totals(unit_year, request.user)
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
    return redirect(_year_url("indicators:scoring", unit_year) + f"#row-{pk}")


@login_required
@require_safe
def group_result(request, unit_code: str, year: int):
    """The group's result: each member's score, the mean and the spread; the lead confirms."""
    qs = UnitYear.objects.select_related("scoring", "scoring__confirmed_by").prefetch_related(
        "indicators", *selectors.SCORE_PREFETCH
    )
    unit_year = request.access.get_year(unit_code=unit_code, year=year, queryset=qs)
    can = request.access.year(unit_year)
    current = selectors.evaluation_group(unit_year)
    rows = selectors.group_results(unit_year, current)
    rules = selectors.rules_for_year(unit_year)
    group_total = selectors.year_score(unit_year, rules=rules, scores={r.indicator.pk: r.mean for r in rows})
    confirmed_total = selectors.year_score(unit_year, rules=rules)
    scoring_record = unit_year.scoring if hasattr(unit_year, "scoring") else None
    return render(
        request,
        "indicators/group_result.html",
        {
            "unit_year": unit_year,
            "group": current,
            "members": list(current.members.all()) if current else [],
            "rows": rows,
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
