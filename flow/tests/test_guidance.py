"""Guidance: 下一步 opens the page where the person acts, 概况 is the year's checklist, the flow
page says who acts next, 退回 offers reasons for figures and texts, 填报说明 per role."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from departments.access import Access
from flow import services as flow
from flow.reasons import SEND_BACK_REASONS
from flow.selectors import home_page
from indicators import services as indicator_services

pytestmark = pytest.mark.django_db


def people():
    return {u.username: u for u in get_user_model().objects.all()}


def next_url(username, unit_year):
    rows = home_page(Access.for_user(people()[username])).object_list  # the demo fits one page
    return next(r.next_url for r in rows if r.unit_year.pk == unit_year.pk)


def test_next_step_opens_the_page_where_each_person_acts(demo_year):
    args = [demo_year.unit.code, demo_year.year]
    p = people()
    assert next_url("officer", demo_year) == reverse("budgets:figures", args=args)
    indicator_services.indicator_weights_default(unit_year=demo_year)
    flow.year_submit(unit_year=demo_year, user=p["officer"], acknowledge_warnings=True)
    # submitted, no group yet: the leader names it first
    assert next_url("leader", demo_year) == reverse("indicators:group", args=args)
    indicator_services.evaluation_group_name(
        unit_year=demo_year, user=p["leader"], members=[p["evaluator"]], lead=p["evaluator"]
    )
    assert next_url("leader", demo_year) == reverse("flow:page", args=args)
    flow.year_start_evaluation(unit_year=demo_year, user=p["leader"])
    # the evaluator here is also the lead: 评分结果; the leader: 流程 (定稿)
    assert next_url("evaluator", demo_year) == reverse("indicators:group_result", args=args)
    assert next_url("leader", demo_year) == reverse("flow:page", args=args)


def test_year_detail_is_a_checklist_with_who_acts_next(demo_year):
    client = Client()
    client.force_login(people()["leader"])
    html = client.get(reverse("flow:year_detail", args=[demo_year.unit.code, demo_year.year])).content.decode()
    assert 'data-testid="year-checklist"' in html
    assert "本单位财务人员填报收支与项目、文字说明和绩效指标后送审。" in html
    for label in ("收支与项目", "文字说明", "绩效指标", "送审", "评价小组", "小组评分确认", "定稿"):
        assert f">{label}</a>" in html
    assert reverse("budgets:figures", args=[demo_year.unit.code, demo_year.year]) in html


def test_flow_page_says_who_acts_next_after_submitting(demo_year):
    p = people()
    indicator_services.indicator_weights_default(unit_year=demo_year)
    flow.year_submit(unit_year=demo_year, user=p["officer"], acknowledge_warnings=True)
    client = Client()
    client.force_login(p["officer"])
    html = client.get(reverse("flow:page", args=[demo_year.unit.code, demo_year.year])).content.decode()
    assert "单位领导审核：指定评价小组后交评价小组评分，或退回财务人员修改。" in html
    assert "您当前没有可执行的流程操作" not in html


def test_send_back_reasons_cover_figures_and_texts():
    assert "收支数据有误" in SEND_BACK_REASONS
    assert "文字说明不完整" in SEND_BACK_REASONS


def test_help_page_per_role_linked_from_every_page(officer_a):
    client = Client()
    client.force_login(officer_a)
    html = client.get(reverse("flow:help")).content.decode()
    assert "填报说明" in html and 'data-testid="help-officer"' in html
    assert "130%" in html and "偏差原因分析及改进措施" in html
    assert f'href="{reverse("flow:help")}"' in client.get(reverse("flow:home")).content.decode()
