"""A year with nothing entered yet (no figures, texts, indicators or goals) must work on every
page, export and report — the first thing a unit sees after its year is created."""

import pytest
from django.urls import reverse

from departments.models import UnitYear

pytestmark = pytest.mark.django_db

YEAR_PAGES = [
    "flow:year_detail",
    "departments:profile",
    "reports:texts",
    "flow:history",
    "flow:page",
    "budgets:figures",
    "budgets:checks",
    "budgets:excel",
    "budgets:excel_download",
    "indicators:table",
    "indicators:group",
    "indicators:group_result",
    "reports:report",
    "reports:report_xlsx",
]


@pytest.fixture
def empty_year(unit_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # as after a real commit: the overview's summary
        return UnitYear.objects.create(unit=unit_a, year=2025)


@pytest.mark.parametrize("name", YEAR_PAGES)
def test_every_page_of_an_empty_year_opens(client, admin_user, empty_year, name):
    client.force_login(admin_user)
    response = client.get(reverse(name, args=[empty_year.unit.code, empty_year.year]))
    assert response.status_code == 200, name


def test_lists_and_overview_show_an_empty_year(client, admin_user, empty_year):
    client.force_login(admin_user)
    for url in (reverse("flow:home"), reverse("reports:index"), reverse("overview:index")):
        body = client.get(url).content.decode()
        assert "甲单位" in body, url
    unit_page = client.get(reverse("overview:unit", args=[empty_year.unit.code]))
    assert unit_page.status_code == 200
    chart = client.get(reverse("overview:unit_chart", args=[empty_year.unit.code, "score"]))
    assert chart.status_code == 200


def test_report_of_an_empty_year_says_what_is_missing_not_zero(client, admin_user, empty_year):
    client.force_login(admin_user)
    body = client.get(reverse("reports:report", args=[empty_year.unit.code, 2025])).content.decode()
    assert "甲单位" in body
    assert "None" not in body


def test_pdf_of_an_empty_year_renders(client, admin_user, empty_year):
    client.force_login(admin_user)
    response = client.get(reverse("reports:report_pdf", args=[empty_year.unit.code, 2025]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
