"""Who may do what: the one access policy.

One ``Access`` object per user and request answers every question the app asks — which
unit-years the user sees, and for one unit-year whether they may view it, edit its figures and
texts, edit its indicators, submit, name the evaluation group, start the evaluation, score,
confirm the group result, send back, finalise, reopen, create the next year — plus the global
ones (start a batch, see the overview, open the Django admin). Views, services, templates (tabs
and buttons) and the navigation all ask it; nothing else decides.

The user's memberships are read with **one** query, the first time a question needs them. For a
request, ``AccessMiddleware`` attaches the object to the request's user (``request.access``), so
the view and the services it calls (``Access.for_user(user)``) share it; outside a request (a
task, a management command, a test) ``for_user`` builds a fresh one each time. Whether the user
sits on a year's evaluation group is asked of the indicators app through a function it
registers (``register_group_roles``): this core app imports no app above it.

Another unit's year answers 404 (its existence is not revealed); a visible year on which the
user may not do something answers 403 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Membership, Role, UnitYear, YearStatus

# Roles on one year's evaluation group (not memberships of the unit).
GROUP_MEMBER = "group_member"
GROUP_LEAD = "group_lead"

GroupRolesProvider = Callable[[UnitYear, Any], frozenset[str]]
GroupRolesAnnotation = Callable[["QuerySet[UnitYear]", Any], "QuerySet[UnitYear]"]
_group_roles_provider: GroupRolesProvider | None = None
_group_roles_annotation: GroupRolesAnnotation | None = None
# The user's seats on each year's evaluation group, as ``annotate(unit_years, user)`` adds them
# to the years it fetches (True / False each; see ``Access.with_group_roles``).
ALL_ROLES = frozenset(Role.values)  # an administrator's roles in every unit
GROUP_SEAT_ANNOTATIONS = {GROUP_MEMBER: "group_member_seat_", GROUP_LEAD: "group_lead_seat_"}


def register_group_roles(provider: GroupRolesProvider, annotate: GroupRolesAnnotation | None = None) -> None:
    """The indicators app tells the policy who sits on a year's evaluation group:
    ``provider(unit_year, user)`` returns a subset of {GROUP_MEMBER, GROUP_LEAD};
    ``annotate(queryset, user)`` adds the seats to the years a query fetches
    (``GROUP_SEAT_ANNOTATIONS``), for a page that fetches its years anyway (a year's page, the
    page of 我的工作)."""
    global _group_roles_provider, _group_roles_annotation
    _group_roles_provider = provider
    _group_roles_annotation = annotate


_ATTACHED = "_perfeval_access"

ANY_STATUS: tuple[str, ...] = tuple(YearStatus.values)
NOT_FINALISED = (YearStatus.DRAFT, YearStatus.SUBMITTED, YearStatus.EVALUATING)
CLOSED_MESSAGE = "该年度已送审或定稿，不能再修改。"


@dataclass(frozen=True)
class Rule:
    """Who (any of these roles) may do it, in which statuses, and what a refusal says."""

    roles: frozenset[str]
    statuses: tuple[str, ...]
    role_message: str
    status_message: str = ""


def _rule(roles: Iterable[str], statuses: tuple[str, ...], role_message: str, status_message: str = "") -> Rule:
    return Rule(frozenset(roles), statuses, role_message, status_message)


# The whole policy of a unit-year. An administrator holds every role of every unit (officer,
# evaluator, leader, admin) but sits on an evaluation group only when named to it.
RULES: dict[str, Rule] = {
    "edit": _rule({Role.OFFICER}, (YearStatus.DRAFT,), "只有本单位财务人员可以填报和修改。", CLOSED_MESSAGE),
    "edit_indicators": _rule({Role.OFFICER}, (YearStatus.DRAFT,), "只有本单位财务人员可以修改指标表。", CLOSED_MESSAGE),
    "save_to_library": _rule({Role.OFFICER}, ANY_STATUS, "只有本单位财务人员可以把指标存入指标库。"),
    "submit": _rule({Role.OFFICER}, (YearStatus.DRAFT,), "只有本单位财务人员可以送审。", "只有草稿可以送审。"),
    "name_group": _rule(
        {Role.LEADER}, NOT_FINALISED, "只有单位领导或管理员可以指定评价小组。", "该年度已定稿，不能再修改评价小组。"
    ),
    "start_evaluation": _rule(
        {Role.LEADER}, (YearStatus.SUBMITTED,), "只有单位领导可以交评价小组评分。", "只有已送审的年度可以开始评价。"
    ),
    "see_scoring": _rule({GROUP_MEMBER}, ANY_STATUS, "只有评价小组成员可以评分。"),
    "score": _rule(
        {GROUP_MEMBER}, (YearStatus.EVALUATING,), "您不是该年度评价小组成员。", "该年度不在评价中，不能评分。"
    ),
    "confirm": _rule(
        {GROUP_LEAD, Role.ADMIN},
        (YearStatus.EVALUATING,),
        "只有评价小组组长可以确认小组评分结果。",
        "该年度不在评价中。",
    ),
    "send_back": _rule(
        {Role.LEADER, GROUP_LEAD},
        (YearStatus.SUBMITTED, YearStatus.EVALUATING),
        "只有单位领导或评价小组组长可以退回。",
        "只有已送审或评价中的年度可以退回。",
    ),
    "finalise": _rule({Role.LEADER}, (YearStatus.EVALUATING,), "只有单位领导可以定稿。", "只有评价中的年度可以定稿。"),
    "reopen": _rule(
        {Role.ADMIN}, (YearStatus.FINALISED,), "只有管理员可以重新开启已定稿的年度。", "只有已定稿的年度可以重新开启。"
    ),
    "create_next_year": _rule({Role.OFFICER}, ANY_STATUS, "只有本单位财务人员可以创建下一年度。"),
}

# The flow's steps, in the order the flow page offers them.
FLOW_STEPS = ("submit", "start_evaluation", "send_back", "finalise", "reopen")


class YearAccess:
    """What one user may do on one unit-year (which they may see)."""

    def __init__(self, access: Access, unit_year: UnitYear) -> None:
        self.access = access
        self.unit_year = unit_year
        self.unit_roles: frozenset[str] = access.roles(unit_year.unit_id)

    @cached_property
    def group_roles(self) -> frozenset[str]:
        if _group_roles_provider is None or not self.access.is_authenticated:
            return frozenset()
        seats = {role: self.unit_year.__dict__.get(name) for role, name in GROUP_SEAT_ANNOTATIONS.items()}
        if None not in seats.values():  # fetched with the year (Access.with_group_roles)
            return frozenset(role for role, seated in seats.items() if seated)
        return _group_roles_provider(self.unit_year, self.access.user)

    def _has_role(self, rule: Rule) -> bool:
        if rule.roles & self.unit_roles:
            return True
        return bool(rule.roles & {GROUP_MEMBER, GROUP_LEAD}) and bool(rule.roles & self.group_roles)

    def role_allows(self, capability: str) -> bool:
        """Whether the user's role allows ``capability`` in some status of the year."""
        return self._has_role(RULES[capability])

    def allows(self, capability: str) -> bool:
        """Whether the user may do ``capability`` now (role and the year's status)."""
        rule = RULES[capability]
        return self.unit_year.status in rule.statuses and self._has_role(rule)

    def require(self, capability: str) -> None:
        """403 with the reason unless ``allows(capability)``."""
        rule = RULES[capability]
        if not self._has_role(rule):
            raise PermissionDenied(rule.role_message)
        if self.unit_year.status not in rule.statuses:
            raise PermissionDenied(rule.status_message or CLOSED_MESSAGE)

    def require_role(self, capability: str) -> None:
        """403 unless the role allows ``capability`` (services leave the status to the flow,
        which answers a wrong status with a validation message)."""
        rule = RULES[capability]
        if not self._has_role(rule):
            raise PermissionDenied(rule.role_message)

    # Attribute access for templates: {% if can.edit %}, {% if can.score %} …
    def __getattr__(self, name: str) -> bool:
        if name in RULES:
            return self.allows(name)
        raise AttributeError(name)

    @property
    def view(self) -> bool:
        return True  # a YearAccess exists only for a year the user may see

    @property
    def explain_findings(self) -> bool:
        """Explain a 数据校验 finding in writing: the people at 送审 (the officer, in a draft) and
        at 定稿 (the leader, during the evaluation)."""
        return self.allows("submit") or self.allows("finalise")

    def require_explain_findings(self) -> None:
        if not self.explain_findings:
            raise PermissionDenied("只有草稿阶段的财务人员或评价中的单位领导可以说明数据校验问题。")

    @property
    def flow_steps(self) -> list[str]:
        """The flow steps the user may take now (the flow page's buttons)."""
        return [step for step in FLOW_STEPS if self.allows(step)]

    @property
    def roles(self) -> tuple[str, ...]:
        """The user's roles in the unit, for display (administrators: admin only)."""
        if self.access.is_admin:
            return (Role.ADMIN,)
        return tuple(sorted(self.unit_roles))


