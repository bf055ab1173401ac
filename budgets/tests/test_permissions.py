"""Every URL of the data-entry issue × every persona, reading and writing, draft and closed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import ProjectLine
from departments.models import UnitYear, YearStatus

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "officer_a", "officer_b", "evaluator_a", "leader_a", "admin"]

# (url name, may GET, may POST): pages that only show answer 405 to a POST.
URLS = [
    ("flow:year_detail", True, False),
    ("departments:profile", True, True),
    ("reports:texts", True, True),
    ("flow:history", True, False),
    ("flow:next_year", False, True),
    ("budgets:figures", True, True),
    ("budgets:checks", True, False),
    ("budgets:excel", True, True),
    ("budgets:excel_download", True, False),
]

READ = {"officer_a": 200, "officer_b": 404, "evaluator_a": 200, "leader_a": 200, "admin": 200}
# A write by someone allowed ends in a redirect (saved) or 200 (form shown again with errors).
WRITE_OK = {200, 302}
WRITE = {"officer_b": 404, "evaluator_a": 403, "leader_a": 403}


def _expect_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "may_get", "may_post"), URLS)
def test_get(client_for, year_a, persona, name, may_get, may_post):
    response = client_for(persona).get(reverse(name, args=[year_a.unit.code, year_a.year]))
    if persona == "anonymous":
        _expect_login_redirect(response)
    elif not may_get:
        assert response.status_code == 405
    else:
        assert response.status_code == READ[persona]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "may_get", "may_post"), URLS)
def test_post(client_for, year_a, persona, name, may_get, may_post):
    before = UnitYear.objects.get(pk=year_a.pk).version
    response = client_for(persona).post(
        reverse(name, args=[year_a.unit.code, year_a.year]), {"version": year_a.version}
    )
    if persona == "anonymous":
        _expect_login_redirect(response)
    elif not may_post:
        assert response.status_code == 405
    elif persona in WRITE:
        assert response.status_code == WRITE[persona]
        assert UnitYear.objects.get(pk=year_a.pk).version == before  # nothing written
    else:
        assert response.status_code in WRITE_OK


@pytest.mark.parametrize("status", [YearStatus.SUBMITTED, YearStatus.EVALUATING, YearStatus.FINALISED])
@pytest.mark.parametrize("name", ["departments:profile", "reports:texts", "budgets:figures", "budgets:excel"])
@pytest.mark.parametrize("persona", ["officer_a", "admin"])
def test_nothing_editable_once_submitted(client_for, year_a, status, name, persona):
    ProjectLine.objects.create(unit_year=year_a, order=1, name="原项目")
    UnitYear.objects.filter(pk=year_a.pk).update(status=status)
    client = client_for(persona)
    url = reverse(name, args=[year_a.unit.code, year_a.year])

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="read-only"' in html
    assert "数据只能查看，不能修改" in html
    assert 'data-testid="save"' not in html

    response = client.post(
        url,
        {
            "version": year_a.version,
            "contact_name": "改名",
            "projects-TOTAL_FORMS": "0",
            "projects-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    year = UnitYear.objects.get(pk=year_a.pk)
    assert (year.contact_name, year.version) == ("张三", year_a.version)
    assert ProjectLine.objects.filter(unit_year=year_a).count() == 1


@pytest.mark.parametrize("persona", ["evaluator_a", "leader_a"])
@pytest.mark.parametrize("name", ["departments:profile", "reports:texts", "budgets:figures", "budgets:excel"])
def test_read_only_roles_see_the_page_without_editing(client_for, year_a, persona, name):
    html = client_for(persona).get(reverse(name, args=[year_a.unit.code, year_a.year])).content.decode()
    assert "填报和修改由本单位财务人员进行" in html
    assert 'data-testid="save"' not in html


def test_home_lists_only_own_units(client_for, year_a, year_b):
    html = client_for("officer_a").get(reverse("flow:home")).content.decode()
    assert "甲单位" in html and "乙单位" not in html
    html = client_for("admin").get(reverse("flow:home")).content.decode()
    assert "甲单位" in html and "乙单位" in html
    assert client_for("anonymous").get(reverse("flow:home")).status_code == 302
