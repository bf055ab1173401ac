"""The scoring engine (财预〔2020〕10号, unit self-evaluation). Pure functions: no database.

Everything that turns targets, actuals and weights into scores, totals and grades lives here;
the scoring page, the report and the Excel table all call it. The rule set is data
(``Rules``); ``NATIONAL_RULES`` are the Ministry of Finance's defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from .vocabulary import Band, ReverseFormula, label_of

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


class ScoringError(ValueError):
    """A score that the rules do not allow; the message is shown to the user."""


@dataclass(frozen=True)
class Rules:
    name: str = "全国通用规则（财预〔2020〕10号）"
    tier1_weights: dict[str, Decimal] = field(
        default_factory=lambda: {"output": Decimal("50"), "benefit": Decimal("30"), "satisfaction": Decimal("10")}
    )
    execution_weight: Decimal = Decimal("10")
    # (lower bound inclusive, grade), highest first.
    grade_bands: tuple[tuple[Decimal, str], ...] = (
        (Decimal("90"), "优"),
        (Decimal("80"), "良"),
        (Decimal("60"), "中"),
        (Decimal("0"), "差"),
    )
    # Qualitative bands as % of the weight, inclusive.
    qualitative_bands: dict[str, tuple[Decimal, Decimal]] = field(
        default_factory=lambda: {
            Band.ACHIEVED: (Decimal("80"), Decimal("100")),
            Band.PARTIAL: (Decimal("60"), Decimal("80")),
            Band.NOT_ACHIEVED: (Decimal("0"), Decimal("60")),
        }
    )
    reverse_formula: str = ReverseFormula.RATIO
    # actual ÷ target at or above this % on a ≥ / ＞ target: the target was set too low.
    overachievement_percent: Decimal = Decimal("130")
    # (execution rate below %, total at most), e.g. ((60, 69),) in some provinces; none nationally.
    execution_caps: tuple[tuple[Decimal, Decimal], ...] = ()

    @property
    def indicator_weight_total(self) -> Decimal:
        return sum(self.tier1_weights.values(), ZERO)


NATIONAL_RULES = Rules()


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _clamp(value: Decimal, weight: Decimal) -> Decimal:
    return q(min(max(value, ZERO), weight))


@dataclass(frozen=True)
class QuantResult:
    score: Decimal
    met: bool
    over_achieved: bool = False


def score_quantitative(
    *, comparator: str, target: Decimal, actual: Decimal, weight: Decimal, rules: Rules = NATIONAL_RULES
) -> QuantResult:
    """Score a quantitative indicator. ``comparator`` is ge/gt/eq/lt/le ('' means =)."""
    if actual < 0 or target < 0:
        raise ScoringError("指标值和实际完成值不能为负数。")
    if comparator in ("ge", "gt"):
        met = actual >= target if comparator == "ge" else actual > target
        if met:
            over = target > 0 and actual * HUNDRED / target >= rules.overachievement_percent
            return QuantResult(score=q(weight), met=True, over_achieved=over)
        if target == 0:  # only "＞0" with actual 0 gets here
            return QuantResult(score=q(ZERO), met=False)
        return QuantResult(score=_clamp(actual / target * weight, weight), met=False)
    if comparator in ("le", "lt"):
        met = actual <= target if comparator == "le" else actual < target
        if met:
            return QuantResult(score=q(weight), met=True)
        if target == 0:  # any spending/error above a zero ceiling scores nothing
            return QuantResult(score=q(ZERO), met=False)
        if rules.reverse_formula == ReverseFormula.LINEAR:
            return QuantResult(score=_clamp(weight * (2 - actual / target), weight), met=False)
        return QuantResult(score=_clamp(target / actual * weight, weight), met=False)
    if comparator in ("eq", ""):
        if actual == target:
            return QuantResult(score=q(weight), met=True)
        if target == 0:
            return QuantResult(score=q(ZERO), met=False)
        return QuantResult(score=_clamp(weight * (1 - abs(actual - target) / target), weight), met=False)
    raise ScoringError(f"未知的比较符：{comparator}")


def qualitative_range(*, band: str, weight: Decimal, rules: Rules = NATIONAL_RULES) -> tuple[Decimal, Decimal]:
    try:
        low, high = rules.qualitative_bands[band]
    except KeyError as exc:
        raise ScoringError("请选择定性指标的评价档次。") from exc
    return q(weight * low / HUNDRED), q(weight * high / HUNDRED)


def check_qualitative(*, band: str, score: Decimal, weight: Decimal, rules: Rules = NATIONAL_RULES) -> Decimal:
    """Return the score if it lies inside the band, else refuse it."""
    low, high = qualitative_range(band=band, weight=weight, rules=rules)
    if not low <= score <= high:
        raise ScoringError(
            f"“{label_of(Band, band)}”档的得分须在 {low} 至 {high} 分之间（分值 {q(weight)}），{q(score)} 分超出范围。"
        )
    return q(score)


def execution_score(*, rate: Decimal | None, rules: Rules = NATIONAL_RULES) -> Decimal | None:
    """预算执行率得分 = 执行权重 × min(执行率, 100%).

    ``rate`` is the execution rate in % as ``budgets.figures`` computes it (全年执行数 ÷ 全年预算数,
    two decimals) — the engine never computes it a second time. ``None`` (not stated, or no
    budget) scores nothing: the year is incomplete."""
    if rate is None:
        return None
    return q(rules.execution_weight * min(rate, HUNDRED) / HUNDRED)


def grade(total: Decimal, rules: Rules = NATIONAL_RULES) -> str:
    for lower, label in rules.grade_bands:
        if total >= lower:
            return label
    return rules.grade_bands[-1][1]


@dataclass(frozen=True)
class IndicatorScore:
    """What the engine needs of one indicator for the total."""

    weight: Decimal | None
    score: Decimal | None
    not_applicable: bool = False


@dataclass(frozen=True)
class YearScore:
    """The year's result. ``total`` is a running total while scoring is under way (unscored
    indicators count 0); ``grade`` is given only once every applicable indicator is scored."""

    total: Decimal | None
    grade: str
    execution_score: Decimal | None
    execution_rate: Decimal | None
    indicator_points: Decimal  # sum of the scores of applicable indicators
    applicable_weight: Decimal  # sum of applicable weights + execution weight
    scored: int
    unscored: int
    weights_missing: int = 0
    capped: bool = False

    @property
    def complete(self) -> bool:
        return self.unscored == 0 and self.weights_missing == 0 and self.execution_score is not None


def score_total(
    *,
    indicators: Iterable[IndicatorScore],
    execution_rate: Decimal | None,
    rules: Rules = NATIONAL_RULES,
) -> YearScore:
    """Total and grade. Not-applicable indicators are dropped and the rest rescaled to 100.
    ``execution_rate`` (%) comes from ``budgets.figures`` (``YearFigures.execution_rate``)."""
    rows: Sequence[IndicatorScore] = [i for i in indicators if not i.not_applicable]
    exec_points = execution_score(rate=execution_rate, rules=rules)
    rate = execution_rate
    points = sum((r.score for r in rows if r.score is not None), ZERO)
    applicable = sum((r.weight for r in rows if r.weight is not None), ZERO) + rules.execution_weight
    weights_missing = sum(1 for r in rows if r.weight is None)
    scored = sum(1 for r in rows if r.score is not None)
    unscored = len(rows) - scored
    total = None
    if rows and weights_missing == 0 and applicable > 0:
        total = q((points + (exec_points or ZERO)) * HUNDRED / applicable)
    capped = False
    if total is not None and rate is not None:
        for below, cap in rules.execution_caps:
            if rate < below and total > cap:
                total, capped = q(cap), True
    result = YearScore(
        total=total,
        grade="",
        execution_score=exec_points,
        execution_rate=rate,
        indicator_points=q(points),
        applicable_weight=q(applicable),
        scored=scored,
        unscored=unscored,
        weights_missing=weights_missing,
        capped=capped,
    )
    if result.complete and total is not None:
        return replace(result, grade=grade(total, rules))
    return result
