"""数据校验 in front of the signer: findings on 送审 and 定稿, each explained before 定稿, the
explanation in 修改记录 and as a report note; 报告日期 fixed when finalised."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from budgets.models import IncomeLine
from departments.models import UnitYear
from flow import services as flow
from flow.findings import open_findings, year_findings
from flow.models import CheckExplanation
from flow.selectors import check_notes
from indicators.tests.factories import ready_year

pytestmark = pytest.mark.django_db

PART_TOO_LARGE = "其中：一般公共预算财政拨款（全年预算数）为 120.00 万元，大于收入合计 100.00 万元，相差 20.00 万元。"


@pytest.fixture
def evaluating(personas, year_a):
    """Year A scored and confirmed, with one 数据校验 finding (a part larger than its total)."""
    ready_year(year_a, status="evaluating", leader=personas["leader_a"], lead=personas["evaluator_a"])
    IncomeLine.objects.create(unit_year=year_a, source="total", full_year_budget=D("100.00"))
    IncomeLine.objects.create(unit_year=year_a, source="general_public", full_year_budget=D("120.00"))
    return year_a


def url(name, year):
    return reverse(name, args=[year.unit.code, year.year])


def test_finalise_refuses_with_the_list_of_unexplained_findings(personas, evaluating):
    with pytest.raises(ValidationError) as exc:
        flow.year_finalise(unit_year=evaluating, user=personas["leader_a"])
    assert exc.value.messages == ["定稿前须修改数据或逐条书面说明以下数据校验问题：", PART_TOO_LARGE]
    evaluating.refresh_from_db()
    assert evaluating.status == "evaluating"


def test_the_leader_explains_on_the_flow_page_then_finalises(client, personas, evaluating):
    client.force_login(personas["leader_a"])
    page = client.get(url("flow:page", evaluating)).content.decode()
    assert PART_TOO_LARGE in page
    assert 'data-testid="finalise-checks"><a class="text-danger" href="#checks">1 项尚未说明</a>' in page
    key = re.search(r'name="key" value="([0-9a-f]{64})"', page).group(1)

    refused = client.post(url("flow:finalise", evaluating), follow=True).content.decode()
    assert "定稿前须修改数据或逐条书面说明以下数据校验问题" in refused

    client.post(url("flow:explain", evaluating), {"key": key, "explanation": "  按决算原样填列，口径不同。 "})
    note = CheckExplanation.objects.get(unit_year=evaluating)
    assert (note.message, note.explanation) == (PART_TOO_LARGE, "按决算原样填列，口径不同。")
    assert note.user == personas["leader_a"]
    page = client.get(url("flow:page", evaluating)).content.decode()
    assert "说明：按决算原样填列，口径不同。" in page
    assert "1 项均已说明" in page

    response = client.post(url("flow:finalise", evaluating), follow=True)
    assert "已定稿" in response.content.decode()
    evaluating.refresh_from_db()
    assert evaluating.status == "finalised"
    assert check_notes(evaluating) == [(PART_TOO_LARGE, "按决算原样填列，口径不同。")]
    history = client.get(url("flow:history", evaluating)).content.decode()
    assert "数据校验说明" in history and "按决算原样填列，口径不同。" in history


def test_a_changed_finding_needs_a_new_explanation(personas, evaluating):
    (finding,) = year_findings(evaluating)
    flow.check_explain(unit_year=evaluating, user=personas["leader_a"], key=finding.key, explanation="口径不同")
    assert open_findings(evaluating) == []
    # the figure changes: the old explanation no longer covers the finding, nor is it printed
    IncomeLine.objects.filter(unit_year=evaluating, source="general_public").update(full_year_budget=D("130.00"))
    (reopened,) = open_findings(evaluating)
    assert "相差 30.00 万元" in reopened.message
    assert check_notes(evaluating) == []
    with pytest.raises(ValidationError) as exc:
        flow.check_explain(unit_year=evaluating, user=personas["leader_a"], key=finding.key, explanation="再说明")
    assert "已不存在或已变化" in exc.value.messages[0]


def test_explaining_again_replaces_the_text_and_keeps_the_old_in_history(personas, evaluating):
    (finding,) = year_findings(evaluating)
    flow.check_explain(unit_year=evaluating, user=personas["leader_a"], key=finding.key, explanation="第一稿")
    flow.check_explain(unit_year=evaluating, user=personas["leader_a"], key=finding.key, explanation="第二稿")
    note = CheckExplanation.objects.get(unit_year=evaluating)
    assert note.explanation == "第二稿"
    assert [h.explanation for h in note.history.order_by("history_date")] == ["第一稿", "第二稿"]


def test_who_may_explain(client, personas, evaluating):
    (finding,) = year_findings(evaluating)
    for persona in ("evaluator_a", "officer_a"):  # the officer only while the year is a draft
        with pytest.raises(PermissionDenied):
            flow.check_explain(unit_year=evaluating, user=personas[persona], key=finding.key, explanation="x")
    client.force_login(personas["officer_b"])
    assert client.post(url("flow:explain", evaluating), {"key": finding.key, "explanation": "x"}).status_code == 404
    with pytest.raises(ValidationError):
        flow.check_explain(unit_year=evaluating, user=personas["leader_a"], key=finding.key, explanation="   ")
    assert not CheckExplanation.objects.exists()
    UnitYear.objects.filter(pk=evaluating.pk).update(status="draft")
    evaluating.refresh_from_db()
    flow.check_explain(unit_year=evaluating, user=personas["officer_a"], key=finding.key, explanation="送审前说明")
    assert CheckExplanation.objects.get().user == personas["officer_a"]


def test_the_submit_step_shows_the_findings(client, personas, year_a):
    ready_year(year_a, status="draft", leader=personas["leader_a"], lead=personas["evaluator_a"])
    IncomeLine.objects.create(unit_year=year_a, source="total", full_year_budget=D("100.00"))
    IncomeLine.objects.create(unit_year=year_a, source="general_public", full_year_budget=D("120.00"))
    client.force_login(personas["officer_a"])
    page = client.get(url("flow:page", year_a)).content.decode()
    assert 'data-testid="check-findings"' in page and PART_TOO_LARGE in page
    assert "送审时可先作说明" in page


def test_the_finalise_card_shows_the_result_and_asks_once(client, personas, year_a):
    ready_year(year_a, status="evaluating", leader=personas["leader_a"], lead=personas["evaluator_a"])
    client.force_login(personas["leader_a"])
    page = client.get(url("flow:page", year_a)).content.decode()
    total = re.search(r'data-testid="finalise-total">([^<]*)<', page).group(1)
    assert re.fullmatch(r"\d+\.\d\d 分 · [优良中差]", total)
    assert "已确认（甲评价" in page
    assert "未发现不一致" in page
    assert 'data-confirm="确定定稿？定稿后甲单位 2024年度的所有内容只读，报告以今天为报告日期' in page
    assert 'data-confirm="确定退回？甲单位 2024年度将退回草稿' in page
    assert "js/confirm.js" in page  # the app-wide script that asks before a data-confirm form is sent


def test_the_finalise_card_says_when_the_lead_has_not_confirmed(client, personas, year_a):
    ready_year(year_a, status="evaluating", leader=personas["leader_a"], lead=personas["evaluator_a"], confirmed=False)
    client.force_login(personas["leader_a"])
    page = client.get(url("flow:page", year_a)).content.decode()
    assert 'data-testid="finalise-confirmed"><span class="text-danger">尚未确认</span>' in page


# ---------------------------------------------------------------- 报告日期


def test_finalising_fixes_the_report_date_and_a_reopened_year_keeps_it(personas, year_a):
    ready_year(year_a, status="evaluating", leader=personas["leader_a"], lead=personas["evaluator_a"])
    assert year_a.report_date is None
    flow.year_finalise(unit_year=year_a, user=personas["leader_a"])
    year_a.refresh_from_db()
    assert year_a.report_date == timezone.localdate()
    fixed = year_a.report_date
    UnitYear.objects.filter(pk=year_a.pk).update(report_date=fixed - datetime.timedelta(days=3))
    year_a.refresh_from_db()
    flow.year_reopen(unit_year=year_a, user=personas["admin"], comment="更正", to_status="evaluating")
    year_a.refresh_from_db()
    assert year_a.report_date == fixed - datetime.timedelta(days=3)  # kept while reopened
    flow.year_finalise(unit_year=year_a, user=personas["leader_a"])
    year_a.refresh_from_db()
    assert year_a.report_date == fixed - datetime.timedelta(days=3)  # not moved by finalising again


def test_a_report_date_the_leader_set_is_kept(personas, year_a):
    ready_year(year_a, status="evaluating", leader=personas["leader_a"], lead=personas["evaluator_a"])
    UnitYear.objects.filter(pk=year_a.pk).update(report_date=datetime.date(2025, 3, 31))
    year_a.refresh_from_db()
    flow.year_finalise(unit_year=year_a, user=personas["leader_a"])
    year_a.refresh_from_db()
    assert year_a.report_date == datetime.date(2025, 3, 31)


def test_next_year_starts_with_the_named_projects_only(personas, demo_year):
    from budgets.models import ProjectLine

    UnitYear.objects.filter(pk=demo_year.pk).update(status="finalised")
    demo_year.refresh_from_db()
    officer = type(personas["officer_a"]).objects.get(username="officer")
    nxt = flow.unit_year_create_next(unit_year=demo_year, user=officer)
    names = list(ProjectLine.objects.filter(unit_year=nxt).values_list("name", "kind"))
    assert len(names) == 10 and {kind for _, kind in names} == {"project"}
    assert "年中追加（未细化到项目）" not in [n for n, _ in names]
