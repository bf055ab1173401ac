"""Fixtures for the indicators app: the reference year made ready to score."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from departments.models import Membership, Role, YearStatus
from flow import services as flow
from indicators import services
from indicators.tests.factories import add_project, build_project_table, build_table


@pytest.fixture
def demo_people(demo_year):
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=["officer", "evaluator", "leader", "admin"])}


@pytest.fixture
def demo_second_evaluator(demo_year):
    user = get_user_model().objects.create_user(username="evaluator2", password="x", first_name="第二评价人")
    Membership.objects.create(user=user, unit=demo_year.unit, role=Role.EVALUATOR)
    return user


@pytest.fixture
def demo_evaluating(demo_year, demo_people):
    """The reference year with default weights, the demo evaluator as the group's lead, under evaluation."""
    p = demo_people
    services.indicator_weights_default(unit_year=demo_year)
    services.evaluation_group_name(unit_year=demo_year, user=p["leader"], members=[p["evaluator"]], lead=p["evaluator"])
    flow.year_submit(unit_year=demo_year, user=p["officer"], acknowledge_warnings=True)
    flow.year_start_evaluation(unit_year=demo_year, user=p["leader"])
    demo_year.refresh_from_db()
    return demo_year


@pytest.fixture
def evaluating_with_projects(year_a, leader_a, evaluator_a):
    """Unit A's year with the department table and two project tables, under evaluation with
    ``evaluator_a`` as the group's only member and lead."""
    build_table(year_a)
    first = add_project(year_a, "代表培训经费", order=1)
    second = add_project(year_a, "人大宣传经费", budget="10", actual="10", order=2)
    build_project_table(year_a, first)
    build_project_table(year_a, second)
    services.evaluation_group_name(unit_year=year_a, user=leader_a, members=[evaluator_a], lead=evaluator_a)
    year_a.status = YearStatus.EVALUATING
    year_a.save()
    services.year_scoring_start(unit_year=year_a)
    return year_a, first, second
