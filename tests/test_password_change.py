"""Every user can change their own password, in Chinese, from the navbar."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_officer_changes_their_password(officer_a):
    from conftest import PASSWORD

    client = Client()
    client.force_login(officer_a)
    assert reverse("password_change") in client.get(reverse("flow:home")).content.decode()
    html = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in html and "旧密码" in html
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Xq7-zebra-lantern", "new_password2": "Xq7-zebra-lantern"},
    )
    assert response.status_code == 302
    assert "密码已修改" in client.get(response["Location"]).content.decode()
    officer_a.refresh_from_db()
    assert officer_a.check_password("Xq7-zebra-lantern")


def test_anonymous_is_sent_to_sign_in():
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
