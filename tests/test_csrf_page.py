"""A refused CSRF check answers the app's own page, in its layout, with a way back."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_stale_token_shows_the_app_page_with_a_way_back(officer_a, year_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    back = f"/u/{year_a.unit.code}/{year_a.year}/figures/"
    response = client.post(back, {"version": "1"}, HTTP_REFERER=f"http://testserver{back}")
    html = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，内容未保存" in html
    assert f'href="{back}" data-testid="csrf-back"' in html
    assert "CSRF验证失败" not in html
    assert 'class="navbar' in html


def test_a_foreign_referer_is_not_offered_as_the_way_back(officer_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    response = client.post("/", {}, HTTP_REFERER="https://evil.example/phish")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()
