"""Table-driven tests of the scoring engine (DOMAIN.md §4)."""

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
    score_quantitative,
    score_total,
)


@pytest.mark.parametrize(
    "comparator,target,actual,weight,score,met,over",
    [
        ("ge", "20", "20", "5", "5.00", True, False),  # a ≥ target met exactly scores full
        ("ge", "20", "25", "5", "5.00", True, False),
        ("ge", "20", "26", "5", "5.00", True, True),  # 130 %: target set too low
        ("ge", "20", "10", "5", "2.50", False, False),  # proportional
        ("gt", "5", "5", "4", "4.00", False, False),  # ＞ not met, but proportional gives full
        ("ge", "0", "0", "3", "3.00", True, False),  # zero target met by zero
        ("gt", "0", "0", "3", "0.00", False, False),
        ("le", "90", "89.97", "10", "10.00", True, False),  # ≤90万元 with 89.97 spent: full
        ("le", "760", "800", "5", "4.75", False, False),  # target ÷ actual × weight
        ("le", "1", "0", "5", "5.00", True, False),  # zero errors
        ("le", "0", "2", "5", "0.00", False, False),  # zero ceiling exceeded
        ("lt", "1", "1", "5", "5.00", False, False),
        ("eq", "17", "17", "4", "4.00", True, False),
        ("eq", "17", "16", "4", "3.76", False, False),
        ("eq", "0", "1", "4", "0.00", False, False),
        ("", "100", "98", "5", "4.90", False, False),  # "100%" has no comparator: equality
        ("eq", "10", "25", "4", "0.00", False, False),  # far off: floor at 0
    ],
)
def test_quantitative(comparator, target, actual, weight, score, met, over):
    result = score_quantitative(comparator=comparator, target=D(target), actual=D(actual), weight=D(weight))
    assert (result.score, result.met, result.over_achieved) == (D(score), met, over)


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


@pytest.mark.parametrize(
    "band,score,ok",
    [
        (Band.ACHIEVED, "10", True),
        (Band.ACHIEVED, "8", True),
        (Band.ACHIEVED, "7.9", False),
        (Band.PARTIAL, "8.5", False),  # 部分达成 at 85 % of the weight is refused
        (Band.PARTIAL, "7", True),
        (Band.PARTIAL, "6", True),
        (Band.NOT_ACHIEVED, "6", True),
        (Band.NOT_ACHIEVED, "6.1", False),
        (Band.NOT_ACHIEVED, "0", True),
    ],
)
def test_qualitative_bands(band, score, ok):
    if ok:
        assert check_qualitative(band=band, score=D(score), weight=D("10")) == D(score).quantize(D("0.01"))
    else:
        with pytest.raises(ScoringError) as exc:
            check_qualitative(band=band, score=D(score), weight=D("10"))
        assert "超出范围" in str(exc.value)


def test_execution_score():
    assert execution_score(rate=D("76.00")) == D("7.60")  # 76 % × 10
    assert execution_score(rate=D("120.00")) == D("10.00")  # capped at 100 %
    assert execution_score(rate=None) is None
    assert execution_score(rate=D("76.00"), rules=Rules(execution_weight=D("20"))) == D("15.20")


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
