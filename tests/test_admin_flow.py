"""The Django admin cannot go around the flow (issue 15, item 5).

Every registered admin model is walked: a finalised year's objects cannot be changed, deleted or
reverted from history through any admin URL, and flow fields (a year's status, scores, the
flow's records) never change in the admin, even on open years.
"""

from __future__ import annotations

from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from budgets.models import IncomeLine, ProjectLine, ThreePublicLine
from departments.admin import FINALISED_MESSAGE, FinalisedReadOnly
from departments.models import Duty, Organ, UnitYear, YearStatus
from flow.models import StatusChange
from indicators.models import EvaluationGroup, Goal, Indicator, MemberScore, UnitYearWeights, YearScoring
from indicators.tests.factories import ready_year

pytestmark = pytest.mark.django_db

# How each model that holds a year's data leads to its UnitYear ("" for the year itself).
FLOW_RECORDS = {StatusChange: "unit_year", YearScoring: "unit_year"}
# Registered models that are not a year's data (units, people, the library, the rule sets,
# login throttling records). A new admin model must be put in one list or the other.
NOT_YEAR_DATA = {
    "departments.unit",
    "departments.membership",
    "indicators.libraryindicator",
    "indicators.ruleset",
    "indicators.rulesetassignment",
    "auth.user",
    "auth.group",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


def year_path(model, model_admin) -> str | None:
    if model is UnitYear:
        return ""
    if isinstance(model_admin, FinalisedReadOnly):
        return model_admin.year_path
    return FLOW_RECORDS.get(model)


def year_models() -> list[tuple[type, str]]:
    found = []
    for model, model_admin in admin.site._registry.items():
        path = year_path(model, model_admin)
        if path is None:
            assert model._meta.label_lower in NOT_YEAR_DATA, f"classify {model._meta.label_lower}"
        else:
            found.append((model, path))
    return found


def of_year(model, path: str, year: UnitYear):
    return model.objects.filter(**({path: year} if path else {"pk": year.pk})).order_by("pk")


def snapshot(year: UnitYear) -> dict:
    state = {model._meta.label: list(of_year(model, path, year).values()) for model, path in year_models()}
    state["members"] = sorted(EvaluationGroup.objects.get(unit_year=year).members.values_list("pk", flat=True))
    return state


class FormFields(HTMLParser):
    """The fields a browser would post from an admin page."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_fields(response) -> dict[str, list[str]]:
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


def altered(data: dict[str, list[str]]) -> dict[str, list[str]]:
    """The same form with every free-text value changed, as an editor would."""
    skip = ("csrfmiddlewaretoken", "TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    return {
        k: v if any(s in k for s in skip) or not v or not v[0] or v[0].isdigit() else [v[0] + "（改）"]
        for k, v in data.items()
    }


@pytest.fixture
def superuser_client(client, admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    return client


@pytest.fixture
def finalised(personas, year_a) -> UnitYear:
    """Unit A's year with data in every model, each changed once after creation (so history
    has an older version to revert to), then finalised through the group's confirmation."""
    ready_year(year_a, status=YearStatus.EVALUATING, leader=personas["leader_a"], lead=personas["evaluator_a"])
    created = [
        IncomeLine.objects.create(unit_year=year_a, source="fiscal", full_year_budget=D("100"), actual=D("90")),
        ThreePublicLine.objects.create(unit_year=year_a, kind="reception", budget=D("3"), actual=D("2")),
        ProjectLine.objects.create(unit_year=year_a, order=1, name="项目甲", full_year_budget=D("10")),
        Duty.objects.create(unit_year=year_a, order=1, text="职责一"),
        Organ.objects.create(unit_year=year_a, kind="internal", order=1, name="办公室"),
        Goal.objects.create(unit_year=year_a, kind="overall", order=1, text="目标一"),
        UnitYearWeights.objects.create(
            unit_year=year_a,
            output_weight=D("50"),
            benefit_weight=D("30"),
            satisfaction_weight=D("10"),
            execution_weight=D("10"),
            reason="与全国规则相同的权重（测试）",
        ),
    ]
    for obj in [*created, *Indicator.objects.filter(unit_year=year_a), *MemberScore.objects.all()]:
        obj.save()  # a second history record
    StatusChange.objects.create(
        unit_year=year_a,
        from_status=YearStatus.EVALUATING,
        to_status=YearStatus.FINALISED,
        action="finalise",
        user=personas["leader_a"],
    )
    year_a.status = YearStatus.FINALISED
    year_a.contact_name = "王五"
    year_a.save()
    return year_a


