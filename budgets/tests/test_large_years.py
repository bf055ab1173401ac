"""Issue 15 item 3: the largest valid year is saved from its forms (never Django's 400 for too
many fields): 2,000 project lines (the Excel import's limit) on 收支与项目, 500 duties on 基本信息,
300 indicators on the indicator table."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from budgets.models import ProjectLine
from departments.models import Duty
from indicators.models import Indicator
from indicators.services import indicator_create
from perfeval.xlsx_guard import MAX_ROWS


@pytest.fixture
def officer_client(officer_a):
    client = Client()
    client.force_login(officer_a)
    return client


def test_figures_form_saves_a_year_with_2000_projects(officer_client, year_a, figures_post):
    assert MAX_ROWS == 2000
    ProjectLine.objects.bulk_create(
        ProjectLine(
            unit_year=year_a,
            order=i + 1,
            name=f"项目{i + 1}",
            initial_budget=D("10.00"),
            full_year_budget=D("12.00"),
            actual=D("11.00"),
            usage="按计划使用",
        )
        for i in range(MAX_ROWS)
    )
    data = figures_post(year_a)
    data["projects-1999-actual"] = "12.00"
    data["projects-1999-DELETE"] = ""  # the browser may send a field per row for 删除 too
    assert len(data) > 14_000  # far above Django's default limit of 1,000 fields
    response = officer_client.post(reverse("budgets:figures", args=[year_a.unit.code, year_a.year]), data)
    assert response.status_code == 302
    assert ProjectLine.objects.get(unit_year=year_a, name="项目2000").actual == D("12.00")
    assert ProjectLine.objects.filter(unit_year=year_a).count() == MAX_ROWS


def test_figures_form_refuses_more_projects_than_the_import_in_chinese(officer_client, year_a, figures_post):
    data = figures_post(year_a)
    n = MAX_ROWS + 1
    data["projects-TOTAL_FORMS"] = str(n)
    for i in range(n):
        data |= {f"projects-{i}-name": f"项目{i}", f"projects-{i}-order": str(i + 1)}
    response = officer_client.post(reverse("budgets:figures", args=[year_a.unit.code, year_a.year]), data)
    assert response.status_code == 200
    assert "2000" in response.content.decode() and "表单" in response.content.decode()
    assert not ProjectLine.objects.filter(unit_year=year_a).exists()


def test_profile_form_saves_500_duties(officer_client, year_a):
    data = {
        "version": year_a.version,
        "contact_name": "张三",
        "contact_phone": "",
        "headcount_authorized": "",
        "headcount_actual": "",
        "function_summary": "",
        "evaluation_method": "",
        "report_date": "",
        "duties-TOTAL_FORMS": 500,
        "duties-INITIAL_FORMS": 0,
        "organs-TOTAL_FORMS": 0,
        "organs-INITIAL_FORMS": 0,
    }
    for i in range(500):
        data |= {f"duties-{i}-order": i + 1, f"duties-{i}-text": f"职责{i + 1}"}
    response = officer_client.post(reverse("departments:profile", args=[year_a.unit.code, year_a.year]), data)
    assert response.status_code == 302
    assert Duty.objects.filter(unit_year=year_a).count() == 500


def test_indicator_table_saves_with_300_indicators(officer_client, year_a):
    for i in range(300):
        indicator_create(
            unit_year=year_a, fund_category="basic", tier1="output", tier2="quantity", name=f"指标{i}", target="≥1次"
        )
    rows = list(Indicator.objects.filter(unit_year=year_a).ordered())
    data = {
        "version": year_a.version,
        "ind-TOTAL_FORMS": 300,
        "ind-INITIAL_FORMS": 300,
        "ind-MIN_NUM_FORMS": 0,
        "ind-MAX_NUM_FORMS": 1000,
    }
    for i, r in enumerate(rows):
        data |= {
            f"ind-{i}-id": r.pk,
            f"ind-{i}-fund_category": r.fund_category,
            f"ind-{i}-order": r.order,
            f"ind-{i}-tier1": r.tier1,
            f"ind-{i}-tier2": r.tier2,
            f"ind-{i}-name": r.name,
            f"ind-{i}-target": "≥2次" if i == 299 else r.target_display,
            f"ind-{i}-weight": "",
            f"ind-{i}-grading_standard": "",
            f"ind-{i}-direction": "",
        }
    response = officer_client.post(reverse("indicators:table", args=[year_a.unit.code, year_a.year]), data)
    assert response.status_code == 302
    assert Indicator.objects.get(pk=rows[-1].pk).target_display == "≥2次"
