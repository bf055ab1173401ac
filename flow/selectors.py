"""Read side of the flow: 我的工作 (the years a user may see, with their next step) and 修改记录
(every recorded change of a year)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.urls import reverse

from budgets.checks import year_checks
from budgets.figures import year_figures
from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine
from departments.access import Access
from departments.models import Duty, Organ, Role, UnitYear, YearStatus
from indicators.models import Goal, Indicator
from perfeval.formatting import display_name

from .models import StatusChange
from .services import ACTION_LABELS

NEXT_STEP = {
    (YearStatus.DRAFT, Role.OFFICER): "填报数据并送审",
    (YearStatus.SUBMITTED, Role.LEADER): "审核后交评价小组评分或退回",
    (YearStatus.SUBMITTED, Role.EVALUATOR): "等待开始评价",
    (YearStatus.EVALUATING, Role.EVALUATOR): "对绩效指标评分",
    (YearStatus.EVALUATING, Role.LEADER): "评分确认后定稿或退回",
    (YearStatus.FINALISED, Role.LEADER): "下载自评报告",
}


# Who acts next, by status (the flow page and 概况 say it instead of "nothing to do").
WHO_ACTS_NEXT = {
    YearStatus.DRAFT: "本单位财务人员填报收支与项目、文字说明和绩效指标后送审。",
    YearStatus.SUBMITTED: "单位领导审核：指定评价小组后交评价小组评分，或退回财务人员修改。",
    YearStatus.EVALUATING: "评价小组成员对绩效指标评分，组长确认小组评分结果后由单位领导定稿（或退回）。",
    YearStatus.FINALISED: "已定稿：可下载自评报告；如需修改，由管理员重新开启。",
}


def who_acts_next(unit_year: UnitYear) -> str:
    return WHO_ACTS_NEXT.get(unit_year.status, "")


def next_url(can, unit_year: UnitYear) -> str:
    """The page where this person acts on the year now (我的工作 → 下一步)."""
    args = [unit_year.unit.code, unit_year.year]
    status = unit_year.status
    if can.edit:
        return reverse("budgets:figures", args=args)
    if status == YearStatus.SUBMITTED and can.start_evaluation:
        has_group = getattr(unit_year, "evaluation_group", None) is not None
        return reverse("flow:page" if has_group else "indicators:group", args=args)
    if status == YearStatus.EVALUATING:
        if can.confirm and not can.role_allows("finalise"):
            return reverse("indicators:group_result", args=args)
        if can.score:
            return reverse("indicators:scoring", args=args)
        if can.finalise:
            return reverse("flow:page", args=args)
    if status == YearStatus.FINALISED:
        return reverse("reports:report", args=args)
    return reverse("flow:year_detail", args=args)


@dataclass(frozen=True)
class HomeRow:
    unit_year: UnitYear
    roles: tuple[str, ...]
    next_step: str
    next_url: str = ""
    can_create_next: bool = False


def home_rows(access: Access) -> list[HomeRow]:
    """The unit-years the user may see, newest first, with what they should do next."""
    years = list(
        access.visible_years().select_related("unit", "updated_by", "evaluation_group").order_by("unit__code", "-year")
    )
    existing = {(uy.unit_id, uy.year) for uy in years}
    latest: dict[int, int] = {}
    for uy in years:
        latest[uy.unit_id] = max(latest.get(uy.unit_id, uy.year), uy.year)
    rows = []
    for uy in years:
        can = access.year(uy)
        roles = can.roles
        step = next((NEXT_STEP[(uy.status, r)] for r in roles if (uy.status, r) in NEXT_STEP), "")
        officer = can.role_allows("edit")
        if not step:
            step = "查看" if uy.status != YearStatus.DRAFT or not officer else "填报数据并送审"
        rows.append(
            HomeRow(
                unit_year=uy,
                roles=roles,
                next_step=step,
                next_url=next_url(can, uy),
                # Offered on a unit's newest year only, once it has left the draft stage.
                can_create_next=can.create_next_year
                and uy.year == latest[uy.unit_id]
                and uy.status != YearStatus.DRAFT
                and (uy.unit_id, uy.year + 1) not in existing,
            )
        )
    return rows


# ---------------------------------------------------------------- 修改记录

SKIP_FIELDS = {"id", "unit_year", "updated_by", "updated_at", "version"}


@dataclass
class HistoryEntry:
    at: datetime
    user: str
    action: str  # 新增 / 修改 / 删除 / 流程
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


def _show(model_field, value) -> str:
    if value is None or value == "":
        return "（空）"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _describe(model_name: str, record) -> str:
    describe = {
        "unityear": lambda r: "基本信息与文字说明",
        "duty": lambda r: f"职责 第{r.order}条",
        "organ": lambda r: f"机构设置 · {r.name}",
        "incomeline": lambda r: f"收入 · {r.get_source_display()}",
        "spendingline": lambda r: f"支出 · {r.get_kind_display()}",
        "threepublicline": lambda r: f"三公经费 · {r.get_kind_display()}",
        "projectline": lambda r: f"项目支出 · {r.name}",
        "goal": lambda r: "绩效目标",
        "indicator": lambda r: f"绩效指标 · {getattr(r, 'name', '')}",
    }
    return describe.get(model_name, lambda r: model_name)(record)


HISTORY_MODELS = (
    (UnitYear, "id"),
    (Duty, "unit_year_id"),
    (Organ, "unit_year_id"),
    (IncomeLine, "unit_year_id"),
    (SpendingLine, "unit_year_id"),
    (ThreePublicLine, "unit_year_id"),
    (ProjectLine, "unit_year_id"),
    (Goal, "unit_year_id"),
    (Indicator, "unit_year_id"),
)


def history_entries(unit_year: UnitYear) -> list[HistoryEntry]:
    """Every recorded change of the year's figures and texts, newest first: who, when, old → new.

    One query per tracked model (django-simple-history tables) plus one for the flow steps;
    old values come from the previous record of the same object, so nothing is queried per row."""
    entries: list[HistoryEntry] = []
    for model, key in HISTORY_MODELS:
        model_name = model.__name__
        fields = [f for f in model._meta.fields if f.name not in SKIP_FIELDS]
        previous: dict[int, object] = {}
        records = (
            model.history.filter(**{key: unit_year.pk})
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for record in records:
            before = previous.get(record.id)
            if record.history_type == "+":
                action = "新增"
                changes = [
                    (str(f.verbose_name), "", _show(f, getattr(record, f.attname)))
                    for f in fields
                    if getattr(record, f.attname) not in (None, "")
                ]
            elif record.history_type == "-":
                action, changes = "删除", []
            elif before is None:
                # Created without history (bulk-loaded): the earlier values are unknown.
                action = "修改"
                changes = [
                    (str(f.verbose_name), "（此前无记录）", _show(f, getattr(record, f.attname)))
                    for f in fields
                    if getattr(record, f.attname) not in (None, "")
                ]
            else:
                action = "修改"
                changes = [
                    (str(f.verbose_name), _show(f, getattr(before, f.attname)), _show(f, getattr(record, f.attname)))
                    for f in fields
                    if getattr(before, f.attname) != getattr(record, f.attname)
                ]
                if not changes:
                    previous[record.id] = record
                    continue  # saved without a visible change
            previous[record.id] = record
            entries.append(
                HistoryEntry(
                    at=record.history_date,
                    user=display_name(record.history_user),
                    action=action,
                    what=_describe(model_name.lower(), record),
                    changes=changes,
                )
            )
    for step in StatusChange.objects.filter(unit_year=unit_year).select_related("user"):
        entries.append(
            HistoryEntry(
                at=step.at,
                user=display_name(step.user),
                action="流程",
                what=ACTION_LABELS.get(step.action, step.action),
                changes=[("状态", step.get_from_status_display(), step.get_to_status_display())]
                + ([("意见", "", step.comment)] if step.comment else []),
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


# ---------------------------------------------------------------- 概况: the year's checklist


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    detail: str
    url: str


def year_checklist(unit_year: UnitYear) -> list[ChecklistItem]:
    """What is done and what is missing in the year, step by step, each with its page."""
    args = [unit_year.unit.code, unit_year.year]
    status = unit_year.status
    figures = year_figures(unit_year)
    checks = year_checks(figures, unit_year)
    indicators = list(unit_year.indicators.all())
    unweighted = sum(1 for i in indicators if i.weight is None and not i.not_applicable)
    texts_missing = [
        f.verbose_name
        for f in UnitYear._meta.get_fields()
        if getattr(f, "get_internal_type", lambda: "")() == "TextField"
        and f.name in ("income_change_note", "spending_change_note", "evaluation_purpose", "problems", "measures")
        and not getattr(unit_year, f.name)
    ]
    group = getattr(unit_year, "evaluation_group", None)
    scoring = getattr(unit_year, "scoring", None)
    after_submit = status != YearStatus.DRAFT
    return [
        ChecklistItem(
            "基本信息",
            bool(unit_year.function_summary and unit_year.headcount_actual is not None),
            "职能概述和实有人数" if not unit_year.function_summary else "已填写",
            reverse("departments:profile", args=args),
        ),
        ChecklistItem(
            "收支与项目",
            figures.income_total.actual is not None or figures.spending_total.actual is not None,
            f"数据校验 {len(checks)} 条提示" if checks else "已填写，数据校验无提示",
            reverse("budgets:figures", args=args),
        ),
        ChecklistItem(
            "文字说明",
            not texts_missing,
            "未填：" + "、".join(str(t) for t in texts_missing) if texts_missing else "已填写",
            reverse("reports:texts", args=args),
        ),
        ChecklistItem(
            "绩效指标",
            bool(indicators) and not unweighted,
            f"{len(indicators)} 个指标" + (f"，{unweighted} 个未设分值" if unweighted else ""),
            reverse("indicators:table", args=args),
        ),
        ChecklistItem(
            "送审", after_submit, "已送审" if after_submit else "由财务人员送审", reverse("flow:page", args=args)
        ),
        ChecklistItem(
            "评价小组",
            group is not None,
            "已指定" if group is not None else "由单位领导指定",
            reverse("indicators:group", args=args),
        ),
        ChecklistItem(
            "小组评分确认",
            bool(scoring and scoring.confirmed_at),
            "组长已确认" if scoring and scoring.confirmed_at else "评价小组评分后由组长确认",
            reverse("indicators:group_result", args=args),
        ),
        ChecklistItem(
            "定稿",
            status == YearStatus.FINALISED,
            "已定稿" if status == YearStatus.FINALISED else "由单位领导定稿",
            reverse("flow:page", args=args),
        ),
    ]
