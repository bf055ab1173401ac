"""Table-driven tests of the scoring engine (docs/domain.md §4)."""

from decimal import Decimal as D

import pytest

from indicators.scoring import (
    NATIONAL_RULES,
    Band,
    IndicatorScore,
    ReverseFormula,
    Rules,
    ScoringError,
    check_qualitative,
    execution_score,
    grade,
    qualitative_range,
    score_quantitative,
    score_total,
)
from indicators.vocabulary import NoBudgetRule

# Rule sets the tables name.
PROVINCE = Rules(
    name="省级模板（2022）",
    overachievement_deduction=D("2"),
    execution_caps=((D("80"), D("89")), (D("70"), D("79")), (D("60"), D("69")), (D("50"), D("59"))),
)
RULE_SETS = {
    "national": NATIONAL_RULES,
    "linear": Rules(reverse_formula=ReverseFormula.LINEAR),
    "province": PROVINCE,
}


# Per comparator, direction (of a bare target) and rule set: target, actual, weight → score.
@pytest.mark.parametrize(
    "comparator,direction,rules,target,actual,weight,score,met,over,deduction",
    [
        # ≥ / ＞ floors
        ("ge", "", "national", "20", "20", "5", "5.00", True, False, "0"),  # met exactly: full
        ("ge", "", "national", "20", "25", "5", "5.00", True, False, "0"),
        ("ge", "", "national", "20", "26", "5", "5.00", True, True, "0"),  # 130 %: flagged only
        ("ge", "", "province", "20", "26", "5", "3.00", True, True, "2"),  # 130 %: 指标偏离 −2
        ("ge", "", "province", "20", "25.99", "5", "5.00", True, False, "0"),  # 129.95 %: no deduction
        ("ge", "", "province", "20", "40", "1.5", "0.00", True, True, "1.50"),  # never below 0
        ("ge", "", "national", "20", "10", "5", "2.50", False, False, "0"),  # proportional
        ("gt", "", "national", "5", "5", "4", "4.00", False, False, "0"),  # ＞ not met, proportional full
        ("gt", "", "national", "5", "6", "4", "4.00", True, False, "0"),
        # ≤ / ＜ ceilings
        ("le", "", "national", "90", "89.97", "10", "10.00", True, False, "0"),  # ≤90万元, 89.97 spent
        ("le", "", "national", "760", "800", "5", "4.75", False, False, "0"),  # target ÷ actual × weight
        ("le", "", "linear", "760", "1140", "5", "2.50", False, False, "0"),  # linear: half way to 2×
        ("le", "", "linear", "760", "1600", "5", "0.00", False, False, "0"),  # beyond 2×: 0
        ("le", "", "province", "20", "40", "5", "2.50", False, False, "0"),  # no deduction on ceilings
        ("lt", "", "national", "1", "1", "5", "5.00", False, False, "0"),  # ratio 1 → full, not met
        ("lt", "", "national", "1", "0.5", "5", "5.00", True, False, "0"),
        # = exact
        ("eq", "", "national", "17", "17", "4", "4.00", True, False, "0"),
        ("eq", "", "national", "17", "16", "4", "3.76", False, False, "0"),
        ("eq", "", "national", "10", "25", "4", "0.00", False, False, "0"),  # far off: floor at 0
        # Bare targets: scored by the confirmed direction, as "=" while unconfirmed.
        ("", "", "national", "100", "98", "5", "4.90", False, False, "0"),  # "100%" unconfirmed: =
        ("", "", "national", "3", "0", "2", "0.00", False, False, "0"),  # 预算调整率 "3%" read as =3
        ("", "ceiling", "national", "3", "0", "2", "2.00", True, False, "0"),  # … confirmed ≤3%: full
        ("", "ceiling", "national", "3", "4", "2", "1.50", False, False, "0"),
        ("", "ceiling", "national", "100", "97", "2", "2.00", True, False, "0"),  # 公用经费控制率 "100%"
        ("", "floor", "national", "100", "97", "2", "1.94", False, False, "0"),  # a 完成率 "100%"
        ("", "floor", "national", "2200", "2300", "3", "3.00", True, False, "0"),  # "2200篇"
        ("", "floor", "province", "2200", "2860", "3", "1.00", True, True, "2"),  # 130 %: −2
        ("", "exact", "national", "17", "16", "4", "3.76", False, False, "0"),
        # A comparator written out wins over a direction.
        ("ge", "ceiling", "national", "20", "10", "5", "2.50", False, False, "0"),
        # Zero targets and zero actuals, every comparator.
        ("ge", "", "national", "0", "0", "3", "3.00", True, False, "0"),  # trivial, but met
        ("ge", "", "province", "0", "5", "3", "3.00", True, False, "0"),  # no ratio to 0: no deduction
        ("gt", "", "national", "0", "0", "3", "0.00", False, False, "0"),
        ("gt", "", "national", "0", "1", "3", "3.00", True, False, "0"),
        ("eq", "", "national", "0", "0", "3", "3.00", True, False, "0"),  # 安全事故 =0次
        ("eq", "", "national", "0", "1", "3", "0.00", False, False, "0"),
        ("le", "", "national", "0", "0", "3", "3.00", True, False, "0"),
        ("le", "", "national", "0", "2", "3", "0.00", False, False, "0"),  # zero ceiling exceeded
        ("le", "", "linear", "0", "2", "3", "0.00", False, False, "0"),
        ("lt", "", "national", "0", "0", "3", "0.00", False, False, "0"),  # "＜0" can never be met
        ("ge", "", "national", "20", "0", "3", "0.00", False, False, "0"),  # actual 0 on a floor
        ("gt", "", "national", "20", "0", "3", "0.00", False, False, "0"),
        ("le", "", "national", "1", "0", "5", "5.00", True, False, "0"),  # zero errors
        ("lt", "", "national", "1", "0", "5", "5.00", True, False, "0"),
        ("eq", "", "national", "17", "0", "4", "0.00", False, False, "0"),
        ("", "ceiling", "national", "0", "0", "2", "2.00", True, False, "0"),  # 差错率 "0%"
        ("", "floor", "national", "0", "0", "2", "2.00", True, False, "0"),
        ("", "", "national", "0", "0", "2", "2.00", True, False, "0"),
    ],
)
def test_quantitative(comparator, direction, rules, target, actual, weight, score, met, over, deduction):
    result = score_quantitative(
        comparator=comparator,
        direction=direction,
        target=D(target),
        actual=D(actual),
        weight=D(weight),
        rules=RULE_SETS[rules],
    )
    assert (result.score, result.met, result.over_achieved, result.deduction) == (
        D(score),
        met,
        over,
        D(deduction),
    )
    assert ("扣" in result.note) == (D(deduction) > 0)


