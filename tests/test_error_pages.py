"""Refusals and missing pages answer in Chinese, inside the app's layout."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_another_units_year_is_a_chinese_404(client, officer_a, year_b):
    client.force_login(officer_a)
    response = client.get(reverse("budgets:figures", args=[year_b.unit.code, year_b.year]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_a_refused_write_is_a_chinese_403_with_the_reason(client, leader_a, year_a):
    client.force_login(leader_a)
    response = client.post(reverse("reports:texts", args=[year_a.unit.code, year_a.year]), {})
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权执行此操作" in body
    assert "返回我的工作" in body
