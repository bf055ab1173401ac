"""The scoring engine (财预〔2020〕10号, unit self-evaluation). Pure functions: no database.

Everything that turns targets, actuals and weights into scores, totals and grades lives here;
the scoring page, the report and the Excel table all call it. The rule set is data
(``Rules``); ``NATIONAL_RULES`` are the Ministry of Finance's defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from .vocabulary import COMPARATOR_OF_DIRECTION, Band, Comparator, NoBudgetRule, ReverseFormula, Tier1, label_of

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
    # Qualitative bands as % of the weight, half-open as the rule writes them — "100–80%（含）、
    # 80–60%（含）、60–0%": the lower bound belongs to the band, the upper bound to the band above
    # (only the top band, ending at 100, includes its upper bound).
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
    # Points deducted from such an indicator ("指标偏离"); None: only flagged.
    overachievement_deduction: Decimal | None = None
    # The execution-rate ladder: (execution rate below %, total at most), any number of steps;
    # the lowest cap whose rate applies wins. None nationally; e.g. a province's
    # ((80, 89), (70, 79), (60, 69), (50, 59)).
    execution_caps: tuple[tuple[Decimal, Decimal], ...] = ()
    # A full-year budget stated and zero (0/0): how the execution rate is scored.
    no_budget: str = NoBudgetRule.NOT_APPLICABLE
    # Where these rules come from ("单位指定" …) and why a unit-year has its own tier-1 weights.
    origin: str = ""
    weights_note: str = ""

    @property
    def indicator_weight_total(self) -> Decimal:
        return sum(self.tier1_weights.values(), ZERO)

    def to_data(self) -> dict:
        """JSON-safe data (Decimals as strings), kept with a year so later edits do not rescore it."""
        return {
            "name": self.name,
            "tier1_weights": {k: str(v) for k, v in self.tier1_weights.items()},
            "execution_weight": str(self.execution_weight),
            "grade_bands": [[str(low), label] for low, label in self.grade_bands],
            "qualitative_bands": {k: [str(lo), str(hi)] for k, (lo, hi) in self.qualitative_bands.items()},
            "reverse_formula": self.reverse_formula,
            "overachievement_percent": str(self.overachievement_percent),
            "overachievement_deduction": (
                None if self.overachievement_deduction is None else str(self.overachievement_deduction)
            ),
            "execution_caps": [[str(b), str(c)] for b, c in self.execution_caps],
            "no_budget": self.no_budget,
            "origin": self.origin,
            "weights_note": self.weights_note,
        }

    @classmethod
    def from_data(cls, data: dict) -> Rules:
        """The inverse of ``to_data``. Snapshots taken before a key existed get its default."""
        deduction = data.get("overachievement_deduction")
        return cls(
            name=data["name"],
            tier1_weights={k: Decimal(v) for k, v in data["tier1_weights"].items()},
            execution_weight=Decimal(data["execution_weight"]),
            grade_bands=tuple((Decimal(low), label) for low, label in data["grade_bands"]),
            qualitative_bands={k: (Decimal(lo), Decimal(hi)) for k, (lo, hi) in data["qualitative_bands"].items()},
            reverse_formula=data["reverse_formula"],
            overachievement_percent=Decimal(data["overachievement_percent"]),
            overachievement_deduction=None if deduction is None or deduction == "" else Decimal(deduction),
            execution_caps=tuple((Decimal(b), Decimal(c)) for b, c in data.get("execution_caps", ())),
            no_budget=data.get("no_budget", NoBudgetRule.NOT_APPLICABLE),
            origin=data.get("origin", ""),
            weights_note=data.get("weights_note", ""),
        )


NATIONAL_RULES = Rules()


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _clamp(value: Decimal, weight: Decimal) -> Decimal:
    return q(min(max(value, ZERO), weight))


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def effective_comparator(comparator: str, direction: str = "") -> str:
    """The comparator a target is scored with: its own, else the one its direction stands for
    (a bare "3%" confirmed as a ceiling is ≤3%), else "=" — the literal reading."""
    return comparator or COMPARATOR_OF_DIRECTION.get(direction, Comparator.EQ)


@dataclass(frozen=True)
class QuantResult:
    score: Decimal
    met: bool
    over_achieved: bool = False
    deduction: Decimal = ZERO  # points taken off by the over-achievement rule
    note: str = ""  # why, as shown to the group ("指标偏离：…扣 2 分")


def score_quantitative(
    *,
    comparator: str,
    target: Decimal,
    actual: Decimal,
    weight: Decimal,
    rules: Rules = NATIONAL_RULES,
    direction: str = "",
) -> QuantResult:
    """Score a quantitative indicator. ``comparator`` is ge/gt/eq/lt/le; a target written
    without one ('') is scored by its ``direction`` (floor/ceiling/exact), else as "="."""
    if actual < 0 or target < 0:
        raise ScoringError("指标值和实际完成值不能为负数。")
    comparator = effective_comparator(comparator, direction)
    if comparator in ("ge", "gt"):
        met = actual >= target if comparator == "ge" else actual > target
        if met:
            # A zero target has no ratio: nothing can exceed it "by 30 %".
            over = target > 0 and actual * HUNDRED / target >= rules.overachievement_percent
            if over and rules.overachievement_deduction is not None:
                deduction = q(min(rules.overachievement_deduction, weight))
                note = (
                    f"指标偏离：实际完成值达到指标值的 {_plain(rules.overachievement_percent)}% 以上，"
                    f"按评分规则扣 {_plain(deduction)} 分。"
                )
                return QuantResult(q(weight - deduction), True, True, deduction, note)
            return QuantResult(score=q(weight), met=True, over_achieved=over)
        if target == 0:  # only "＞0" with actual 0 gets here
            return QuantResult(score=q(ZERO), met=False)
        return QuantResult(score=_clamp(actual / target * weight, weight), met=False)
    if comparator in ("le", "lt"):
        met = actual <= target if comparator == "le" else actual < target
        if met:
            return QuantResult(score=q(weight), met=True)
        if target == 0:  # any spending/error above a zero ceiling scores nothing ("＜0" is never met)
            return QuantResult(score=q(ZERO), met=False)
        if rules.reverse_formula == ReverseFormula.LINEAR:
            return QuantResult(score=_clamp(weight * (2 - actual / target), weight), met=False)
        return QuantResult(score=_clamp(target / actual * weight, weight), met=False)
    if comparator == "eq":
        if actual == target:
            return QuantResult(score=q(weight), met=True)
        if target == 0:
            return QuantResult(score=q(ZERO), met=False)
        return QuantResult(score=_clamp(weight * (1 - abs(actual - target) / target), weight), met=False)
    raise ScoringError(f"未知的比较符：{comparator}")


@dataclass(frozen=True)
class BandRange:
    """The scores a qualitative band allows: ``low`` ≤ score ≤ ``high`` when ``includes_high``
    (the top band), else ``low`` ≤ score ＜ ``high``."""

    low: Decimal
    high: Decimal
    includes_high: bool

    def allows(self, score: Decimal) -> bool:
        return self.low <= score and (score <= self.high if self.includes_high else score < self.high)

    @property
    def text(self) -> str:
        if self.includes_high:
            return f"{self.low} 至 {self.high} 分"
        return f"{self.low} 分（含）至 {self.high} 分（不含）"


def qualitative_range(*, band: str, weight: Decimal, rules: Rules = NATIONAL_RULES) -> BandRange:
    try:
        low, high = rules.qualitative_bands[band]
    except KeyError as exc:
        raise ScoringError("请选择定性指标的评价档次。") from exc
    return BandRange(q(weight * low / HUNDRED), q(weight * high / HUNDRED), high >= HUNDRED)


def check_qualitative(*, band: str, score: Decimal, weight: Decimal, rules: Rules = NATIONAL_RULES) -> Decimal:
    """Return the score if it lies inside the band, else refuse it."""
    allowed = qualitative_range(band=band, weight=weight, rules=rules)
    if not allowed.allows(q(score)):
        raise ScoringError(
            f"“{label_of(Band, band)}”档的得分须在 {allowed.text}之间（分值 {q(weight)}），{q(score)} 分超出范围。"
        )
    return q(score)


def execution_score(*, rate: Decimal | None, rules: Rules = NATIONAL_RULES, no_budget: bool = False) -> Decimal | None:
    """预算执行率得分 = 执行权重 × min(执行率, 100%).

    ``rate`` is the execution rate in % as ``budgets.figures`` computes it (全年执行数 ÷ 全年预算数,
    two decimals) — the engine never computes it a second time. ``no_budget``: the full-year
    budget is stated and zero (0/0, "无预算"), scored as ``rules.no_budget`` says (None when the
    execution rate does not apply). Otherwise ``None`` (not stated) scores nothing: the year is
    incomplete."""
    if no_budget:
        if rules.no_budget == NoBudgetRule.FULL:
            return q(rules.execution_weight)
        if rules.no_budget == NoBudgetRule.ZERO:
            return q(ZERO)
        return None
    if rate is None:
        return None
    return q(rules.execution_weight * min(rate, HUNDRED) / HUNDRED)


def execution_cap(rate: Decimal | None, rules: Rules = NATIONAL_RULES) -> Decimal | None:
    """The highest total the ladder allows at this execution rate (None: no cap applies)."""
    if rate is None:
        return None
    caps = [cap for below, cap in rules.execution_caps if rate < below]
    return min(caps) if caps else None


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
    applicable_weight: Decimal  # sum of applicable weights + execution weight (when it applies)
    scored: int
    unscored: int
    weights_missing: int = 0
    capped: bool = False
    cap: Decimal | None = None  # the ladder's cap at this execution rate, whether or not it bit
    no_budget: bool = False  # full-year budget stated and zero (0/0)
    execution_applicable: bool = True

    @property
    def complete(self) -> bool:
        execution_known = self.execution_score is not None or not self.execution_applicable
        return self.unscored == 0 and self.weights_missing == 0 and execution_known

    @property
    def execution_rate_display(self) -> str:
        """ "无预算" for 0/0, else the rate ("97.50%") or "—"."""
        if self.no_budget:
            return "无预算"
        return "—" if self.execution_rate is None else f"{self.execution_rate}%"


def score_total(
    *,
    indicators: Iterable[IndicatorScore],
    execution_rate: Decimal | None,
    rules: Rules = NATIONAL_RULES,
    no_budget: bool = False,
) -> YearScore:
    """Total and grade. Not-applicable indicators are dropped and the rest rescaled to 100.
    ``execution_rate`` (%) comes from ``budgets.figures`` (``YearFigures.execution_rate``);
    ``no_budget`` says the full-year budget is stated and zero — then the rate is None and the
    rules decide (by default the execution score does not apply and the weights are rescaled).
    The execution-rate ladder then caps the total."""
    rows: Sequence[IndicatorScore] = [i for i in indicators if not i.not_applicable]
    exec_applicable = not (no_budget and rules.no_budget == NoBudgetRule.NOT_APPLICABLE)
    exec_points = execution_score(rate=execution_rate, rules=rules, no_budget=no_budget)
    rate = None if no_budget else execution_rate
    points = sum((r.score for r in rows if r.score is not None), ZERO)
    applicable = sum((r.weight for r in rows if r.weight is not None), ZERO)
    if exec_applicable:
        applicable += rules.execution_weight
    weights_missing = sum(1 for r in rows if r.weight is None)
    scored = sum(1 for r in rows if r.score is not None)
    unscored = len(rows) - scored
    total = None
    if rows and weights_missing == 0 and applicable > 0:
        total = q((points + (exec_points or ZERO)) * HUNDRED / applicable)
    cap = execution_cap(rate, rules)
    capped = False
    if total is not None and cap is not None and total > cap:
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
        cap=cap,
        no_budget=no_budget,
        execution_applicable=exec_applicable,
    )
    if result.complete and total is not None:
        return replace(result, grade=grade(total, rules))
    return result


def _pct(value: Decimal) -> str:
    return f"{_plain(value)}%"


def rules_description(rules: Rules) -> list[tuple[str, str]]:
    """The rules as short lines (heading, text) — the scoring page's rules box says them."""
    weights = "、".join(f"{label_of(Tier1, k)} {_plain(v)}" for k, v in rules.tier1_weights.items())
    lines = [
        ("评分规则", rules.name + (f"（{rules.origin}）" if rules.origin else "")),
        ("权重", f"{weights}、预算执行率 {_plain(rules.execution_weight)}"),
    ]
    if rules.weights_note:
        lines.append(("权重调整", rules.weights_note))
    reverse = (
        "指标值 ÷ 实际值 × 分值" if rules.reverse_formula == ReverseFormula.RATIO else "线性递减，两倍于指标值时为 0"
    )
    lines.append(
        (
            "定量指标",
            f"达到指标值得满分；未达到时 ≥ / ＞ 按 实际值 ÷ 指标值 × 分值，≤ / ＜ 按 {reverse}，= 按接近程度。"
            "未写比较符的指标值按确认的理解方向评分（未确认按“=”）。",
        )
    )
    bands = []
    for band, (low, high) in rules.qualitative_bands.items():
        upper = f"{_pct(high)}" if high >= HUNDRED else f"{_pct(high)}（不含）"
        bands.append(f"{label_of(Band, band)} {_pct(low)}（含）–{upper}")
    lines.append(("定性指标", "；".join(bands) + "，按分值计。"))
    over = f"实际值达到指标值的 {_pct(rules.overachievement_percent)} 以上（≥ / ＞ 指标）须说明原因"
    if rules.overachievement_deduction is not None:
        over += f"，并扣 {_plain(rules.overachievement_deduction)} 分（指标偏离）"
    else:
        over += "，只提示、不扣分"
    lines.append(("超额完成", over + "。"))
    if rules.execution_caps:
        steps = "；".join(f"低于 {_pct(b)} 总分最高 {_plain(c)} 分" for b, c in rules.execution_caps)
        lines.append(("执行率封顶", f"预算执行率{steps}（同时低于几级时取最低上限）。"))
    lines.append(("无预算", label_of(NoBudgetRule, rules.no_budget) + "（全年预算数为 0 时）。"))
    grades = "、".join(f"{label} ≥ {_plain(low)}" for low, label in rules.grade_bands if low > 0)
    lines.append(("等级", f"{grades}，其余为“{rules.grade_bands[-1][1]}”。"))
    return lines
