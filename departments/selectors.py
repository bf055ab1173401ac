"""Read-side queries for units and years."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Role, UnitYear, YearStatus
from .permissions import is_admin

NEXT_STEP = {
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


def home_rows(user) -> list[HomeRow]:
    """The unit-years the user may see, newest first, with what they should do next."""
    years = list(UnitYear.objects.for_user(user).select_related("unit").order_by("unit__code", "-year"))
    if is_admin(user):
        role_map: dict[int, set[str]] = {}
        admin = True
    else:
        admin = False
        role_map = {}
        for unit_id, role in user.memberships.values_list("unit_id", "role"):
            role_map.setdefault(unit_id, set()).add(role)
    rows = []
    for uy in years:
        roles = tuple(sorted(role_map.get(uy.unit_id, ()))) if not admin else (Role.ADMIN,)
        step = next((NEXT_STEP[(uy.status, r)] for r in roles if (uy.status, r) in NEXT_STEP), "")
        if not step:
            step = "查看" if uy.status != YearStatus.DRAFT or Role.OFFICER not in roles else "填报数据并送审"
        rows.append(HomeRow(unit_year=uy, roles=roles, next_step=step))
    return rows
