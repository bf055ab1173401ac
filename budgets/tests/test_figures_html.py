"""收支与项目 is the same HTML whether its table rows are written by ``budgets/templatetags/
figures_rows.py`` (the page) or by the row templates it replaced (kept in ``reference_templates/``)
— byte for byte: ids, names, values, labels, aria-*, data-* and the escaping of what people typed,
on the editable page, after a refused save (the user's input and the errors tied to the fields),
while a deletion waits for confirmation, and on the read-only page after 送审."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from budgets.models import ProjectLine
from departments.models import UnitYear, YearStatus

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference_templates"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
HOSTILE = '<b>会议&"培训"</b>'


def _url(unit_year) -> str:
    return reverse("budgets:figures", args=[unit_year.unit.code, unit_year.year])


def _fetch(client, requests) -> list[str]:
    pages = []
    for user, data in requests:
        client.force_login(user)
        response = client.post(_url(data.pop("_year")), data) if "version" in data else client.get(data["_url"])
        assert response.status_code == 200, response.status_code
        pages.append(CSRF.sub("", response.content.decode()))
    return pages


def _same_both_ways(client, settings, requests) -> list[str]:
    """The pages from the app's templates, then with the reference row templates in front."""
    from copy import deepcopy

    mine = _fetch(client, deepcopy(requests))
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [REFERENCE, *settings.TEMPLATES[0]["DIRS"]]}]
    theirs = _fetch(client, deepcopy(requests))
    for n, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        if a != b:
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            raise AssertionError(f"page {n} differs at {at}:\n{a[at - 300 : at + 300]}\n----\n{b[at - 300 : at + 300]}")
    assert "{%" not in mine[0]
    return mine


@pytest.fixture
def people(demo_year):
    return {u.username: u for u in get_user_model().objects.filter(username__in=["officer", "admin", "leader"])}


def test_editable_page_and_a_refused_save_are_the_same_html(client, settings, demo_year, people, figures_post):
    first = ProjectLine.objects.filter(unit_year=demo_year).order_by("order", "pk").first()
    ProjectLine.objects.filter(pk=first.pk).update(name=HOSTILE, usage='用于"调研"<script>&')
    refused = figures_post(demo_year) | {
        "income-appropriation-actual": "-5",
        "spending-total-initial_budget": "12abc",
        "tp-reception-budget": "1.234",
        "projects-0-name": "",
        "projects-0-order": "x",
        "projects-1-usage": "<i>改</i>",
        "_year": demo_year,
    }
    extra = len([k for k in refused if k.endswith("-id")])
    new_row = {f"projects-{extra}-name": "新项目&", f"projects-{extra}-actual": "5"}
    refused |= {"projects-TOTAL_FORMS": str(extra + 1), **new_row}
    pages = _same_both_ways(
        client,
        settings,
        [
            (people["officer"], {"_url": _url(demo_year)}),
            (people["admin"], {"_url": _url(demo_year)}),
            (people["officer"], refused),
        ],
    )
    editable, _admin, after_refusal = pages
    assert "&lt;b&gt;会议&amp;&quot;培训&quot;&lt;/b&gt;</textarea>" in editable
    assert 'id="project-empty-row"' in editable and 'aria-label="删除项目第3行"' in editable
    assert 'aria-describedby="id_income-appropriation-actual-error help-actual"' in after_refusal
    assert 'aria-invalid="true"' in after_refusal and "金额不能为负数。" in after_refusal
    assert 'value="&lt;i&gt;改&lt;/i&gt;"' not in after_refusal and "&lt;i&gt;改&lt;/i&gt;</textarea>" in after_refusal


def test_a_deletion_waiting_for_confirmation_is_the_same_html(client, settings, demo_year, people, figures_post):
    from indicators.models import Indicator

    project = ProjectLine.objects.filter(unit_year=demo_year).order_by("order", "pk").first()
    template = Indicator.objects.filter(unit_year=demo_year).first()
    template.pk = None
    template.project = project
    template.save()
    data = figures_post(demo_year) | {"projects-0-DELETE": "on", "_year": demo_year}
    (page,) = _same_both_ways(client, settings, [(people["officer"], data)])
    assert 'id="confirm-delete"' in page


def test_read_only_page_after_submission_is_the_same_html(client, settings, demo_year, people):
    ProjectLine.objects.filter(unit_year=demo_year, order=1).update(name=HOSTILE)
    UnitYear.objects.filter(pk=demo_year.pk).update(status=YearStatus.SUBMITTED)
    officer, leader = people["officer"], people["leader"]
    requests = [(officer, {"_url": _url(demo_year)}), (leader, {"_url": _url(demo_year)})]
    pages = _same_both_ways(client, settings, requests)
    assert "<input" not in pages[0].split('data-testid="figures-form"')[1].split("</form>")[0].replace(
        '<input type="hidden"', ""
    )
    assert "&lt;b&gt;会议&amp;&quot;培训&quot;&lt;/b&gt;</td>" in pages[0]
