"""Every form page is the same HTML whether its widgets are formatted in Python
(``perfeval.widgets.PythonWidgetRenderer``, the app's FORM_RENDERER) or by Django's widget
templates — byte for byte, on GET and on a refused POST that shows the user's input and errors.

The Python renderer is driven by the widget's context (type, name, value, attrs, options), so
attributes added to a form's widgets (aria-*, data-*, required …) come out as the templates
would write them."""

from __future__ import annotations

import re

import pytest
from django.forms.renderers import DjangoTemplates
from django.urls import reverse

from departments import forms as profile_forms
from departments.models import Duty, Organ
from perfeval.widgets import PythonWidgetRenderer

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
TEMPLATES = "django.forms.renderers.DjangoTemplates"


def _html(response) -> str:
    assert response.status_code in (200, 400), response.status_code
    return CSRF.sub("", response.content.decode())


def _use_templates(settings, monkeypatch) -> None:
    settings.FORM_RENDERER = TEMPLATES  # clears get_default_renderer's cache (setting_changed)
    templates = DjangoTemplates()
    # The profile forms name the Python renderer themselves.
    for form in (profile_forms.ProfileForm, profile_forms.OrderedForm):
        monkeypatch.setattr(form, "default_renderer", templates)
    for formset in (profile_forms.DutyFormSet, profile_forms.OrganFormSet):
        monkeypatch.setattr(formset, "renderer", templates)


def _compare(client, requests, settings, monkeypatch) -> list[str]:
    """Fetch every (user, method, url, data) with the Python renderer, then with the templates."""

    def fetch():
        pages = []
        for user, method, url, data in requests:
            client.force_login(user)
            response = client.post(url, data) if method == "post" else client.get(url)
            pages.append(_html(response))
        return pages

    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), PythonWidgetRenderer)
    python = fetch()
    _use_templates(settings, monkeypatch)
    assert not isinstance(get_default_renderer(), PythonWidgetRenderer)
    templates = fetch()
    for (_user, method, url, _data), mine, theirs in zip(requests, python, templates, strict=True):
        assert mine == theirs, f"{method.upper()} {url}: the Python widgets differ from the templates"
    return python


def _url(name, unit_year) -> str:
    return reverse(name, args=[unit_year.unit.code, unit_year.year])


@pytest.mark.django_db
def test_draft_year_form_pages_are_the_same_html(client, demo_year, settings, monkeypatch):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.filter(username__in=["officer", "leader", "admin"])}
    Duty.objects.create(unit_year=demo_year, order=99, text='负责<审核>与"评价"&')
    Organ.objects.create(unit_year=demo_year, kind="internal", order=99, name="办公室&<财务>")
    officer, leader, admin = users["officer"], users["leader"], users["admin"]
    requests = [
        (officer, "get", _url("departments:profile", demo_year), None),
        (officer, "get", _url("budgets:figures", demo_year), None),
        (officer, "get", _url("budgets:excel", demo_year), None),
        (officer, "get", _url("budgets:checks", demo_year), None),
        (officer, "get", _url("indicators:table", demo_year), None),
        (officer, "get", _url("reports:texts", demo_year), None),
        (officer, "get", _url("flow:page", demo_year), None),
        (officer, "get", _url("flow:history", demo_year), None),
        (officer, "get", _url("flow:year_detail", demo_year), None),
        (leader, "get", _url("indicators:group", demo_year), None),
        (officer, "get", reverse("indicators:library") + "?q=会议", None),
        (admin, "get", reverse("overview:index"), None),
        (admin, "get", reverse("reports:index"), None),
        (officer, "get", reverse("flow:home"), None),
        # a refused save: the user's input and the errors are shown again
        (
            officer,
            "post",
            _url("departments:profile", demo_year),
            {"headcount_authorized": "-1", "contact_name": "<张三>", "duties-TOTAL_FORMS": "0"}
            | {"duties-INITIAL_FORMS": "0", "organs-TOTAL_FORMS": "0", "organs-INITIAL_FORMS": "0"},
        ),
    ]
    pages = _compare(client, requests, settings, monkeypatch)
    assert "&lt;审核&gt;" in pages[0] and 'name="function_summary"' in pages[0]
    assert "人数不能为负数。" in pages[-1]


@pytest.mark.django_db
def test_scoring_form_pages_are_the_same_html(client, demo_evaluating, demo_people, settings, monkeypatch):
    year = demo_evaluating
    evaluator, leader = demo_people["evaluator"], demo_people["leader"]
    requests = [
        (evaluator, "get", _url("indicators:scoring", year), None),
        (leader, "get", _url("indicators:group_result", year), None),
        (leader, "get", _url("flow:page", year), None),
    ]
    pages = _compare(client, requests, settings, monkeypatch)
    assert "<select" in pages[0] or "<input" in pages[0]


@pytest.fixture
def demo_people(demo_year):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=["officer", "evaluator", "leader", "admin"])}


@pytest.fixture
def demo_evaluating(demo_year, demo_people):
    from flow import services as flow
    from indicators import services

    p = demo_people
    services.indicator_weights_default(unit_year=demo_year)
    services.evaluation_group_name(unit_year=demo_year, user=p["leader"], members=[p["evaluator"]], lead=p["evaluator"])
    flow.year_submit(unit_year=demo_year, user=p["officer"], acknowledge_warnings=True)
    flow.year_start_evaluation(unit_year=demo_year, user=p["leader"])
    demo_year.refresh_from_db()
    return demo_year
