"""The flow: every transition × every persona, through the URLs a user would post to, plus the
rules each step enforces and its record on the timeline."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from departments.models import UnitYear
from flow import services as flow
from flow.models import StatusChange
from indicators.models import Indicator
from indicators.tests.factories import ready_year

PERSONAS = ["anonymous", "officer_a", "officer_b", "evaluator_a", "leader_a", "admin"]

# (url name, state before, POST data, state after when allowed)
TRANSITIONS = {
    "submit": ("flow:submit", "draft", {"comment": "请审核"}, "submitted"),
    "start": ("flow:start", "submitted", {}, "evaluating"),
    "send_back_submitted": (
        "flow:send_back",
        "submitted",
        {"reasons": ["指标不够细化、量化"], "comment": "请细化"},
        "draft",
    ),
    "send_back_evaluating": (
        "flow:send_back",
        "evaluating",
        {"reasons": ["指标与指标值不匹配"], "comment": ""},
        "draft",
    ),
    "finalise": ("flow:finalise", "evaluating", {}, "finalised"),
    "reopen": ("flow:reopen", "finalised", {"to_status": "draft", "comment": "更正数据"}, "draft"),
}

# Who may take each step; "login" = sent to sign in, 404 = another unit's year is not revealed.
ALLOWED = {
    "submit": {"officer_a", "admin"},
    "start": {"leader_a", "admin"},
    "send_back_submitted": {"leader_a", "evaluator_a", "admin"},  # evaluator_a leads the group
    "send_back_evaluating": {"leader_a", "evaluator_a", "admin"},
    "finalise": {"leader_a", "admin"},
    "reopen": {"admin"},
}


def expected(transition: str, persona: str) -> str:
    if persona == "anonymous":
        return "login"
    if persona == "officer_b":
        return "404"
    return "ok" if persona in ALLOWED[transition] else "403"


MATRIX = [(t, p, expected(t, p)) for t in TRANSITIONS for p in PERSONAS]


@pytest.mark.parametrize("transition,persona,outcome", MATRIX)
def test_flow_permission_matrix(client, personas, year_a, transition, persona, outcome):
    url_name, before, data, after = TRANSITIONS[transition]
    ready_year(year_a, status=before, leader=personas["leader_a"], lead=personas["evaluator_a"])
    if personas[persona]:
        client.force_login(personas[persona])
    response = client.post(reverse(url_name, args=[year_a.unit.code, year_a.year]), data)
    year_a.refresh_from_db()
    if outcome == "ok":
        assert response.status_code == 302
        assert year_a.status == after
        change = StatusChange.objects.get(unit_year=year_a)
        assert (change.user, change.from_status, change.to_status) == (personas[persona], before, after)
        assert change.reasons == data.get("reasons", [])
    else:
        assert year_a.status == before
        assert not StatusChange.objects.filter(unit_year=year_a).exists()
        if outcome == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == int(outcome)


def test_a_step_from_the_wrong_state_is_refused_in_chinese(client, personas, year_a):
    ready_year(year_a, status="draft", leader=personas["leader_a"], lead=personas["evaluator_a"])
    client.force_login(personas["leader_a"])
    response = client.post(reverse("flow:finalise", args=[year_a.unit.code, year_a.year]), follow=True)
    assert "当前状态为“草稿”，不能定稿。" in response.content.decode()
    year_a.refresh_from_db()
    assert year_a.status == "draft"


def test_evaluator_who_is_not_the_lead_may_not_send_back(personas, year_a):
    from indicators.tests.factories import build_table

    build_table(year_a)
    year_a.status = "submitted"
    year_a.save()
    with pytest.raises(PermissionDenied):
        flow.year_send_back(unit_year=year_a, user=personas["evaluator_a"], reasons=["指标不够完整"])


def test_send_back_needs_a_reason_from_the_list(personas, year_a):
    ready_year(year_a, status="submitted", leader=personas["leader_a"], lead=personas["evaluator_a"])
    with pytest.raises(ValidationError) as exc:
        flow.year_send_back(unit_year=year_a, user=personas["leader_a"], reasons=[])
    assert "请至少选择一项退回原因或填写意见" in str(exc.value)
    with pytest.raises(ValidationError):
        flow.year_send_back(unit_year=year_a, user=personas["leader_a"], reasons=["随便写的原因"])


def test_submit_blocked_by_missing_weights_and_warns_on_findings(personas, year_a):
    from indicators.tests.factories import build_table

    build_table(year_a)
    Indicator.objects.filter(unit_year=year_a, name="会议次数").update(weight=None)
    with pytest.raises(ValidationError) as exc:
        flow.year_submit(unit_year=year_a, user=personas["officer_a"])
    assert "会议次数" in str(exc.value) and "按默认权重分配" in str(exc.value)
    Indicator.objects.filter(unit_year=year_a, name="会议次数").update(weight=D("25"))
    Indicator.objects.filter(unit_year=year_a, name="社会效益").update(grading_standard="")
    with pytest.raises(ValidationError) as exc:
        flow.year_submit(unit_year=year_a, user=personas["officer_a"])
    assert "请确认已知悉" in str(exc.value)
    flow.year_submit(unit_year=year_a, user=personas["officer_a"], acknowledge_warnings=True)
    assert year_a.status == "submitted"


def test_start_needs_a_group(personas, year_a):
    from indicators.tests.factories import build_table

    build_table(year_a)
    year_a.status = "submitted"
    year_a.save()
    with pytest.raises(ValidationError) as exc:
        flow.year_start_evaluation(unit_year=year_a, user=personas["leader_a"])
    assert "请先指定评价小组" in str(exc.value)


def test_finalise_needs_the_leads_confirmation(personas, year_a):
    ready_year(year_a, status="evaluating", leader=personas["leader_a"], lead=personas["evaluator_a"], confirmed=False)
    with pytest.raises(ValidationError) as exc:
        flow.year_finalise(unit_year=year_a, user=personas["leader_a"])
    assert "尚未确认小组评分结果" in str(exc.value)


def test_reopen_needs_a_reason(personas, year_a):
    ready_year(year_a, status="finalised", leader=personas["leader_a"], lead=personas["evaluator_a"])
    with pytest.raises(ValidationError):
        flow.year_reopen(unit_year=year_a, user=personas["admin"], comment=" ")
    flow.year_reopen(unit_year=year_a, user=personas["admin"], comment="更正", to_status="evaluating")
    assert UnitYear.objects.get(pk=year_a.pk).status == "evaluating"


def test_a_stale_copy_cannot_move_the_year_twice(personas, year_a):
    ready_year(year_a, status="submitted", leader=personas["leader_a"], lead=personas["evaluator_a"])
    stale = UnitYear.objects.get(pk=year_a.pk)
    flow.year_start_evaluation(unit_year=year_a, user=personas["leader_a"])
    with pytest.raises(ValidationError) as exc:
        flow.year_send_back(unit_year=stale, user=personas["leader_a"], reasons=["指标不够完整"])
    assert "刷新页面" in str(exc.value)


def test_whole_flow_on_the_timeline(client, personas, year_a):
    ready_year(year_a, status="draft", leader=personas["leader_a"], lead=personas["evaluator_a"])
    officer, leader, lead, admin = (personas[k] for k in ("officer_a", "leader_a", "evaluator_a", "admin"))
    flow.year_submit(unit_year=year_a, user=officer, comment="请审核")
    flow.year_send_back(unit_year=year_a, user=leader, reasons=["指标不够完整", "建议拆分指标"], comment="补充满意度")
    flow.year_submit(unit_year=year_a, user=officer)
    flow.year_start_evaluation(unit_year=year_a, user=leader)
    from indicators.services import group_result_confirm
    from indicators.tests.factories import score_all

    score_all(year_a, lead)
    group_result_confirm(unit_year=year_a, user=lead)
    flow.year_finalise(unit_year=year_a, user=leader, comment="同意")
    flow.year_reopen(unit_year=year_a, user=admin, comment="更正联系人")
    assert list(year_a.status_changes.values_list("action", flat=True)) == [
        "submit",
        "send_back",
        "submit",
        "start_evaluation",
        "finalise",
        "reopen",
    ]
    client.force_login(leader)
    page = client.get(reverse("flow:page", args=[year_a.unit.code, year_a.year])).content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    for text in [
        "送审",
        "退回",
        "指标不够完整；建议拆分指标",
        "补充满意度",
        "开始评价",
        "定稿",
        "重新开启",
        "更正联系人",
    ]:
        assert text in timeline
    assert "甲领导" in timeline and "管理员" in timeline


def test_finalised_year_is_read_only_to_everyone(client, personas, year_a):
    ready_year(year_a, status="finalised", leader=personas["leader_a"], lead=personas["evaluator_a"])
    uy = (year_a.unit.code, year_a.year)
    ind = year_a.indicators.first()
    posts = [
        (reverse("indicators:table", args=uy), {}),
        (reverse("indicators:weights_default", args=uy), {}),
        (reverse("indicators:move", args=[*uy, ind.pk, "up"]), {}),
        (reverse("indicators:scoring_save", args=[*uy, ind.pk]), {f"s{ind.pk}-actual": "1"}),
        (reverse("indicators:group", args=uy), {}),
        (reverse("indicators:group_result_confirm", args=uy), {}),
    ]
    for persona in ["officer_a", "evaluator_a", "leader_a", "admin"]:
        client.force_login(personas[persona])
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (persona, url)
    ind.refresh_from_db()
    assert ind.score == D("25.00")


def test_submit_checks_every_project_table_marked_for_evaluation(personas, year_a):
    """送审 checks the projects' tables as it checks the department's: a project indicator
    without its weight blocks it, naming the project; an excluded project is not checked."""
    from indicators.models import ProjectEvaluation
    from indicators.tests.factories import add_project, build_project_table, build_table

    build_table(year_a)
    project = add_project(year_a, "代表培训经费")
    rows = build_project_table(year_a, project)
    Indicator.objects.filter(pk=rows[0].pk).update(weight=None)
    with pytest.raises(ValidationError) as exc:
        flow.year_submit(unit_year=year_a, user=personas["officer_a"], acknowledge_warnings=True)
    assert f"项目“代表培训经费”：1 个指标未设分值：{rows[0].name}" in str(exc.value)
    assert year_a.status == "draft"

    ProjectEvaluation.objects.create(project=project, included=False, exclusion_reason="项目年底才下达，下年度评价")
    flow.year_submit(unit_year=year_a, user=personas["officer_a"], acknowledge_warnings=True)
    year_a.refresh_from_db()
    assert year_a.status == "submitted"
