"""The one place that turns (user, unit, year, intent) into an object or a refusal.

Another unit's year answers 404 (its existence is not revealed); a visible year that the user
may not change answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Membership, Role, UnitYear


def is_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def roles_in_unit(user, unit_id: int) -> set[str]:
    """The roles ``user`` holds in the unit (administrators hold every role)."""
    if is_admin(user):
        return set(Role.values)
    return set(Membership.objects.filter(user=user, unit_id=unit_id).values_list("role", flat=True))


def unit_year_for_view(
    user,
    *,
    unit_code: str,
    year: int,
    roles: tuple[str, ...] = (),
    editable: bool = False,
    queryset=None,
) -> UnitYear:
    """Fetch the unit-year for a request.

    404 when the user may not see it. 403 when ``roles`` is given and the user holds none of
    them in the unit, or when ``editable`` and the year is no longer a draft.
    """
    qs = (queryset if queryset is not None else UnitYear.objects.all()).select_related("unit")
    unit_year = get_object_or_404(qs.for_user(user), unit__code=unit_code, year=year)
    if roles and not roles_in_unit(user, unit_year.unit_id) & set(roles):
        raise PermissionDenied("您的角色无权执行此操作。")
    if editable and not unit_year.is_editable:
        raise PermissionDenied("该年度已送审或定稿，不能再修改。")
    return unit_year


def can_edit(user, unit_year: UnitYear) -> bool:
    """Whether the page should offer editing: the same rule ``unit_year_for_view(...,
    roles=(Role.OFFICER,), editable=True)`` enforces on the write."""
    return unit_year.is_editable and Role.OFFICER in roles_in_unit(user, unit_year.unit_id)


def require_admin(user) -> None:
    """The finance bureau's pages (全部单位总览 and a unit's years side by side) are for
    administrators only: any other signed-in user gets 403, whatever unit they belong to."""
    if not is_admin(user):
        raise PermissionDenied("只有管理员可以查看全部单位总览。")
