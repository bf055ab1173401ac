"""The profile page's widgets are formatted in Python (perfeval.widgets) with the same HTML as
Django's widget templates."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse

from departments import forms as profile_forms
from departments.models import Duty, Organ
from perfeval.widgets import PYTHON_WIDGETS

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client, url, data=None) -> str:
    response = client.post(url, data) if data is not None else client.get(url)
    return CSRF.sub("", response.content.decode())


def _with_templates(monkeypatch) -> None:
    templates = DjangoTemplates()
    monkeypatch.setattr(profile_forms.ProfileForm, "default_renderer", templates)
    monkeypatch.setattr(profile_forms.OrderedForm, "default_renderer", templates)
    monkeypatch.setattr(profile_forms.DutyFormSet, "renderer", templates)
    monkeypatch.setattr(profile_forms.OrganFormSet, "renderer", templates)


def test_profile_page_is_the_same_html_as_with_widget_templates(client, officer_a, year_a, monkeypatch):
    Duty.objects.create(unit_year=year_a, order=1, text='负责<审核>与"评价"')
    Organ.objects.create(unit_year=year_a, kind="internal", order=1, name="办公室&财务")
    client.force_login(officer_a)
    url = reverse("departments:profile", args=[year_a.unit.code, year_a.year])
    invalid = {"headcount_authorized": "-1", "contact_name": "<张三>", "duties-TOTAL_FORMS": "0"}
    invalid |= {"duties-INITIAL_FORMS": "0", "organs-TOTAL_FORMS": "0", "organs-INITIAL_FORMS": "0"}
    python = [_page(client, url), _page(client, url, invalid)]
    assert 'name="function_summary"' in python[0] and "&lt;审核&gt;" in python[0]
    assert "人数不能为负数。" in python[1]
    _with_templates(monkeypatch)
    assert [_page(client, url), _page(client, url, invalid)] == python


@pytest.mark.parametrize(
    "field",
    [
        forms.CharField(initial='x<"&>', widget=forms.TextInput(attrs={"class": "c", "data-on": True, "off": False})),
        forms.IntegerField(initial=3),
        forms.BooleanField(initial=True),
        forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), initial="a<b>\nc"),
        forms.ChoiceField(choices=[("", "—"), ("a", "甲<"), ("组", [("b", "乙"), ("c", "丙")])], initial="b"),
        forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二")], initial=["1", "2"]),
        forms.CharField(widget=forms.HiddenInput, initial=5),
        forms.DateField(widget=forms.DateInput(attrs={"type": "date"})),
    ],
)
def test_each_widget_is_formatted_like_its_template(field):
    form_class = type("One", (forms.Form,), {"f": field})
    assert str(form_class(renderer=PYTHON_WIDGETS)["f"]) == str(form_class(renderer=DjangoTemplates())["f"])
