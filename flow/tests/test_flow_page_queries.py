"""The flow page (送审 · 评价 · 定稿) answers in a fixed number of queries, whatever the number of
projects and their tables: pinned for the person at 送审, the person at 定稿 and someone who only
follows the timeline."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from budgets.models import IncomeLine
from departments.models import UnitYear
from flow import services as flow
from flow.findings import year_findings
from indicators.models import ProjectEvaluation
from indicators.tests.factories import add_project, build_project_table, ready_year

pytestmark = pytest.mark.django_db


def add_projects(unit_year, first: int, last: int) -> None:
    """Projects with their tables and goals (the tables are built as in a draft)."""
    status = unit_year.status
    UnitYear.objects.filter(pk=unit_year.pk).update(status="draft")
    unit_year.status = "draft"
    for n in range(first, last + 1):
        project = add_project(unit_year, f"项目{n}", order=n)
        build_project_table(unit_year, project)
        ProjectEvaluation.objects.create(project=project, expected_goal=f"项目{n}的目标")
    UnitYear.objects.filter(pk=unit_year.pk).update(status=status)
    unit_year.status = status


def with_a_finding(unit_year, user) -> None:
    """A 数据校验 finding (a part larger than its total), explained in writing."""
    IncomeLine.objects.create(unit_year=unit_year, source="total", full_year_budget=D("100.00"))
    IncomeLine.objects.create(unit_year=unit_year, source="general_public", full_year_budget=D("120.00"))
    finding = year_findings(unit_year)[0]
    flow.check_explain(unit_year=unit_year, user=user, key=finding.key, explanation="口径不同")


def count(client, django_assert_num_queries, unit_year, queries: int, *expected_text: str) -> None:
    with django_assert_num_queries(queries):
        page = client.get(reverse("flow:page", args=[unit_year.unit.code, unit_year.year])).content.decode()
    for text in expected_text:
        assert text in page


@pytest.mark.parametrize("status", ["draft", "evaluating"])
def test_the_signer_sees_everything_in_constant_queries(client, personas, year_a, django_assert_num_queries, status):
    signer = personas["officer_a"] if status == "draft" else personas["leader_a"]
    ready_year(year_a, status=status, leader=personas["leader_a"], lead=personas["evaluator_a"])
    with_a_finding(year_a, signer)
    add_projects(year_a, 1, 1)
    client.force_login(signer)
    # session, user, memberships, the year with its scoring record (定稿: the rules it is scored
    # under), the rules in force (送审: the quality findings) and the user's seats on its
    # evaluation group; the timeline; income, spending, 三公经费, the project lines with their
    # evaluations, every indicator (the quality findings at 送审, the total at 定稿); the 数据校验
    # explanations. Ten in production, where sessions are in the cache.
    queries = 11
    button = "送审</button>" if status == "draft" else "定稿</button>"
    count(client, django_assert_num_queries, year_a, queries, button, "口径不同")
    add_projects(year_a, 2, 20)
    count(client, django_assert_num_queries, year_a, queries, button, "口径不同")


def test_who_only_follows_the_timeline_is_not_shown_the_findings(client, personas, year_a, django_assert_num_queries):
    ready_year(year_a, status="draft", leader=personas["leader_a"], lead=personas["evaluator_a"])
    with_a_finding(year_a, personas["officer_a"])
    add_projects(year_a, 1, 20)
    client.force_login(personas["evaluator_a"])
    # session, user, memberships, the year with its scoring record and the user's seats, the
    # timeline: none of the figures, indicators or rules that only the signer is shown.
    count(client, django_assert_num_queries, year_a, 5, "您当前不需要在本页操作")
