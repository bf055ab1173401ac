"""Issue 15 item 6: a target changed between evaluation rounds (退回 → edit → 送审 → 开始评价)
clears the members' scores of that indicator, the group sees why on the 评分 page, and the page
never answers 500 (it did: a qualitative score of an indicator that became "≥20次")."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from departments.models import UnitYear, YearStatus
from flow.reasons import SEND_BACK_REASONS
from flow.services import year_send_back, year_start_evaluation, year_submit
from indicators import services
from indicators.models import Indicator, MemberScore, YearScoring
from indicators.tests.factories import ready_year

NOTE = "指标值已修改，原评分已清除，请重新评分"

# (what changes, {indicator name: (new target, new weight)}) — weights still sum per tier.
CHANGES = {
    "qualitative→quantitative": {"社会效益": ("≥20次", None)},
    "quantitative→qualitative": {"会议次数": ("有效完成", None)},
    "comparator": {"会议次数": ("≤20次", None)},
    "value": {"会议次数": ("≥25次", None)},
    "unit": {"会议次数": ("≥20场", None)},
    "weight": {"会议次数": (None, "20"), "完成时限": (None, "30")},
    "deadline": {"完成时限": ("2024年10月底之前完成", None)},
}


def _table_post(year: UnitYear, changes: dict) -> dict:
    rows = list(Indicator.objects.filter(unit_year=year).ordered())
    data = {
        "version": UnitYear.objects.get(pk=year.pk).version,
        "ind-TOTAL_FORMS": str(len(rows)),
        "ind-INITIAL_FORMS": str(len(rows)),
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
    }
    for i, r in enumerate(rows):
        target, weight = changes.get(r.name, (None, None))
        data.update(
            {
                f"ind-{i}-id": r.pk,
                f"ind-{i}-fund_category": r.fund_category,
                f"ind-{i}-order": r.order,
                f"ind-{i}-tier1": r.tier1,
                f"ind-{i}-tier2": r.tier2,
                f"ind-{i}-name": r.name,
                f"ind-{i}-target": target or r.target_display,
                f"ind-{i}-weight": weight or r.weight,
                f"ind-{i}-grading_standard": r.grading_standard,
            }
        )
    return data


def _scoring_page(client, year) -> str:
    response = client.get(reverse("indicators:scoring", args=[year.unit.code, year.year]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def scored_year(year_a, personas):
    """Under evaluation, every indicator scored by the group's lead (not yet confirmed)."""
    return ready_year(
        year_a, status=YearStatus.EVALUATING, leader=personas["leader_a"], lead=personas["evaluator_a"], confirmed=False
    )


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_target_changed_between_rounds_clears_its_scores_and_says_so(scored_year, personas, change):
    year, evaluator, leader = scored_year, personas["evaluator_a"], personas["leader_a"]
    changed = set(CHANGES[change])
    kept_before = {
        s.indicator.name: s.score
        for s in MemberScore.objects.filter(indicator__unit_year=year).select_related("indicator")
    }
    assert len(kept_before) == 4

    year_send_back(unit_year=year, user=leader, reasons=[SEND_BACK_REASONS[0]])
    officer = Client()
    officer.force_login(personas["officer_a"])
    url = reverse("indicators:table", args=[year.unit.code, year.year])
    response = officer.post(url, _table_post(year, CHANGES[change]), follow=True)
    assert "已保存" in response.content.decode()
    year.refresh_from_db()
    year_submit(unit_year=year, user=personas["officer_a"], acknowledge_warnings=True)
    year.refresh_from_db()
    year_start_evaluation(unit_year=year, user=leader)

    # Only the changed indicators lost their scores; the others keep theirs.
    left = {
        s.indicator.name: s.score
        for s in MemberScore.objects.filter(indicator__unit_year=year).select_related("indicator")
    }
    assert set(left) == set(kept_before) - changed
    assert all(left[name] == kept_before[name] for name in left)
    for ind in Indicator.objects.filter(unit_year=year, name__in=changed):
        assert ind.scores_reset_at is not None and ind.score is None

    member = Client()
    member.force_login(evaluator)
    page = _scoring_page(member, year)
    assert page.count(NOTE) == len(changed)
    assert page.count('data-testid="stale-scores"') == len(changed)

    # The group scores the changed indicators again under their new targets; the note goes.
    for ind in Indicator.objects.select_related("unit_year").filter(unit_year=year, name__in=changed):
        if ind.target_kind == "quantitative":
            services.member_score_save(
                indicator=ind, member=evaluator, actual=str(ind.target_value), deviation_reason="按新指标值评分"
            )
        else:
            services.member_score_save(indicator=ind, member=evaluator, band="achieved", score=str(ind.weight))
    assert NOTE not in _scoring_page(member, year)
    services.group_result_confirm(unit_year=year, user=evaluator)
    assert YearScoring.objects.get(unit_year=year).confirmed_at is not None


def test_an_unchanged_table_keeps_every_score(scored_year, personas):
    year = scored_year
    year_send_back(unit_year=year, user=personas["leader_a"], reasons=[SEND_BACK_REASONS[0]])
    officer = Client()
    officer.force_login(personas["officer_a"])
    url = reverse("indicators:table", args=[year.unit.code, year.year])
    officer.post(url, _table_post(year, {"会议次数": (None, None)}))
    assert MemberScore.objects.filter(indicator__unit_year=year).count() == 4
    assert not Indicator.objects.filter(unit_year=year, scores_reset_at__isnull=False).exists()


def test_a_score_left_from_an_earlier_target_never_breaks_the_page(scored_year, personas):
    """Written around the services (e.g. by a data repair): the page shows the note, not a 500."""
    year = scored_year
    ind = Indicator.objects.get(unit_year=year, name="社会效益")
    services.indicator_set_target(indicator=ind, text="≥20次")
    ind.save()  # the member's band score of "有效促进" is still stored
    member = Client()
    member.force_login(personas["evaluator_a"])
    page = _scoring_page(member, year)
    assert page.count(NOTE) == 1


def test_default_weights_changing_a_weight_clears_its_scores(scored_year, personas):
    year = scored_year
    year_send_back(unit_year=year, user=personas["leader_a"], reasons=[SEND_BACK_REASONS[0]])
    year.refresh_from_db()
    Indicator.objects.filter(unit_year=year, name="会议次数").update(weight=D("20"))  # scored at 20
    services.indicator_weights_default(unit_year=year)
    weights = dict(Indicator.objects.filter(unit_year=year).values_list("name", "weight"))
    assert weights["会议次数"] == D("25")
    assert not MemberScore.objects.filter(indicator__unit_year=year, indicator__name="会议次数").exists()
    assert MemberScore.objects.filter(indicator__unit_year=year, indicator__name="完成时限").exists()
