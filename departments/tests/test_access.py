"""The access policy (departments.access): which years a user sees, what they may do on each,
and that a request asks the database about memberships once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.access import Access
from departments.models import UnitYear, YearStatus
from indicators.models import EvaluationGroup

pytestmark = pytest.mark.django_db

D, S, E, F = YearStatus.DRAFT, YearStatus.SUBMITTED, YearStatus.EVALUATING, YearStatus.FINALISED

# capability: {persona: the statuses in which it is allowed}. "lead" is the evaluation group's
# lead (an evaluator named lead), "member" a plain group member.
EXPECTED = {
    "edit": {"officer": {D}, "admin": {D}},
    "edit_indicators": {"officer": {D}, "admin": {D}},
    "submit": {"officer": {D}, "admin": {D}},
    "name_group": {"leader": {D, S, E}, "admin": {D, S, E}},
    "start_evaluation": {"leader": {S}, "admin": {S}},
    "see_scoring": {"member": {D, S, E, F}, "lead": {D, S, E, F}},
    "score": {"member": {E}, "lead": {E}},
    "confirm": {"lead": {E}, "admin": {E}},
    "send_back": {"leader": {S, E}, "lead": {S, E}, "admin": {S, E}},
    "finalise": {"leader": {E}, "admin": {E}},
    "reopen": {"admin": {F}},
    "create_next_year": {"officer": {D, S, E, F}, "admin": {D, S, E, F}},
}


@pytest.fixture
def people(year_a, officer_a, evaluator_a, leader_a, admin_user):
    from conftest import make_user
    from departments.models import Role

    member = make_user("member_a", role=Role.EVALUATOR, unit=year_a.unit)
    group = EvaluationGroup.objects.create(unit_year=year_a, lead=evaluator_a, named_by=leader_a)
    group.members.set([evaluator_a, member])
    return {"officer": officer_a, "lead": evaluator_a, "member": member, "leader": leader_a, "admin": admin_user}


@pytest.mark.parametrize("seats_with_the_year", [False, True], ids=["seats-asked", "seats-annotated"])
@pytest.mark.parametrize("capability", sorted(EXPECTED))
def test_the_policy_table(people, year_a, capability, seats_with_the_year):
    """The same answers whether the group seats are asked for (a query) or fetched with the
    year (``Access.with_group_roles``, no further query)."""
    for status in (D, S, E, F):
        UnitYear.objects.filter(pk=year_a.pk).update(status=status)
        for persona, user in people.items():
            access = Access.for_user(user)
            years = UnitYear.objects.select_related("unit")
            year = (access.with_group_roles(years) if seats_with_the_year else years).get(pk=year_a.pk)
            with CaptureQueriesContext(connection) as queries:
                allowed = access.year(year).allows(capability)
            assert allowed is (status in EXPECTED[capability].get(persona, set())), (capability, status, persona)
            if seats_with_the_year:
                assert not [q for q in queries.captured_queries if "evaluationgroup" in q["sql"]]


def test_visible_years_are_the_users_units(year_a, year_b, officer_a, officer_b, admin_user):
    assert list(Access.for_user(officer_a).visible_years()) == [year_a]
    assert list(Access.for_user(officer_b).visible_years()) == [year_b]
    assert set(Access.for_user(admin_user).visible_years()) == {year_a, year_b}


def test_another_units_year_is_404_and_a_wrong_role_403(year_a, officer_b, leader_a):
    from django.http import Http404

    with pytest.raises(Http404):
        Access.for_user(officer_b).get_year(unit_code="A001", year=2024)
    with pytest.raises(PermissionDenied, match="只有本单位财务人员"):
        Access.for_user(leader_a).get_year(unit_code="A001", year=2024, need="edit")


def test_a_closed_year_refuses_edits_with_the_reason(year_a, officer_a):
    UnitYear.objects.filter(pk=year_a.pk).update(status=YearStatus.SUBMITTED)
    with pytest.raises(PermissionDenied, match="已送审或定稿"):
        Access.for_user(officer_a).get_year(unit_code="A001", year=2024, need="edit")


def test_membership_is_asked_once_per_request(client, people, year_a):
    """Every page of a year asks the policy several questions (the year, the tabs, the buttons):
    one query on the membership table."""
    client.force_login(people["lead"])
    for name in ("flow:year_detail", "budgets:figures", "indicators:table", "indicators:scoring", "flow:page"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=["A001", 2024]))
        assert response.status_code == 200, name
        membership = [q for q in queries.captured_queries if '"departments_membership"' in q["sql"]]
        assert len(membership) == 1, (name, [q["sql"] for q in membership])


def test_tabs_follow_the_policy(client, people, year_a):
    """The 评分 tab is shown only to the group's members, for whom the page answers 200."""
    url = reverse("flow:year_detail", args=["A001", 2024])
    for persona in ("officer", "leader", "lead", "member"):
        client.force_login(people[persona])
        html = client.get(url).content.decode()
        shown = 'data-testid="tab-scoring"' in html
        status = client.get(reverse("indicators:scoring", args=["A001", 2024])).status_code
        assert shown == (status == 200), persona
        assert shown == (persona in ("lead", "member"))
