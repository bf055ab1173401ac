"""Actions that change a unit-year's profile and texts, and optimistic locking. Every write of a
unit-year's data, in any app, first claims its version (``unit_year_claim``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from perfeval.formatting import display_name

from .models import Duty, Organ, UnitYear, UserPreference

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.forms import BaseInlineFormSet, ModelForm

    from .forms import DutyForm, OrganForm, ProfileForm


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
        raise EditConflict(
            changed_by=display_name(current.updated_by, missing="其他用户"), changed_at=current.updated_at
        )
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
        renumber(model.objects.filter(unit_year=unit_year), group_by="kind" if model is Organ else None)
    return year


def renumber(queryset: QuerySet, *, group_by: str | None) -> None:
    """序号 1, 2, 3 … in the order the user arranged (ties keep their previous order)."""
    counters: dict[object, int] = {}
    for obj in queryset.order_by(*([group_by] if group_by else []), "order", "id"):
        key = getattr(obj, group_by) if group_by else None
        counters[key] = counters.get(key, 0) + 1
        if obj.order != counters[key]:
            obj.order = counters[key]
            obj.save(update_fields=["order"])


@transaction.atomic
def unit_year_save_texts(
    *, unit_year: UnitYear, user: User, expected_version: int, form: ModelForm[UnitYear]
) -> UnitYear:
    """Save the explanations and the narrative sections 三、五、六、七 (a validated ModelForm)."""
    unit_year_claim(unit_year=unit_year, user=user, expected_version=expected_version)
    year: UnitYear = form.save(commit=False)
    year.version = unit_year.version
    year.updated_by = user
    year.full_clean()
    year.save(update_fields=[*form.fields, "version", "updated_by", "updated_at"])
    return year


# The session keeps the user's display settings (read by every page without a query); they are
# copied there at login (departments.apps) and whenever they change.
LARGE_TEXT_SESSION_KEY = "large_text"


def user_preference_set_large_text(*, user: User, large_text: bool) -> UserPreference:
    """Remember the user's text size (大字号 / 标准字号)."""
    preference, _ = UserPreference.objects.get_or_create(user=user)
    preference.large_text = large_text
    preference.full_clean()
    preference.save(update_fields=["large_text"])
    return preference


def user_prefers_large_text(*, user: User) -> bool:
    return UserPreference.objects.filter(user=user, large_text=True).exists()
