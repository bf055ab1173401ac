"""大字号: a setting of each user, remembered server-side and applied on every page."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD
from departments.models import UserPreference

pytestmark = pytest.mark.django_db


def _html_tag(response) -> str:
    text = response.content.decode()
    return text[text.index("<html") : text.index(">", text.index("<html")) + 1]


def test_large_text_is_remembered_for_the_user_across_logins(officer_a):
    client = Client()
    assert client.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD}).status_code == 302
    assert 'class="text-large"' not in _html_tag(client.get("/"))

    response = client.post("/preferences/text-size/", {"large_text": "1", "next": "/help/"})
    assert response.status_code == 302 and response["Location"] == "/help/"
    assert UserPreference.objects.get(user=officer_a).large_text is True
    page = client.get("/help/")
    assert 'class="text-large"' in _html_tag(page)
    assert 'aria-pressed="true"' in page.content.decode()

    # Another browser, a new login: still large.
    other = Client()
    other.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD})
    assert 'class="text-large"' in _html_tag(other.get("/"))

    other.post("/preferences/text-size/", {"large_text": "0"})
    assert UserPreference.objects.get(user=officer_a).large_text is False
    assert 'class="text-large"' not in _html_tag(other.get("/"))


def test_the_setting_is_per_user(officer_a, officer_b):
    UserPreference.objects.create(user=officer_a, large_text=True)
    client = Client()
    client.post("/accounts/login/", {"username": officer_b.username, "password": PASSWORD})
    assert 'class="text-large"' not in _html_tag(client.get("/"))


def test_next_must_stay_on_the_site(officer_a):
    client = Client()
    client.force_login(officer_a)
    response = client.post("/preferences/text-size/", {"large_text": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
