"""Issue 15 item 7: a rule-set option (default off) requiring at least N evaluation-group members
and a finaliser who is not the group's lead — so one leader cannot name themselves the whole
group, score, confirm and finalise alone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from conftest import make_user
from departments.models import Role, UnitYear
from flow import services as flow
from indicators import services
from indicators.models import EvaluationGroup, RuleSet
from indicators.tests.factories import ready_year, score_all


def _require(*, members: int = 0, not_lead: bool = False) -> RuleSet:
    rule_set = RuleSet.objects.default_or_national()
    rule_set.min_group_members, rule_set.finaliser_not_lead = members, not_lead
    rule_set.full_clean()
    rule_set.save()
    return rule_set


def _one_leader_does_everything(year, leader) -> None:
    ready_year(year, status="submitted", leader=leader, lead=leader)
    flow.year_start_evaluation(unit_year=year, user=leader)
    score_all(year, leader)
    services.group_result_confirm(unit_year=year, user=leader)


def test_off_by_default_one_leader_may_still_do_everything(personas, year_a):
    leader = personas["leader_a"]
    _one_leader_does_everything(year_a, leader)
    flow.year_finalise(unit_year=year_a, user=leader)
    assert UnitYear.objects.get(pk=year_a.pk).status == "finalised"


def test_the_finaliser_may_not_be_the_groups_lead(personas, year_a):
    leader = personas["leader_a"]
    _one_leader_does_everything(year_a, leader)
    _require(not_lead=True)
    with pytest.raises(ValidationError) as exc:
        flow.year_finalise(unit_year=year_a, user=leader)
    assert "定稿人不得为评价小组组长" in str(exc.value)
    assert UnitYear.objects.get(pk=year_a.pk).status == "evaluating"
    other = make_user("leader_a2", role=Role.LEADER, unit=year_a.unit)
    flow.year_finalise(unit_year=UnitYear.objects.get(pk=year_a.pk), user=other)
    assert UnitYear.objects.get(pk=year_a.pk).status == "finalised"


def test_a_group_smaller_than_required_cannot_be_named_started_or_finalised(personas, year_a):
    leader, evaluator = personas["leader_a"], personas["evaluator_a"]
    ready_year(year_a, status="submitted", leader=leader, lead=evaluator)  # a group of one, named before
    _require(members=2)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_group_name(unit_year=year_a, user=leader, members=[evaluator], lead=evaluator)
    assert "至少 2 名成员，目前为 1 名" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        flow.year_start_evaluation(unit_year=year_a, user=leader)
    assert "至少 2 名成员" in str(exc.value)
    assert UnitYear.objects.get(pk=year_a.pk).status == "submitted"

    services.evaluation_group_name(unit_year=year_a, user=leader, members=[evaluator, leader], lead=evaluator)
    year_a.refresh_from_db()
    flow.year_start_evaluation(unit_year=year_a, user=leader)
    for member in (evaluator, leader):
        score_all(year_a, member)
    services.group_result_confirm(unit_year=year_a, user=evaluator)
    # Someone shrinks the group after confirmation (e.g. in the admin): 定稿 is refused.
    EvaluationGroup.objects.get(unit_year=year_a).members.remove(leader)
    with pytest.raises(ValidationError) as exc:
        flow.year_finalise(unit_year=UnitYear.objects.get(pk=year_a.pk), user=leader)
    assert "至少 2 名成员" in str(exc.value) and "不能定稿" in str(exc.value)
    EvaluationGroup.objects.get(unit_year=year_a).members.add(leader)
    flow.year_finalise(unit_year=UnitYear.objects.get(pk=year_a.pk), user=leader)
    assert UnitYear.objects.get(pk=year_a.pk).status == "finalised"
