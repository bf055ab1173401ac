"""Fixtures for the indicators app: the reference year made ready to score."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from departments.models import Membership, Role
from flow import services as flow
from indicators import services


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
