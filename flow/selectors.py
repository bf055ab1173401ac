"""Read side of the flow: 我的工作 (the years a user may see, with their next step) and 修改记录
(every recorded change of a year)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.urls import reverse

from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine
from departments.access import Access
from departments.models import Duty, Organ, Role, UnitYear, YearStatus
from indicators.models import Goal, Indicator
from perfeval.formatting import display_name

from .findings import year_findings
from .models import CheckExplanation, StatusChange
from .services import ACTION_LABELS

NEXT_STEP: dict[tuple[str, str], str] = {
    (YearStatus.DRAFT, Role.OFFICER): "填报数据并送审",
    (YearStatus.SUBMITTED, Role.LEADER): "审核后交评价小组评分或退回",
    (YearStatus.SUBMITTED, Role.EVALUATOR): "等待开始评价",
    (YearStatus.EVALUATING, Role.EVALUATOR): "对绩效指标评分",
    (YearStatus.EVALUATING, Role.LEADER): "评分确认后定稿或退回",
    (YearStatus.FINALISED, Role.LEADER): "下载自评报告",
}


@dataclass(frozen=True)
class HomeRow:
    unit_year: UnitYear
    roles: tuple[str, ...]
    next_step: str
    next_url: str = ""
    can_create_next: bool = False


def home_rows(access: Access) -> list[HomeRow]:
    """The unit-years the user may see, newest first, with what they should do next."""
    years = list(access.visible_years().select_related("unit", "updated_by").order_by("unit__code", "-year"))
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
        args = [uy.unit.code, uy.year]
        if can.edit:
            next_url = reverse("budgets:figures", args=args)
        else:
            next_url = reverse("flow:year_detail", args=args)
        rows.append(
            HomeRow(
                unit_year=uy,
                roles=roles,
                next_step=step,
                next_url=next_url,
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


def _show(model_field: models.Field, value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):  # a date or a datetime
        return value.strftime("%Y-%m-%d")
    return str(value)


def _describe(model_name: str, record: models.Model) -> str:
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
        "checkexplanation": lambda r: "数据校验说明",
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
    (CheckExplanation, "unit_year_id"),
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


# ---------------------------------------------------------------- notes for the report


def check_notes(unit_year: UnitYear) -> list[tuple[str, str]]:
    """(finding, explanation) of every current 数据校验 finding the unit explained in writing —
    the notes the report prints where a reader meets the figures. Explanations of findings that
    are gone (the figures were corrected) are not printed."""
    return [(f.message, f.explanation.explanation) for f in year_findings(unit_year) if f.explanation is not None]