class Access:
    """Everything one user may see and do. Build it with ``Access.for_user(user)`` (or read
    ``request.access``): one ``Membership`` query, the first time it is needed."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._years: dict[int, YearAccess] = {}
        self._unit_roles: dict[int, frozenset[str]] = {}

    @classmethod
    def for_user(cls, user: Any) -> Access:
        """The policy object attached to this user instance for the request, else a fresh one."""
        if user is None:
            return cls(None)
        attached = user.__dict__.get(_ATTACHED)
        return attached if attached is not None else cls(user)

    @classmethod
    def attach(cls, user: Any) -> Access:
        """Build the request's policy object and keep it on the request's user instance."""
        access = cls(user)
        if user is not None:
            user.__dict__[_ATTACHED] = access
        return access

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @cached_property
    def _memberships(self) -> tuple[tuple[int | None, str], ...]:
        """(unit id, role) of every membership: the one Membership query."""
        if not self.is_authenticated:
            return ()
        return tuple(Membership.objects.filter(user=self.user).values_list("unit_id", "role"))

    @cached_property
    def is_admin(self) -> bool:
        if not self.is_authenticated:
            return False
        return bool(self.user.is_superuser) or any(role == Role.ADMIN for _, role in self._memberships)

    def roles(self, unit_id: int) -> frozenset[str]:
        """The user's roles in a unit (administrators hold every role); asked once per unit and
        request (a list page asks for every row)."""
        found = self._unit_roles.get(unit_id)
        if found is None:
            if self.is_admin:
                found = ALL_ROLES
            else:
                found = frozenset(role for uid, role in self._memberships if uid == unit_id)
            self._unit_roles[unit_id] = found
        return found

    def unit_ids(self, *roles: str) -> list[int]:
        """The units in which the user holds one of ``roles`` (any role when none given)."""
        return sorted({uid for uid, role in self._memberships if uid is not None and (not roles or role in roles)})

    # -- which years ---------------------------------------------------------------------------

    def visible_years(self, queryset: QuerySet[UnitYear] | None = None) -> QuerySet[UnitYear]:
        """The unit-years the user may see (administrators: all)."""
        qs = queryset if queryset is not None else UnitYear.objects.all()
        if not self.is_authenticated:
            return qs.none()
        if self.is_admin:
            return qs
        return qs.filter(unit_id__in=self.unit_ids())

    def years_with_role(self, *roles: str, queryset: QuerySet[UnitYear] | None = None) -> QuerySet[UnitYear]:
        """The unit-years of units in which the user holds one of ``roles`` (administrators: all)."""
        qs = queryset if queryset is not None else UnitYear.objects.all()
        if not self.is_authenticated:
            return qs.none()
        if self.is_admin:
            return qs
        return qs.filter(unit_id__in=self.unit_ids(*roles))

    def with_group_roles(self, queryset: QuerySet[UnitYear]) -> QuerySet[UnitYear]:
        """``queryset`` with the user's seats on each year's evaluation group in the same query,
        so ``year(unit_year)`` need not ask for them (one query fewer on a year's page)."""
        if _group_roles_annotation is None or not self.is_authenticated:
            return queryset
        return _group_roles_annotation(queryset, self.user)

    def get_year(
        self,
        *,
        unit_code: str,
        year: int,
        queryset: QuerySet[UnitYear] | None = None,
        need: str | None = None,
    ) -> UnitYear:
        """The unit-year of a request: 404 when the user may not see it, 403 when ``need`` (a
        capability of ``RULES``) is given and not allowed now. The user's seats on the year's
        evaluation group come in the same query (``with_group_roles``): every year page asks
        them, if only for whether to show the 评分 tab."""
        qs = self.with_group_roles(self.visible_years(queryset if queryset is not None else UnitYear.objects.all()))
        unit_year = get_object_or_404(qs.select_related("unit"), unit__code=unit_code, year=year)
        if need:
            self.year(unit_year).require(need)
        return unit_year

    def year(self, unit_year: UnitYear) -> YearAccess:
        """What the user may do on ``unit_year`` (which they may see)."""
        found = self._years.get(unit_year.pk)
        if found is None or found.unit_year is not unit_year:
            found = YearAccess(self, unit_year)
            self._years[unit_year.pk] = found
        return found

    # -- global questions ------------------------------------------------------------------------

    @property
    def see_overview(self) -> bool:
        """全部单位总览 and a unit's years side by side: the finance bureau's administrators."""
        return self.is_admin

    def require_overview(self) -> None:
        if not self.see_overview:
            raise PermissionDenied("只有管理员可以查看全部单位总览。")

    @property
    def use_admin_site(self) -> bool:
        """The Django admin (系统管理): Django admits active staff users."""
        return self.is_authenticated and bool(self.user.is_active and self.user.is_staff)

    @property
    def start_batch(self) -> bool:
        """批量生成: administrators, and leaders (for the units they lead)."""
        return self.is_admin or bool(self.unit_ids(Role.LEADER))

    @property
    def role_labels(self) -> dict[int | None, list[str]]:
        """{unit id: role labels} for display."""
        out: dict[int | None, list[str]] = {}
        for uid, role in self._memberships:
            out.setdefault(uid, []).append(Role(role).label)
        return out