def test_every_admin_url_leaves_a_finalised_year_unchanged(superuser_client, finalised, personas):
    before = snapshot(finalised)
    walked = set()
    for model, path in year_models():
        info = (model._meta.app_label, model._meta.model_name)
        objects = list(of_year(model, path, finalised))
        assert objects, f"the fixture holds no {model._meta.label}"
        walked.add(model._meta.label_lower)
        for obj in objects:
            change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            page = superuser_client.get(change)
            assert page.status_code == 200, change
            assert 'name="_save"' not in page.content.decode(), change  # shown read-only
            assert superuser_client.post(change, altered(form_fields(page))).status_code == 403, change

            delete = reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])
            assert superuser_client.post(delete, {"post": "yes"}).status_code == 403, delete

            changelist = reverse("admin:{}_{}_changelist".format(*info))
            superuser_client.post(
                changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
            )

            records = model.history.filter(pk=obj.pk) if hasattr(model, "history") else []
            for record in records:
                url = reverse("admin:{}_{}_simple_history".format(*info), args=[obj.pk, record.history_id])
                page = superuser_client.get(url)
                assert page.status_code == 200, url
                assert 'name="_save"' not in page.content.decode(), url  # no 恢复 button
                data = form_fields(page)
                assert superuser_client.post(url, data).status_code == 403, url
                assert superuser_client.post(url, altered(data)).status_code == 403, url
    assert snapshot(finalised) == before
    assert {"departments.unityear", "budgets.incomeline", "indicators.memberscore"} <= walked

    # Deleting the people who took the flow's steps would blank them on the finalised year.
    leader = personas["leader_a"]
    delete_user = reverse("admin:auth_user_delete", args=[leader.pk])
    assert superuser_client.post(delete_user, {"post": "yes"}).status_code == 403
    assert snapshot(finalised) == before


def test_reverting_a_finalised_year_to_its_draft_version_is_refused(superuser_client, finalised):
    draft = finalised.history.filter(status=YearStatus.DRAFT).earliest("history_date")
    url = reverse("admin:departments_unityear_simple_history", args=[finalised.pk, draft.history_id])
    page = superuser_client.get(url)
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.post(url, form_fields(page)).status_code == 403
    finalised.refresh_from_db()
    assert (finalised.status, finalised.contact_name) == (YearStatus.FINALISED, "王五")


def test_status_is_read_only_in_the_admin(superuser_client, year_b):
    url = reverse("admin:departments_unityear_change", args=[year_b.pk])
    page = superuser_client.get(url)
    data = form_fields(page)
    assert "status" not in data  # shown, not a field of the form
    data["status"] = [YearStatus.FINALISED]
    data["contact_name"] = ["赵六"]
    assert superuser_client.post(url, data).status_code == 302
    year_b.refresh_from_db()
    assert (year_b.status, year_b.contact_name) == (YearStatus.DRAFT, "赵六")
    assert not StatusChange.objects.filter(unit_year=year_b).exists()


def test_reverting_an_open_year_never_changes_its_status(superuser_client, year_b):
    first = year_b.history.earliest("history_date")  # draft, contact 李四
    year_b.status = YearStatus.SUBMITTED
    year_b.contact_name = "钱七"
    year_b.save()
    url = reverse("admin:departments_unityear_simple_history", args=[year_b.pk, first.history_id])
    page = superuser_client.get(url)
    assert 'name="_save"' in page.content.decode()  # an open year's texts may be reverted
    assert superuser_client.post(url, {**form_fields(page), "_save": "1"}).status_code == 302
    year_b.refresh_from_db()
    assert year_b.contact_name == "李四"  # the text went back
    assert year_b.status == YearStatus.SUBMITTED  # the status did not


def test_nothing_is_added_to_or_moved_into_a_finalised_year(superuser_client, finalised, year_b):
    before = snapshot(finalised)
    add = reverse("admin:budgets_projectline_add")
    response = superuser_client.post(
        add, {"unit_year": finalised.pk, "order": "9", "name": "新增项目", "initial_budget": "1", "usage": ""}
    )
    assert response.status_code == 200
    assert FINALISED_MESSAGE in response.content.decode()

    line = ProjectLine.objects.create(unit_year=year_b, order=1, name="乙项目")
    change = reverse("admin:budgets_projectline_change", args=[line.pk])
    data = form_fields(superuser_client.get(change))
    assert "unit_year" not in data  # the year of an existing line is not editable
    superuser_client.post(change, {**data, "unit_year": [str(finalised.pk)]})
    line.refresh_from_db()
    assert line.unit_year_id == year_b.pk
    assert snapshot(finalised) == before


def test_flow_records_are_read_only(superuser_client, finalised):
    for model in (StatusChange, YearScoring):
        info = (model._meta.app_label, model._meta.model_name)
        obj = model.objects.filter(unit_year=finalised).first()
        assert superuser_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
        change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
        assert 'name="_save"' not in superuser_client.get(change).content.decode()