def test_the_deduction_says_why():
    result = score_quantitative(comparator="ge", target=D("20"), actual=D("30"), weight=D("5"), rules=PROVINCE)
    assert result.note == "指标偏离：实际完成值达到指标值的 130% 以上，按评分规则扣 2 分。"


def test_linear_reverse_formula_reaches_zero_at_twice_the_target():
    rules = Rules(reverse_formula=ReverseFormula.LINEAR)
    assert score_quantitative(
        comparator="le", target=D("100"), actual=D("150"), weight=D("10"), rules=rules
    ).score == D("5.00")
    assert score_quantitative(
        comparator="le", target=D("100"), actual=D("200"), weight=D("10"), rules=rules
    ).score == D("0.00")


def test_score_never_exceeds_weight():
    assert score_quantitative(comparator="eq", target=D("10"), actual=D("10"), weight=D("3")).score == D("3.00")


def test_negative_values_refused():
    with pytest.raises(ScoringError):
        score_quantitative(comparator="ge", target=D("1"), actual=D("-1"), weight=D("1"))


# Half-open bands as the rule writes them — "100–80%（含）、80–60%（含）、60–0%": exactly 80 % of
# the weight is 达成, exactly 60 % is 部分达成. Weight 10 and weight 3 (cents at the boundary).
@pytest.mark.parametrize(
    "band,weight,score,ok",
    [
        (Band.ACHIEVED, "10", "10", True),
        (Band.ACHIEVED, "10", "8", True),  # 80 % belongs to 达成
        (Band.ACHIEVED, "10", "7.99", False),
        (Band.ACHIEVED, "10", "10.01", False),
        (Band.PARTIAL, "10", "8", False),  # … and not to 部分达成
        (Band.PARTIAL, "10", "7.99", True),
        (Band.PARTIAL, "10", "8.5", False),
        (Band.PARTIAL, "10", "7", True),
        (Band.PARTIAL, "10", "6", True),  # 60 % belongs to 部分达成
        (Band.PARTIAL, "10", "5.99", False),
        (Band.NOT_ACHIEVED, "10", "6", False),  # … and not to 未达成
        (Band.NOT_ACHIEVED, "10", "5.99", True),
        (Band.NOT_ACHIEVED, "10", "0", True),
        (Band.ACHIEVED, "3", "2.40", True),
        (Band.PARTIAL, "3", "2.40", False),
        (Band.PARTIAL, "3", "2.39", True),
        (Band.PARTIAL, "3", "1.80", True),
        (Band.NOT_ACHIEVED, "3", "1.80", False),
        (Band.NOT_ACHIEVED, "3", "1.79", True),
    ],
)
def test_qualitative_bands(band, weight, score, ok):
    if ok:
        assert check_qualitative(band=band, score=D(score), weight=D(weight)) == D(score).quantize(D("0.01"))
    else:
        with pytest.raises(ScoringError) as exc:
            check_qualitative(band=band, score=D(score), weight=D(weight))
        assert "超出范围" in str(exc.value)


