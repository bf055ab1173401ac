"""Short help at the fields that need it (issue 11, Deliver 4): 年初预算数 vs 全年预算数 on
收支与项目, the target syntax, 分值 and 不适用 in the indicator editor, when 调整理由 and 偏差原因
are required on 评分 — each shown in its column and tied to every input of the column by
aria-describedby; and no aria-describedby on these pages points at an element that is not there."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

DESCRIBED = re.compile(r'aria-describedby="([^"]+)"')


def help_text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]+)<', html)
    assert match, f"no element #{element_id}"
    return match.group(1)


def check_references(html: str) -> list[str]:
    """Every id named by an aria-describedby exists on the page."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    return [ref for refs in DESCRIBED.findall(html) for ref in refs.split() if ref not in ids]


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="perfeval-demo-2024")
    return client


def test_figures_columns_say_what_each_budget_is(demo_year):
    html = login("officer").get(reverse("budgets:figures", args=[demo_year.unit.code, 2024])).content.decode()
    assert "年初人代会批准" in help_text(html, "help-initial_budget")
    assert "年中追加、调整后" in help_text(html, "help-full_year_budget")
    assert re.search(r'aria-describedby="help-full_year_budget"[^>]*name="income-total-full_year_budget"', html) or (
        re.search(r'name="income-total-full_year_budget"[^>]*aria-describedby="help-full_year_budget"', html)
    )
    assert check_references(html) == []


def test_a_refused_amount_names_its_message_then_its_help(demo_year):
    client = login("officer")
    url = reverse("budgets:figures", args=[demo_year.unit.code, 2024])
    page = client.get(url).content.decode()
    data = {
        name: value
        for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page)
        if name != "csrfmiddlewaretoken"
    }
    data["income-total-initial_budget"] = "abc"
    html = client.post(url, data).content.decode()
    assert 'aria-describedby="id_income-total-initial_budget-error help-initial_budget"' in html
    assert check_references(html) == []


def test_indicator_editor_explains_target_weight_and_not_applicable(demo_year):
    html = login("officer").get(reverse("indicators:table", args=[demo_year.unit.code, 2024])).content.decode()
    assert "≥20次" in help_text(html, "help-target")
    assert "不评分" in help_text(html, "help-not_applicable")
    assert html.count('aria-describedby="help-target"') == demo_year.indicators.count() + 1  # + the new row
    assert check_references(html) == []


def test_scoring_says_when_a_reason_is_required(finalised_demo_year):
    html = login("evaluator").get(reverse("indicators:scoring", args=[finalised_demo_year.unit.code, 2024]))
    html = html.content.decode()
    deviation = help_text(html, "help-deviation_reason")
    assert "130%" in deviation and "部分达成" in deviation and "未达到指标值" in deviation
    assert "低于建议得分" in help_text(html, "help-override_reason")
    assert re.search(r'aria-describedby="id_\S+-deviation_reason-error help-deviation_reason"', html)
    assert check_references(html) == []
