"""Every URL of the indicators app (and the flow page) × every persona, and what users see."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from departments.models import UnitYear, YearStatus
from indicators.models import Indicator, LibraryIndicator
from indicators.tests.factories import ready_year

PERSONAS = ["anonymous", "officer_a", "officer_b", "evaluator_a", "leader_a", "admin"]


def outcome_row(ok: set[str], forbidden_default=403):
    return {
        p: ("login" if p == "anonymous" else 404 if p == "officer_b" else 200 if p in ok else forbidden_default)
        for p in PERSONAS
    }


IN_UNIT = {"officer_a", "evaluator_a", "leader_a", "admin"}

# GET pages on a year under evaluation (evaluator_a is the group's only member and its lead).
GET_MATRIX = {
    "indicators:table": outcome_row(IN_UNIT),
    "indicators:group": outcome_row(IN_UNIT),
    "indicators:scoring": outcome_row({"evaluator_a"}),
    "indicators:group_result": outcome_row(IN_UNIT),
    "flow:page": outcome_row(IN_UNIT),
}


def check(response, expected):
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("name,persona", [(n, p) for n in GET_MATRIX for p in PERSONAS])
def test_get_matrix(client, personas, year_a, name, persona):
    ready_year(year_a, status=YearStatus.EVALUATING, leader=personas["leader_a"], lead=personas["evaluator_a"])
    if personas[persona]:
        client.force_login(personas[persona])
    check(client.get(reverse(name, args=[year_a.unit.code, year_a.year])), GET_MATRIX[name][persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_library_page(client, personas, persona):
    if personas[persona]:
        client.force_login(personas[persona])
    response = client.get(reverse("indicators:library"))
    if persona == "anonymous":
        check(response, "login")
    else:
        assert "政府采购执行率" in response.content.decode()


# POST actions on a draft year: the unit's finance officer (and administrators) edit the table;
# the leader (and administrators) name the group.
OFFICER_EDIT = {
    p: ("login" if p == "anonymous" else 404 if p == "officer_b" else 302 if p in {"officer_a", "admin"} else 403)
    for p in PERSONAS
}
LEADER_NAME = {
    p: ("login" if p == "anonymous" else 404 if p == "officer_b" else 302 if p in {"leader_a", "admin"} else 403)
    for p in PERSONAS
}


def _post_targets(year_a, personas):
    ind = year_a.indicators.order_by("order").last()
    entry = LibraryIndicator.objects.get(name="政府采购执行率", unit__isnull=True)
    uy = [year_a.unit.code, year_a.year]
    return {
        "weights_default": (reverse("indicators:weights_default", args=uy), {}, OFFICER_EDIT),
        "add_from_library": (
            reverse("indicators:add_from_library", args=uy),
            {"entry": entry.pk, "fund_category": "basic"},
            OFFICER_EDIT,
        ),
        "move": (reverse("indicators:move", args=[*uy, ind.pk, "up"]), {}, OFFICER_EDIT),
        "to_library": (reverse("indicators:to_library", args=[*uy, ind.pk]), {}, OFFICER_EDIT),
        "group": (
            reverse("indicators:group", args=uy),
            {"members": [personas["evaluator_a"].pk], "lead": personas["evaluator_a"].pk},
            LEADER_NAME,
        ),
    }


@pytest.mark.parametrize(
    "action,persona",
    [(a, p) for a in ["weights_default", "add_from_library", "move", "to_library", "group"] for p in PERSONAS],
)
def test_post_matrix_on_a_draft(client, personas, year_a, action, persona):
    ready_year(year_a, status=YearStatus.DRAFT, leader=personas["leader_a"], lead=personas["evaluator_a"])
    url, data, expected = _post_targets(year_a, personas)[action]
    year_a.refresh_from_db()
    if personas[persona]:
        client.force_login(personas[persona])
    check(client.post(url, {**data, "version": year_a.version}), expected[persona])


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("anonymous", "login"),
        ("officer_a", 403),
        ("officer_b", 404),
        ("evaluator_a", 200),
        ("leader_a", 403),
        ("admin", 403),
    ],
)
def test_scoring_save_matrix(client, personas, year_a, persona, expected):
    ready_year(
        year_a, status=YearStatus.EVALUATING, leader=personas["leader_a"], lead=personas["evaluator_a"], confirmed=False
    )
    ind = year_a.indicators.get(name="会议次数")
    if personas[persona]:
        client.force_login(personas[persona])
    response = client.post(
        reverse("indicators:scoring_save", args=[year_a.unit.code, year_a.year, ind.pk]),
        {f"s{ind.pk}-actual": "20"},
        HTTP_ACCEPT="application/json",
    )
    check(response, expected)


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("anonymous", "login"),
        ("officer_a", 403),
        ("officer_b", 404),
        ("evaluator_a", 302),
        ("leader_a", 403),
        ("admin", 302),
    ],
)
def test_confirm_matrix(client, personas, year_a, persona, expected):
    ready_year(
        year_a, status=YearStatus.EVALUATING, leader=personas["leader_a"], lead=personas["evaluator_a"], confirmed=False
    )
    if personas[persona]:
        client.force_login(personas[persona])
    response = client.post(reverse("indicators:group_result_confirm", args=[year_a.unit.code, year_a.year]))
    check(response, expected)
    year_a.refresh_from_db()
    assert (year_a.scoring.confirmed_at is not None) == (expected == 302)


def test_editor_parses_typed_targets_and_shows_them_back(client, personas, year_a):
    client.force_login(personas["officer_a"])
    url = reverse("indicators:table", args=[year_a.unit.code, year_a.year])
    data = {"ind-TOTAL_FORMS": "1", "ind-INITIAL_FORMS": "0", "ind-MIN_NUM_FORMS": "0", "ind-MAX_NUM_FORMS": "1000"}
    data["version"] = year_a.version
    row = {
        "fund_category": "basic",
        "order": "",
        "tier1": "output",
        "tier2": "cost",
        "name": "工资福利支出",
        "target": "≤760万元",
        "weight": "10",
        "grading_standard": "",
    }
    response = client.post(url, {**data, **{f"ind-0-{k}": v for k, v in row.items()}})
    assert response.status_code == 302
    ind = Indicator.objects.get(unit_year=year_a)
    assert (ind.target_kind, ind.comparator, ind.target_value, ind.target_unit, ind.order) == (
        "quantitative",
        "le",
        D("760"),
        "万元",
        1,
    )
    page = client.get(url).content.decode()
    assert 'value="≤760万元"' in page
    # A tier 2 from another tier 1 is refused, in Chinese, and nothing is saved.
    bad = {**row, "tier2": "social", "name": "新指标"}
    year_a.refresh_from_db()
    data["version"] = year_a.version
    response = client.post(url, {**data, **{f"ind-0-{k}": v for k, v in bad.items()}})
    assert "“社会效益指标”不属于一级指标“产出指标”" in response.content.decode()
    assert Indicator.objects.filter(unit_year=year_a).count() == 1


def test_editor_edits_and_deletes(client, personas, year_a):
    ready_year(year_a, status=YearStatus.DRAFT, leader=personas["leader_a"], lead=personas["evaluator_a"])
    client.force_login(personas["officer_a"])
    url = reverse("indicators:table", args=[year_a.unit.code, year_a.year])
    rows = list(year_a.indicators.ordered())
    data = {
        "ind-TOTAL_FORMS": str(len(rows)),
        "ind-INITIAL_FORMS": str(len(rows)),
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
        "version": UnitYear.objects.get(pk=year_a.pk).version,
    }
    for i, r in enumerate(rows):
        data.update(
            {
                f"ind-{i}-id": r.pk,
                f"ind-{i}-fund_category": r.fund_category,
                f"ind-{i}-order": r.order,
                f"ind-{i}-tier1": r.tier1,
                f"ind-{i}-tier2": r.tier2,
                f"ind-{i}-name": r.name,
                f"ind-{i}-target": r.target_display,
                f"ind-{i}-weight": r.weight,
                f"ind-{i}-grading_standard": r.grading_standard,
            }
        )
    data["ind-0-target"] = "=25次"
    data["ind-3-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert year_a.indicators.get(pk=rows[0].pk).target_display == "=25次"
    assert not year_a.indicators.filter(pk=rows[3].pk).exists()


def test_editor_shows_quality_findings_and_default_weights(client, personas, demo_year):
    officer = type(personas["officer_a"]).objects.get(username="officer")
    client.force_login(officer)
    url = reverse("indicators:table", args=[demo_year.unit.code, demo_year.year])
    page = client.get(url).content.decode()
    assert "19 个指标未设分值" in page and "促进本县经济发展" in page and "评分标准" in page
    response = client.post(
        reverse("indicators:weights_default", args=[demo_year.unit.code, demo_year.year]),
        {"version": demo_year.version},
        follow=True,
    )
    page = response.content.decode()
    assert "已按默认权重（产出指标 50、效益指标 30、满意度指标 10）为 19 个指标分配分值" in page
    assert "未设分值" not in page
    assert 'value="3.59"' in page


def test_scoring_json_returns_the_running_total(client, personas, year_a):
    ready_year(
        year_a, status=YearStatus.EVALUATING, leader=personas["leader_a"], lead=personas["evaluator_a"], confirmed=False
    )
    client.force_login(personas["evaluator_a"])
    ind = year_a.indicators.get(name="会议次数")  # ≥20次, weight 25
    url = reverse("indicators:scoring_save", args=[year_a.unit.code, year_a.year, ind.pk])
    body = client.post(
        url, {f"s{ind.pk}-actual": "15", f"s{ind.pk}-deviation_reason": "会议减少"}, HTTP_ACCEPT="application/json"
    ).json()
    assert body["ok"] and body["score"] == "18.75" and body["proposed"] == "18.75"
    # (18.75 + 25 + 30 + 10) + 7.6 execution (76 of 100) = 91.35; grade 良? no: ≥90 → 优
    assert body["mine"] == {
        "total": "91.35",
        "grade": "优",
        "scored": 4,
        "unscored": 0,
        "execution_score": "7.60",
        "execution_rate": "76.00%",
        "capped": False,
    }
    bad = client.post(url, {f"s{ind.pk}-actual": "15", f"s{ind.pk}-score": "20"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    assert "不能高于建议得分" in bad.json()["errors"]["score"][0]
    # Without JavaScript the row form posts and redirects back with a message.
    response = client.post(url, {f"s{ind.pk}-actual": "abc"}, follow=True)
    assert "会议次数：“abc”不是数值" in response.content.decode()


# Session, user, memberships (the access policy), unit-year (+ its unit, scoring record and
# evaluation group with its lead), indicators (every table's, in order: the rows and the totals),
# spending lines (预算执行率), project lines (+ their evaluations: the table selector, each
# project's money and weights), the group's members (the user's seat: 评分 needs one), every
# member score of the year (the user's own and the group's).
SCORING_QUERIES = 9
# The same nine: 评分结果 reads the year as 评分 does (the seats answer confirm, the flow buttons
# and the 评分 tab).
RESULT_QUERIES = 9
# Session, user, memberships, unit-year with its scoring record (the rules it was scored under)
# and the user's seats on its evaluation group (the 评分 tab), the project lines with their
# evaluations (the table selector), the indicators (read once for the findings and the table).
TABLE_QUERIES = 6


@pytest.mark.parametrize("extra", [0, 12])
@pytest.mark.parametrize(
    "name,persona,count",
    [
        ("indicators:scoring", "evaluator_a", SCORING_QUERIES),
        ("indicators:group_result", "leader_a", RESULT_QUERIES),
        ("indicators:table", "officer_a", TABLE_QUERIES),
    ],
)
def test_page_query_counts_do_not_grow(
    client, personas, year_a, django_assert_num_queries, name, persona, count, extra
):
    ready_year(year_a, status=YearStatus.EVALUATING, leader=personas["leader_a"], lead=personas["evaluator_a"])
    for k in range(extra):
        Indicator.objects.create(
            unit_year=year_a,
            fund_category="basic",
            tier1="output",
            tier2="quantity",
            name=f"加项{k}",
            target_kind="quantitative",
            comparator="ge",
            target_value=D("1"),
            target_unit="次",
            weight=D("0"),
        )
    client.force_login(personas[persona])
    url = reverse(name, args=[year_a.unit.code, year_a.year])
    with django_assert_num_queries(count):
        response = client.get(url)
    assert "会议次数" in response.content.decode()