def test_band_range_says_which_bound_is_excluded():
    assert qualitative_range(band=Band.ACHIEVED, weight=D("10")).text == "8.00 至 10.00 分"
    assert qualitative_range(band=Band.PARTIAL, weight=D("10")).text == "6.00 分（含）至 8.00 分（不含）"
    with pytest.raises(ScoringError) as exc:
        check_qualitative(band=Band.PARTIAL, score=D("8"), weight=D("10"))
    assert str(exc.value) == (
        "“部分达成并具有一定效果”档的得分须在 6.00 分（含）至 8.00 分（不含）之间（分值 10.00），8.00 分超出范围。"
    )


@pytest.mark.parametrize(
    "rules,rate,no_budget,expected",
    [
        (NATIONAL_RULES, "76.00", False, "7.60"),  # 76 % × 10
        (NATIONAL_RULES, "120.00", False, "10.00"),  # at most 100 %
        (NATIONAL_RULES, "0.00", False, "0.00"),  # a budget, nothing spent
        (NATIONAL_RULES, None, False, None),  # not stated: unknown
        (Rules(execution_weight=D("20")), "76.00", False, "15.20"),
        # 0/0 (无预算): never silently full — as the rule set says.
        (NATIONAL_RULES, None, True, None),  # default: does not apply
        (Rules(no_budget=NoBudgetRule.FULL), None, True, "10.00"),
        (Rules(no_budget=NoBudgetRule.ZERO), None, True, "0.00"),
    ],
)
def test_execution_score(rules, rate, no_budget, expected):
    result = execution_score(rate=None if rate is None else D(rate), rules=rules, no_budget=no_budget)
    assert result == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    "total,label", [("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差")]
)
def test_grade_bands(total, label):
    assert grade(D(total)) == label


def test_total_with_all_indicators():
    indicators = [IndicatorScore(weight=D("50"), score=D("48")), IndicatorScore(weight=D("40"), score=D("40"))]
    result = score_total(indicators=indicators, execution_rate=D("76.00"))
    assert (result.total, result.grade, result.execution_score) == (D("95.60"), "优", D("7.60"))
    assert result.complete


def test_not_applicable_dropped_and_rest_rescaled():
    indicators = [
        IndicatorScore(weight=D("45"), score=D("45")),
        IndicatorScore(weight=D("45"), score=None, not_applicable=True),
    ]
    result = score_total(indicators=indicators, execution_rate=D("100.00"))
    assert result.total == D("100.00")  # (45 + 10) ÷ 55 × 100
    assert result.complete


def test_unscored_indicators_make_the_total_incomplete():
    indicators = [IndicatorScore(weight=D("45"), score=D("40")), IndicatorScore(weight=D("45"), score=None)]
    result = score_total(indicators=indicators, execution_rate=D("100.00"))
    assert not result.complete
    assert result.unscored == 1
    assert result.total == D("50.00")  # running total: (40 + 10) ÷ 100
    assert result.grade == ""  # no grade until every indicator is scored


def test_missing_weights_give_no_total():
    indicators = [IndicatorScore(weight=None, score=None)]
    result = score_total(indicators=indicators, execution_rate=D("100.00"))
    assert (result.total, result.grade, result.weights_missing) == (None, "", 1)


