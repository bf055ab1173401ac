"""Rule sets per unit and year: assignments (a unit, or a unit and all below it; a year or every
year), a unit-year's own tier-1 weights, the province template, and what each page then uses."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from budgets.models import SpendingLine
from departments.models import Unit, UnitYear, YearStatus
from indicators import services
from indicators.models import RuleSet, RuleSetAssignment, UnitYearWeights, YearScoring
from indicators.quality import check_indicators
from indicators.scoring import NATIONAL_RULES
from indicators.selectors import RuleBook, default_rules, rules_for_year, year_quality, year_score
from indicators.tests.factories import build_table, score_all

PROVINCE = "省级模板：预算管理一体化操作手册（2022）"


@pytest.fixture
def province(db) -> RuleSet:
    call_command("loaddata", "province_2022", verbosity=0)
    return RuleSet.objects.get(name=PROVINCE)


@pytest.fixture
def tree(db):
    """市财政局 → 甲局 → 甲局下属中心; and 乙局 beside it."""
    city = Unit.objects.create(code="C000", name="某市财政局")
    bureau = Unit.objects.create(code="C100", name="甲局", parent=city)
    centre = Unit.objects.create(code="C110", name="甲局下属中心", parent=bureau)
    other = Unit.objects.create(code="C200", name="乙局", parent=city)
    return {"city": city, "bureau": bureau, "centre": centre, "other": other}


def years(tree, year=2024):
    return {k: UnitYear.objects.create(unit=u, year=year) for k, u in tree.items()}


def test_the_province_template_loads_and_reloads(province):
    rules = province.to_rules()
    assert rules.execution_caps == ((D("80"), D("89")), (D("70"), D("79")), (D("60"), D("69")), (D("50"), D("59")))
    assert rules.overachievement_deduction == D("2")
    assert rules.tier1_weights == NATIONAL_RULES.tier1_weights
    province.full_clean()
    call_command("loaddata", "province_2022", verbosity=0)  # by name: updated, not duplicated
    assert RuleSet.objects.filter(name=PROVINCE).count() == 1
    assert RuleSet.objects.default().name == NATIONAL_RULES.name  # the national rules stay the default


# Assignments made, then the rule set in force for each unit of the tree (most specific wins).
@pytest.mark.parametrize(
    "assignments,expected",
    [
        ([], {"city": "national", "bureau": "national", "centre": "national", "other": "national"}),
        # On the parent and all below it.
        (
            [("city", True, None, "province")],
            {"city": "province", "bureau": "province", "centre": "province", "other": "province"},
        ),
        # On one unit only: the units below keep the default.
        (
            [("bureau", False, None, "province")],
            {"city": "national", "bureau": "province", "centre": "national", "other": "national"},
        ),
        # The nearer assignment wins over the parent's.
        (
            [("city", True, None, "province"), ("bureau", True, None, "national_copy")],
            {"city": "province", "bureau": "national_copy", "centre": "national_copy", "other": "province"},
        ),
        # A year's assignment wins over every year's on the same unit; other years keep theirs.
        (
            [("city", True, None, "province"), ("city", True, 2024, "national_copy")],
            {"city": "national_copy", "bureau": "national_copy", "centre": "national_copy", "other": "national_copy"},
        ),
        (
            [("city", True, None, "province"), ("city", True, 2025, "national_copy")],
            {"city": "province", "bureau": "province", "centre": "province", "other": "province"},
        ),
    ],
)
def test_most_specific_assignment_wins(tree, province, assignments, expected):
    copy = RuleSet.objects.create(name="市级规则（同全国）")
    sets = {"province": province, "national_copy": copy}
    names = {"national": NATIONAL_RULES.name, "province": PROVINCE, "national_copy": copy.name}
    for unit, descendants, year, rule_set in assignments:
        RuleSetAssignment.objects.create(
            unit=tree[unit], include_descendants=descendants, year=year, rule_set=sets[rule_set]
        )
    uys = years(tree)
    book = RuleBook()
    assert {k: book.for_unit_year(uy).name for k, uy in uys.items()} == {k: names[v] for k, v in expected.items()}
    # The one-year resolution agrees with the book's.
    assert {k: rules_for_year(uy).name for k, uy in uys.items()} == {k: names[v] for k, v in expected.items()}


def test_the_book_is_one_query_without_assignments_and_constant_with_them(tree, province, django_assert_num_queries):
    years(tree)
    uys = {uy.unit.code: uy for uy in UnitYear.objects.select_related("scoring", "unit")}
    with django_assert_num_queries(1):  # the default rule set, and whether anything is assigned
        book = default_rules()
        [rules_for_year(uy, default=book) for uy in uys.values()]
    RuleSetAssignment.objects.create(unit=tree["city"], rule_set=province)
    UnitYearWeights.objects.create(
        unit_year=uys["C110"],
        output_weight=D("60"),
        benefit_weight=D("30"),
        satisfaction_weight=D("0"),
        execution_weight=D("10"),
        reason="无服务对象",
    )
    # + assignments with their rule sets, the units' parents, the unit-years' weights.
    with django_assert_num_queries(4):
        book = default_rules()
        [rules_for_year(uy, default=book) for uy in uys.values()]


def test_a_unit_year_may_have_its_own_tier1_weights_with_a_reason(tree, province, personas):
    RuleSetAssignment.objects.create(unit=tree["city"], rule_set=province)
    uys = years(tree)
    weights = UnitYearWeights(
        unit_year=uys["centre"],
        output_weight=D("60"),
        benefit_weight=D("30"),
        satisfaction_weight=D("0"),
        execution_weight=D("10"),
        reason="",
    )
    with pytest.raises(ValidationError) as exc:
        weights.full_clean()
    assert "请填写调整理由" in str(exc.value)
    weights.reason = "本中心无直接服务对象，不设满意度指标（如有特殊情况）"
    weights.full_clean()
    weights.save()
    rules = rules_for_year(uys["centre"])
    # The province's ladder and deduction, the unit-year's weights; no 满意度 expected.
    assert rules.tier1_weights == {"output": D("60"), "benefit": D("30")}
    assert (rules.execution_weight, rules.indicator_weight_total) == (D("10"), D("90"))
    assert rules.execution_caps and rules.overachievement_deduction == D("2")
    assert "不设满意度指标" in rules.weights_note
    assert rules_for_year(uys["bureau"]).tier1_weights == NATIONAL_RULES.tier1_weights


def test_weights_must_add_up_and_cannot_change_a_started_year(year_a, personas):
    weights = UnitYearWeights(
        unit_year=year_a,
        output_weight=D("60"),
        benefit_weight=D("30"),
        satisfaction_weight=D("10"),
        execution_weight=D("10"),
        reason="x",
    )
    with pytest.raises(ValidationError) as exc:
        weights.full_clean()
    assert "合计须为 100，现为 110" in str(exc.value)
    services.year_scoring_start(unit_year=year_a)
    weights.output_weight = D("50")
    with pytest.raises(ValidationError) as exc:
        weights.full_clean()
    assert "已开始评价" in str(exc.value)


def test_quality_check_uses_the_weights_in_force(year_a, personas):
    build_table(year_a)  # 产出 25 + 25, 效益 30, 满意度 10: right for the national rules
    assert not [f for f in year_quality(year_a) if f.blocking]
    UnitYearWeights.objects.create(
        unit_year=year_a,
        output_weight=D("60"),
        benefit_weight=D("20"),
        satisfaction_weight=D("10"),
        execution_weight=D("10"),
        reason="重点任务调整",
    )
    blocking = {f.subject: f.problem for f in year_quality(year_a) if f.blocking}
    assert blocking == {
        "产出指标": "“产出指标”下三级指标分值合计 50.00，应为 60.00。",
        "效益指标": "“效益指标”下三级指标分值合计 30.00，应为 20.00。",
    }
    # The pure check agrees when given the same rules.
    rules = rules_for_year(year_a)
    assert len(check_indicators(year_a.indicators.all(), rules=rules, year=2024)) == len(year_quality(year_a))


def test_a_started_year_keeps_its_snapshot(year_a, personas, province):
    RuleSetAssignment.objects.create(unit=year_a.unit, rule_set=province, note="省财政厅通知")
    build_table(year_a)
    scoring = services.year_scoring_start(unit_year=year_a)
    assert scoring.rule_set == province
    assert scoring.rules.execution_caps == province.to_rules().execution_caps
    assert scoring.rules.origin == "指定给本单位"
    # Later edits of the rule set or its assignment do not rescore the year.
    province.execution_ladder = []
    province.save()
    RuleSetAssignment.objects.all().delete()
    year_a.refresh_from_db()
    assert rules_for_year(year_a).execution_caps == (
        (D("80"), D("89")),
        (D("70"), D("79")),
        (D("60"), D("69")),
        (D("50"), D("59")),
    )


def test_the_ladder_caps_a_year_scored_under_the_province_rules(year_a, personas, province):
    """A year at 76 % execution with every indicator met: 90 + 7.6 = 97.6, capped at 89 (良)."""
    RuleSetAssignment.objects.create(unit=year_a.unit, rule_set=province)
    build_table(year_a)  # spending 76 of 100
    services.evaluation_group_name(
        unit_year=year_a, user=personas["leader_a"], members=[personas["evaluator_a"]], lead=personas["evaluator_a"]
    )
    year_a.status = YearStatus.EVALUATING
    year_a.save()
    services.year_scoring_start(unit_year=year_a)
    score_all(year_a, personas["evaluator_a"])
    services.group_result_confirm(unit_year=year_a, user=personas["evaluator_a"])
    year_a = UnitYear.objects.select_related("scoring").get(pk=year_a.pk)
    result = year_score(year_a)
    assert (result.total, result.cap, result.capped, result.grade) == (D("89.00"), D("89"), True, "良")
    assert year_score(year_a, rules=NATIONAL_RULES).total == D("97.60")


def test_no_budget_is_reported_and_rescaled(year_a, personas):
    build_table(year_a)
    SpendingLine.objects.filter(unit_year=year_a).update(full_year_budget=D("0"), actual=D("0"))
    year_a.indicators.update(score=None)
    for ind in year_a.indicators.all():
        ind.score = ind.weight
        ind.save()
    result = year_score(UnitYear.objects.get(pk=year_a.pk))
    # 0/0: not "100 %" and not full marks — the execution score does not apply, 90 of 90 → 100.
    assert (result.execution_rate_display, result.execution_score, result.applicable_weight) == (
        "无预算",
        None,
        D("90.00"),
    )
    assert (result.total, result.complete, result.grade) == (D("100.00"), True, "优")
    year_a.indicators.filter(name="会议次数").update(score=D("20"))  # 85 of 90
    assert year_score(UnitYear.objects.get(pk=year_a.pk)).total == D("94.44")
    # A rule set that scores 0/0 as 0 says so.
    RuleSet.objects.filter(is_default=True).update(no_budget_rule="zero")
    assert year_score(UnitYear.objects.get(pk=year_a.pk)).total == D("85.00")
    # An unstated budget is unknown, not 无预算.
    SpendingLine.objects.filter(unit_year=year_a).update(full_year_budget=None, actual=None)
    unstated = year_score(UnitYear.objects.get(pk=year_a.pk))
    assert (unstated.execution_rate_display, unstated.complete) == ("—", False)


def test_year_scoring_start_records_the_assigned_rule_set(year_a, province, tree):
    year_a.unit.parent = tree["city"]
    year_a.unit.save()
    RuleSetAssignment.objects.create(unit=tree["city"], rule_set=province, include_descendants=True)
    scoring = services.year_scoring_start(unit_year=year_a)
    assert scoring.rule_set_id == province.pk
    assert scoring.rules.origin == "指定给上级单位“某市财政局”及其下级单位"
    assert YearScoring.objects.get(unit_year=year_a).rules_snapshot["overachievement_deduction"] == "2.00"


def test_scoring_page_shows_the_rules_in_force_and_the_deduction(client, year_a, personas, province):
    RuleSetAssignment.objects.create(unit=year_a.unit, rule_set=province)
    build_table(year_a)
    services.evaluation_group_name(
        unit_year=year_a, user=personas["leader_a"], members=[personas["evaluator_a"]], lead=personas["evaluator_a"]
    )
    year_a.status = YearStatus.EVALUATING
    year_a.save()
    services.year_scoring_start(unit_year=year_a)
    ind = year_a.indicators.get(name="会议次数")  # ≥20次, weight 25
    record = services.member_score_save(
        indicator=ind, member=personas["evaluator_a"], actual="30", deviation_reason="会议安排较计划增加"
    )
    assert (record.proposed_score, record.score, record.deduction) == (D("23.00"), D("23.00"), D("2.00"))
    client.force_login(personas["evaluator_a"])
    page = client.get(f"/u/{year_a.unit.code}/{year_a.year}/scoring/").content.decode()
    assert PROVINCE in page and "指定给本单位" in page
    assert "预算执行率低于 80% 总分最高 89 分；低于 70% 总分最高 79 分" in page
    assert "并扣 2 分（指标偏离）" in page
    assert "指标偏离：实际完成值达到指标值的 130% 以上，按评分规则扣 2 分。" in page
    assert '按执行率封顶，总分最高 <span data-testid="cap">89</span> 分' in page  # 76 % execution


@pytest.mark.parametrize("default", ["province", "national", "none"])
def test_rules_read_with_the_year_are_the_rules_read_alone(tree, province, default, django_assert_num_queries):
    # A page fetching its year with_rules_in_force resolves the same rules without a query of
    # its own: every value of the default rule set (decimals to their places, the ladder, a
    # blank deduction, the flags), and assignments and unit-year weights still apply.
    from indicators.selectors import with_rules_in_force

    if default == "province":
        RuleSet.objects.filter(is_default=True).update(is_default=False)
        province.is_default = True
        province.overachievement_percent = D("112.35")
        province.save()
    elif default == "none":
        RuleSet.objects.exclude(name=PROVINCE).delete()  # no default rule set: the national rules
    uys = years(tree)
    UnitYearWeights.objects.create(
        unit_year=uys["other"],
        output_weight=D("60"),
        benefit_weight=D("20"),
        satisfaction_weight=D("10"),
        reason="试点",
    )
    RuleSetAssignment.objects.create(rule_set=RuleSet.objects.get(name=PROVINCE), unit=tree["bureau"])
    for key, uy in uys.items():
        alone = RuleBook().resolve(uy)
        fetched = with_rules_in_force(UnitYear.objects.all()).get(pk=uy.pk)
        head = RuleBook(head=fetched)
        assert head.default == RuleBook().default
        assert head.resolve(fetched) == alone, key
    fetched = with_rules_in_force(UnitYear.objects.all()).get(pk=uys["city"].pk)
    with django_assert_num_queries(0):
        default = RuleBook(head=fetched).default
    assert default == RuleBook().default
    assert rules_for_year(fetched) == RuleBook().resolve(uys["city"]).rules
