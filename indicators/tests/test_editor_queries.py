"""The 绩效指标 editor reads its data in a fixed number of queries (at most ten), whatever the
number of indicators and projects, on the department's table and on a project's."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import ProjectKind
from conftest import make_user
from departments.models import Role, Unit, UnitYear
from indicators import services
from indicators.tests.factories import add_project, build_project_table, build_table


def _editor_queries(unit_code: str, projects: int, indicators: int) -> list[int]:
    """Queries of the editor's department table and of a project's, for a draft year with
    ``projects`` projects of four indicators each and ``indicators`` more in the department's."""
    unit = Unit.objects.create(code=unit_code, name=f"单位{unit_code}", region="甲县")
    year = UnitYear.objects.create(unit=unit, year=2024)
    officer = make_user(f"officer{unit_code}", role=Role.OFFICER, unit=unit)
    build_table(year)
    for n in range(indicators):
        services.indicator_create(
            unit_year=year,
            fund_category="basic",
            tier1="output",
            tier2="quantity",
            name=f"加项{n}",
            target="3%",  # bare: a direction to pick on every added row
            weight=D("1"),
        )
    lines = [add_project(year, f"项目{n}", order=n + 1) for n in range(projects)]
    for line in lines:
        build_project_table(year, line)
    assert year.project_lines.filter(kind=ProjectKind.PROJECT).count() == projects
    client = Client()
    client.force_login(officer)
    url = reverse("indicators:table", args=[unit.code, 2024])
    client.get(url)  # the session made
    counts = []
    for page in (url, f"{url}?project={lines[0].pk}"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page)
        assert response.status_code == 200 and 'data-testid="indicator-form"' in response.content.decode()
        counts.append(len(captured))
    return counts


@pytest.mark.django_db
def test_editor_queries_are_few_and_do_not_grow():
    # Session, user, memberships, the unit-year with its scoring record, the rules in force and
    # the user's seats on its evaluation group (the 评分 tab), the project lines with their
    # evaluations, the table's indicators (once: the findings and the forms), the library's
    # entries; a project's table adds the project's money by source.
    small = _editor_queries("E1", projects=1, indicators=0)
    assert small == [7, 8]
    assert _editor_queries("E20", projects=20, indicators=30) == small


@pytest.mark.django_db
def test_editor_page_writes_its_rows_without_building_a_form_per_row(monkeypatch):
    # The stored rows are written straight from the indicators (indicators.editor._StoredRow);
    # building the formset's forms — one per row, each copying a dozen fields — was a fifth of
    # the page's CPU, and the template's {{ formset.management_form }} alone built them all.
    from indicators.forms import IndicatorForm

    built = []
    original = IndicatorForm.__init__

    def counting(self, *args, **kwargs):
        built.append(kwargs.get("prefix"))
        original(self, *args, **kwargs)

    unit = Unit.objects.create(code="E0", name="单位E0", region="甲县")
    year = UnitYear.objects.create(unit=unit, year=2024)
    officer = make_user("officerE0", role=Role.OFFICER, unit=unit)
    build_table(year)
    client = Client()
    client.force_login(officer)
    monkeypatch.setattr(IndicatorForm, "__init__", counting)
    response = client.get(reverse("indicators:table", args=[unit.code, 2024]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="indicator-row"') == year.indicators.count() + 1  # and the new row
    assert 'name="ind-TOTAL_FORMS"' in html
    assert built == []
