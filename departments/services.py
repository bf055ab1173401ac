"""Actions that change a unit-year's profile and texts, optimistic locking, and creating the
next year. Every write of a unit-year's data first claims its version (``unit_year_claim``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Duty, Organ, UnitYear, YearStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.forms import BaseInlineFormSet

    from .forms import DutyForm, OrganForm, ProfileForm, TextsForm
    from .overview import OverviewRow


def posted_version(data: Mapping[str, Any]) -> int:
    """The ``version`` a form was read at (a hidden field); -1 when missing, so the save is refused."""
    try:
        return int(data.get("version", ""))
    except ValueError:
        return -1


@dataclass
class EditConflict(Exception):  # noqa: N818 - reads as what happened
    """Someone saved the year after the user opened the form."""

    changed_by: str
    changed_at: datetime | None

    @property
    def message(self) -> str:
        when = timezone.localtime(self.changed_at).strftime("%Y-%m-%d %H:%M") if self.changed_at else "刚才"
        return (
            f"保存未成功：{self.changed_by} 已于 {when} 修改了本年度的数据，您打开页面之后的内容已经变化。"
            "您填写的内容仍保留在页面上；请核对（可在“修改记录”中查看对方的修改）后再次保存。"
        )

    def __str__(self) -> str:
        return self.message


def _display_name(user: User | None) -> str:
    if user is None:
        return "其他用户"
    return user.get_full_name() or user.get_username()


def unit_year_claim(*, unit_year: UnitYear, user: User, expected_version: int) -> UnitYear:
    """Take the next version of ``unit_year`` if it is still at ``expected_version``.

    One conditional UPDATE, so of two concurrent saves exactly one wins; the other raises
    ``EditConflict`` naming who changed it and when. Call inside the saving transaction."""
    now = timezone.now()
    claimed = UnitYear.objects.filter(pk=unit_year.pk, version=expected_version).update(
        version=F("version") + 1, updated_by=user, updated_at=now
    )
    if not claimed:
        current = UnitYear.objects.select_related("updated_by").only("updated_at", "updated_by").get(pk=unit_year.pk)
        raise EditConflict(changed_by=_display_name(current.updated_by), changed_at=current.updated_at)
    unit_year.version = expected_version + 1
    unit_year.updated_by = user
    unit_year.updated_at = now
    return unit_year


@transaction.atomic
def unit_year_save_profile(
    *,
    unit_year: UnitYear,
    user: User,
    expected_version: int,
    profile_form: ProfileForm,
    duty_formset: BaseInlineFormSet[Duty, UnitYear, DutyForm],
    organ_formset: BaseInlineFormSet[Organ, UnitYear, OrganForm],
) -> UnitYear:
    """Save 部门基本信息, 职责 and 机构设置 (validated forms) as one change."""
    unit_year_claim(unit_year=unit_year, user=user, expected_version=expected_version)
    year: UnitYear = profile_form.save(commit=False)
    year.version = unit_year.version
    year.updated_by = user
    year.full_clean()
    year.save(update_fields=[*profile_form.Meta.fields, "version", "updated_by", "updated_at"])
    for formset, model in ((duty_formset, Duty), (organ_formset, Organ)):
        for obj in formset.save(commit=False):
            obj.unit_year = unit_year
            obj.full_clean()
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        _renumber(model.objects.filter(unit_year=unit_year), group_by="kind" if model is Organ else None)
    return year


def _renumber(queryset: QuerySet[Duty] | QuerySet[Organ], *, group_by: str | None) -> None:
    """序号 1, 2, 3 … in the order the user arranged (ties keep their previous order)."""
    counters: dict[object, int] = {}
    for obj in queryset.order_by(*([group_by] if group_by else []), "order", "id"):
        key = getattr(obj, group_by) if group_by else None
        counters[key] = counters.get(key, 0) + 1
        if obj.order != counters[key]:
            obj.order = counters[key]
            obj.save(update_fields=["order"])


@transaction.atomic
def unit_year_save_texts(*, unit_year: UnitYear, user: User, expected_version: int, form: TextsForm) -> UnitYear:
    """Save the explanations and the narrative sections 三、五、六、七 (a validated ModelForm)."""
    unit_year_claim(unit_year=unit_year, user=user, expected_version=expected_version)
    year: UnitYear = form.save(commit=False)
    year.version = unit_year.version
    year.updated_by = user
    year.full_clean()
    year.save(update_fields=[*form.Meta.fields, "version", "updated_by", "updated_at"])
    return year


class NextYearExists(Exception):  # noqa: N818
    pass


@transaction.atomic
def unit_year_create_next(*, unit_year: UnitYear, user: User) -> UnitYear:
    """Start the next fiscal year from this one: profile, duties, organisation and project
    names are copied; this year's figures become next year's 上年数. Amounts and texts that
    are the year's own (explanations, problems, measures) start blank."""
    from budgets.services import figures_seed_next_year

    if UnitYear.objects.filter(unit_id=unit_year.unit_id, year=unit_year.year + 1).exists():
        raise NextYearExists(f"{unit_year.unit.name} {unit_year.year + 1}年度已存在。")
    nxt = UnitYear(
        unit_id=unit_year.unit_id,
        year=unit_year.year + 1,
        status=YearStatus.DRAFT,
        headcount_authorized=unit_year.headcount_authorized,
        headcount_actual=unit_year.headcount_actual,
        contact_name=unit_year.contact_name,
        contact_phone=unit_year.contact_phone,
        function_summary=unit_year.function_summary,
        evaluation_method=unit_year.evaluation_method,
        updated_by=user,
    )
    nxt.full_clean()
    nxt.save()
    for duty in unit_year.duties.order_by("order", "id"):
        Duty.objects.create(unit_year=nxt, order=duty.order, text=duty.text)
    for organ in unit_year.organs.order_by("kind", "order", "id"):
        Organ.objects.create(
            unit_year=nxt, kind=organ.kind, order=organ.order, name=organ.name, affiliated_unit=organ.affiliated_unit
        )
    figures_seed_next_year(source=unit_year, target=nxt)
    return nxt


# ---------------------------------------------------------------- 全部单位总览 Excel


OVERVIEW_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def overview_export_xlsx(*, rows: Iterable[OverviewRow]) -> bytes:
    """The overview's filtered, sorted rows (``departments.overview.overview_rows``) as a
    workbook: one header row with the page's column titles, then one row per unit-year with the
    same cells. Numbers stay numbers (money with ``MONEY_FORMAT``); text is made formula-safe."""

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from perfeval.xlsx import MONEY_FORMAT, PERCENT_FORMAT, cell_value, workbook_bytes

    from .overview import COLUMNS

    formats = {"money": MONEY_FORMAT, "percent": PERCENT_FORMAT, "score": "0.00"}
    widths = {"text": 16, "int": 8, "score": 10, "percent": 14, "money": 18}
    wb = Workbook()
    ws = wb.worksheets[0]  # a new workbook's one sheet
    ws.title = "全部单位总览"
    for col, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=column.label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        ws.column_dimensions[get_column_letter(col)].width = 24 if column.key == "name" else widths[column.kind]
    for r, row in enumerate(rows, start=2):
        for col, item in enumerate(row.cells, start=1):
            value = cell_value(item.value) if item.value != "" else None  # the page's "—"
            cell = ws.cell(row=r, column=col, value=value)
            if item.kind in formats and value is not None:
                cell.number_format = formats[item.kind]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(ws.max_row, 1)}"
    return workbook_bytes(wb)