def test_execution_cap_is_a_rule():
    rules = Rules(execution_caps=((D("60"), D("69")),))
    indicators = [IndicatorScore(weight=D("90"), score=D("90"))]
    capped = score_total(indicators=indicators, execution_rate=D("50.00"), rules=rules)
    assert (capped.total, capped.grade, capped.capped) == (D("69.00"), "中", True)
    national = score_total(indicators=indicators, execution_rate=D("50.00"))
    assert national.total == D("95.00")


# The province's ladder: 70–80 % → ≤89, 60–70 % → ≤79, below 60 % → ≤69, below 50 % → ≤59.
# All indicators full (90 of 90); the total before the cap is 90 + execution score.
@pytest.mark.parametrize(
    "rules,rate,total,cap,capped,grade_",
    [
        ("province", "100.00", "100.00", None, False, "优"),
        ("province", "80.00", "98.00", None, False, "优"),  # 80 % is not "below 80 %"
        ("province", "79.99", "89.00", "89", True, "良"),  # 97.99 capped
        ("province", "70.00", "89.00", "89", True, "良"),  # 70 % is in 70–80 %
        ("province", "69.99", "79.00", "79", True, "中"),
        ("province", "60.00", "79.00", "79", True, "中"),
        ("province", "59.99", "69.00", "69", True, "中"),
        ("province", "50.00", "69.00", "69", True, "中"),
        ("province", "49.99", "59.00", "59", True, "差"),
        ("province", "0.00", "59.00", "59", True, "差"),
        ("national", "49.99", "95.00", None, False, "优"),  # no ladder nationally
    ],
)
def test_execution_ladder(rules, rate, total, cap, capped, grade_):
    result = score_total(
        indicators=[IndicatorScore(weight=D("90"), score=D("90"))], execution_rate=D(rate), rules=RULE_SETS[rules]
    )
    assert (result.total, result.cap, result.capped, result.grade) == (
        D(total),
        None if cap is None else D(cap),
        capped,
        grade_,
    )


def test_a_cap_above_the_total_does_not_bite():
    result = score_total(
        indicators=[IndicatorScore(weight=D("90"), score=D("60"))], execution_rate=D("75.00"), rules=PROVINCE
    )
    assert (result.total, result.cap, result.capped) == (D("67.50"), D("89"), False)  # 60 + 7.5, under 89


# 0/0 (无预算): rule set, then total, applicable weight, completeness and what is shown.
@pytest.mark.parametrize(
    "rules,total,applicable,execution,complete,display",
    [
        (NATIONAL_RULES, "88.89", "90.00", None, True, "无预算"),  # 80 ÷ 90: weights rescaled
        (Rules(no_budget=NoBudgetRule.FULL), "90.00", "100.00", "10.00", True, "无预算"),
        (Rules(no_budget=NoBudgetRule.ZERO), "80.00", "100.00", "0.00", True, "无预算"),
        (PROVINCE, "88.89", "90.00", None, True, "无预算"),  # no rate: the ladder cannot apply
    ],
)
def test_no_budget(rules, total, applicable, execution, complete, display):
    result = score_total(
        indicators=[IndicatorScore(weight=D("90"), score=D("80"))], execution_rate=None, rules=rules, no_budget=True
    )
    assert (result.total, result.applicable_weight, result.execution_score, result.complete) == (
        D(total),
        D(applicable),
        None if execution is None else D(execution),
        complete,
    )
    assert result.execution_rate_display == display
    assert result.grade  # a complete year gets its grade


def test_an_unstated_budget_is_not_no_budget():
    result = score_total(indicators=[IndicatorScore(weight=D("90"), score=D("80"))], execution_rate=None)
    assert (result.complete, result.grade, result.execution_rate_display) == (False, "", "—")


def test_national_weights():
    assert NATIONAL_RULES.tier1_weights == {"output": D("50"), "benefit": D("30"), "satisfaction": D("10")}
    assert NATIONAL_RULES.indicator_weight_total + NATIONAL_RULES.execution_weight == D("100")


@pytest.mark.django_db
def test_year_score_of_the_unweighted_reference(demo_year):
    from indicators.selectors import year_score

    result = year_score(demo_year)
    # The reference publishes no weights: no total yet, but the execution score is known.
    assert result.total is None
    assert result.weights_missing == 19
    assert result.execution_rate == D("100.00")
    assert result.execution_score == D("10.00")
