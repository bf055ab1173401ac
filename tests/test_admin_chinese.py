"""The admin reads Chinese: django-axes appears as 登录保护, its models with Chinese names."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from flow.models import StatusChange

pytestmark = pytest.mark.django_db


def test_axes_models_have_chinese_names_in_the_admin(admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "登录保护" in html and "登录失败记录" in html
    assert "Access attempts" not in html and ">Axes<" not in html


# A Chinese word followed by an ASCII colon ("意见:") in the text of a page.
ASCII_COLON = re.compile(r"[\u4e00-\u9fff）][:]")
TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.S)


def test_admin_labels_end_in_a_full_width_colon(admin_user, finalised_demo_year):
    """Every admin model's add page and the change page of one of its objects (the finished
    demo has one of nearly every kind): labels read "意见：", never "意见:"."""
    admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    found, seen = {}, 0
    for model in admin.site._registry:
        meta = model._meta
        urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:  # e.g. a flow record cannot be added
                continue
            seen += 1
            text = TAGS.sub(" ", response.content.decode())
            hits = ASCII_COLON.findall(text)
            if hits:
                found[url] = hits
    assert seen > 20
    assert found == {}
    # The finished demo's 定稿 step has a comment: its label on the change page.
    change = StatusChange.objects.filter(unit_year=finalised_demo_year).exclude(comment="").first()
    html = client.get(reverse("admin:flow_statuschange_change", args=[change.pk])).content.decode()
    assert "意见：" in html
