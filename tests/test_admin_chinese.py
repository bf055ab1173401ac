"""The admin reads Chinese: django-axes appears as 登录保护, its models with Chinese names."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_axes_models_have_chinese_names_in_the_admin(admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "登录保护" in html and "登录失败记录" in html
    assert "Access attempts" not in html and ">Axes<" not in html
