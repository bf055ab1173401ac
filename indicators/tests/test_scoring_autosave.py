"""评分's autosave answers the member's running total and the group's from one read of the year's
member scores, in the same number of queries for the department's table as for a project's."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from departments.models import Role
from indicators import services
from indicators.models import Indicator

YEAR_SCORES = re.compile(r'FROM "indicators_memberscore" .* WHERE \(?"indicators_indicator"\."unit_year_id" =')


def _year_scores(queries: list[str]) -> int:
    """Reads of the year's member scores (chosen by their indicators' year, not one record)."""
    return sum(bool(YEAR_SCORES.search(sql)) for sql in queries)


def _save(client: Client, ind: Indicator, actual: str) -> tuple[dict, list[str]]:
    url = reverse("indicators:scoring_save", args=[ind.unit_year.unit.code, ind.unit_year.year, ind.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {f"s{ind.pk}-actual": actual, f"s{ind.pk}-deviation_reason": "会议减少"},
                               HTTP_ACCEPT="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in captured.captured_queries]


def test_autosave_reads_the_years_member_scores_once(evaluating_with_projects, evaluator_a, leader_a):
    year, first, _second = evaluating_with_projects
    other = make_user("evaluator_a2", role=Role.EVALUATOR, unit=year.unit)
    year.refresh_from_db()
    services.evaluation_group_name(unit_year=year, user=leader_a, members=[evaluator_a, other], lead=evaluator_a)
    meetings = Indicator.objects.select_related("unit_year__unit").get(unit_year=year, project=None, name="会议次数")
    trained = Indicator.objects.select_related("unit_year__unit").get(project=first, name="培训人次")
    services.member_score_save(indicator=meetings, member=other, actual="20")  # 25 of 25
    services.member_score_save(indicator=trained, member=other, actual="200")  # 30 of 30
    client = Client()
    client.force_login(evaluator_a)

    body, department = _save(client, meetings, "16")  # 16 of ≥20次 → 20 of 25
    # 20 + 7.60 for 76 % executed; the group: (20 + 25) ÷ 2 = 22.50 + 7.60
    assert (body["score"], body["mine"]["total"], body["group"]["total"]) == ("20.00", "27.60", "30.10")
    assert _year_scores(department) == 1

    body, project = _save(client, trained, "100")  # 100 of ≥200人次 → 15 of 30
    # the project's own 90 % (18 of 20 万元) → 9 of 10: 15 + 9; the group: (15 + 30) ÷ 2 = 22.50 + 9
    assert (body["score"], body["mine"]["total"], body["group"]["total"]) == ("15.00", "24.00", "31.50")
    assert _year_scores(project) == 1
    assert len(project) == len(department)
