"""Shared test personas (healthchecks' alice/bob style) and the demo year.

Personas: an officer of unit A, an officer of unit B, an evaluator and a leader of unit A,
an administrator, and the anonymous visitor (the plain ``client``).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from departments.models import Membership, Role, Unit, UnitYear

PASSWORD = "test-password-123"  # noqa: S105 - test persona


@pytest.fixture(scope="session", autouse=True)
def _database_features(django_db_setup, django_db_blocker):
    """Ask the database once what it supports before any test counts queries: Django asks SQLite
    whether it has JSON functions (one query) the first time a query uses them, as a server
    process does once per connection (``perfeval.jsonrows``)."""
    from django.db import connection

    with django_db_blocker.unblock():
        assert connection.features.has_json_object_function


def make_user(username: str, *, role: str | None = None, unit: Unit | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def unit_a(db) -> Unit:
    return Unit.objects.create(code="A001", name="甲单位", region="甲县")


@pytest.fixture
def unit_b(db) -> Unit:
    return Unit.objects.create(code="B001", name="乙单位", region="乙县")


@pytest.fixture
def year_a(unit_a) -> UnitYear:
    return UnitYear.objects.create(unit=unit_a, year=2024, contact_name="张三")


@pytest.fixture
def year_b(unit_b) -> UnitYear:
    return UnitYear.objects.create(unit=unit_b, year=2024, contact_name="李四")


@pytest.fixture
def officer_a(unit_a):
    return make_user("officer_a", role=Role.OFFICER, unit=unit_a, first_name="甲财务")


@pytest.fixture
def officer_b(unit_b):
    return make_user("officer_b", role=Role.OFFICER, unit=unit_b, first_name="乙财务")


@pytest.fixture
def evaluator_a(unit_a):
    return make_user("evaluator_a", role=Role.EVALUATOR, unit=unit_a, first_name="甲评价")


@pytest.fixture
def leader_a(unit_a):
    return make_user("leader_a", role=Role.LEADER, unit=unit_a, first_name="甲领导")


@pytest.fixture
def admin_user(db):
    return make_user("admin_x", role=Role.ADMIN, first_name="管理员", is_staff=True)


@pytest.fixture
def personas(officer_a, officer_b, evaluator_a, leader_a, admin_user) -> dict:
    """Every persona by name; ``None`` is the anonymous visitor."""
    return {
        "anonymous": None,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "evaluator_a": evaluator_a,
        "leader_a": leader_a,
        "admin": admin_user,
    }


@pytest.fixture
def demo_year(db) -> UnitYear:
    """The reference report loaded by ``load_demo``."""
    from demo.load import demo_load

    return demo_load().unit_year


@pytest.fixture
def unreconciled_demo_year(demo_year):
    """The demo year as the reference prints it without the unitemised row: ten projects with
    年初预算数 and 全年执行数 only (236.00), against 项目支出 全年预算数 275.61 — the gap the 数据校验
    reports ("项目明细金额合计为 236.00 万元 … 相差 39.61 万元")."""
    from budgets.models import ProjectKind

    demo_year.project_lines.filter(kind=ProjectKind.UNITEMISED).delete()
    demo_year.project_lines.update(full_year_budget=None)
    return demo_year


@pytest.fixture
def finalised_demo_year(db) -> UnitYear:
    """The demo year finished as ``load_demo --finalised`` leaves it: weighted by default,
    scored by the evaluation group (one indicator partly met, over-achievements explained),
    confirmed by its lead, the reference's own contradictions explained, 已定稿 with its
    报告日期 fixed."""
    from demo.load import demo_load

    return demo_load(finalised=True).unit_year
