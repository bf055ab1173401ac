"""Indicator quality checks (docs/domain.md §5): what reviewers would send a table back for.

Pure functions over indicators (model instances or anything with the same attributes) and the
rule set; no database. Each finding names the indicator (or tier) and the fix.

Severity: ``error`` findings make scoring impossible (weights missing or not adding up) and
block 送审; ``warning`` findings are shown while editing and before submitting, and the officer
must acknowledge them to submit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from .directions import propose_direction
from .models import Comparator, TargetKind, Tier1, Tier2
from .scoring import Rules, effective_comparator
from .vocabulary import DIRECTION_READING, Direction, label_of

ERROR = "error"
WARNING = "warning"

# Tier 2s whose targets are expected to be a number with a unit (docs/domain.md §3).
QUANTITATIVE_TIER2 = {Tier2.QUANTITY, Tier2.QUALITY, Tier2.COST, Tier2.SERVICE_SATISFACTION}
# Reasons reviewers give for an indicator table (docs/domain.md §5); each finding names one, and
# the flow offers them when sending a year back (``flow.reasons``).
REASON_INCOMPLETE = "指标不够完整"
REASON_NOT_QUANTIFIED = "指标不够细化、量化"
REASON_NOT_RELEVANT = "指标与项目的相关性不够"
REASON_MISMATCH = "指标与指标值不匹配"
REASON_SPLIT = "建议拆分指标"
REASON_WRONG_TIER = "一级/二级指标类型错误"
REASON_MISSING_TIER1 = "缺少产出/效益/满意度指标"
INDICATOR_REASONS = (
    REASON_INCOMPLETE,
    REASON_NOT_QUANTIFIED,
    REASON_NOT_RELEVANT,
    REASON_MISMATCH,
    REASON_SPLIT,
    REASON_WRONG_TIER,
    REASON_MISSING_TIER1,
)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    subject: str  # the indicator's name, or the tier concerned
    problem: str
    fix: str
    reason: str  # the matching send-back reason of docs/domain.md §5
    indicator_id: int | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR


class CheckedIndicator(Protocol):
    """What the checks read of an indicator (an ``Indicator``, or a stand-in in tests). The
    optional ``direction``, ``direction_proposed`` and ``pk`` are read with ``getattr``."""

    @property
    def name(self) -> str: ...
    @property
    def tier1(self) -> str: ...
    @property
    def tier2(self) -> str: ...
    @property
    def target_kind(self) -> str: ...
    @property
    def comparator(self) -> str: ...
    @property
    def target_value(self) -> Decimal | None: ...
    @property
    def target_unit(self) -> str: ...
    @property
    def target_text(self) -> str: ...
    @property
    def target_display(self) -> str: ...
    @property
    def deadline(self) -> date | None: ...
    @property
    def grading_standard(self) -> str: ...
    @property
    def weight(self) -> Decimal | None: ...
    @property
    def not_applicable(self) -> bool: ...


def check_indicators(indicators: Iterable[CheckedIndicator], *, rules: Rules, year: int | None = None) -> list[Finding]:
    rows = list(indicators)
    findings: list[Finding] = []
    if not rows:
        return [
            Finding(
                "no_indicators",
                ERROR,
                "绩效指标表",
                "尚未设置任何绩效指标。",
                "从指标库选取或新增产出、效益、满意度指标。",
                REASON_INCOMPLETE,
            )
        ]

    # Every bare target first: until its direction is confirmed it is scored as "=".
    for ind in rows:
        findings.extend(_check_bare(ind))
    for ind in rows:
        findings.extend(_check_one(ind, year=year))

    # A tier 1 of the rule set with no indicators.
    present = {ind.tier1 for ind in rows}
    for tier1 in rules.tier1_weights:
        if tier1 not in present:
            name = label_of(Tier1, tier1)
            findings.append(
                Finding(
                    "missing_tier1",
                    WARNING,
                    name,
                    f"没有“{name}”类的指标。",
                    f"至少设置一个“{name}”下的三级指标，或在评分规则中调整权重。",
                    REASON_MISSING_TIER1,
                )
            )

    findings.extend(_check_weights(rows, rules=rules))
    return findings


def _check_bare(ind: CheckedIndicator) -> list[Finding]:
    """A quantitative target without a comparator whose direction nobody has confirmed."""
    if ind.target_kind != TargetKind.QUANTITATIVE or ind.comparator or getattr(ind, "direction", ""):
        return []
    proposed = getattr(ind, "direction_proposed", "") or (
        propose_direction(name=ind.name, tier2=ind.tier2, unit=ind.target_unit).direction
    )
    if proposed:
        symbol = Comparator(effective_comparator("", proposed)).label
        problem = (
            f"指标值“{ind.target_display}”没有比较符，系统建议{DIRECTION_READING[proposed]}"
            f"（{symbol}{ind.target_display}），尚未确认；确认前按“=”评分。"
        )
    else:
        problem = f"指标值“{ind.target_display}”没有比较符，无法从指标含义判断方向；确认前按“=”评分。"
    return [
        Finding(
            "bare_target" if proposed else "bare_target_unknown",
            WARNING,
            ind.name,
            problem,
            f"在“理解方向”中确认或改为{Direction.FLOOR.label}、{Direction.CEILING.label}或{Direction.EXACT.label}；"
            "也可直接写成“≤3%”“≥95%”。",
            REASON_MISMATCH,
            getattr(ind, "pk", None),
        )
    ]


def _check_one(ind: CheckedIndicator, *, year: int | None) -> list[Finding]:
    out: list[Finding] = []
    name = ind.name

    def add(code: str, severity: str, problem: str, fix: str, reason: str) -> None:
        out.append(Finding(code, severity, name, problem, fix, reason, getattr(ind, "pk", None)))

    if ind.target_kind == TargetKind.QUALITATIVE:
        if ind.tier2 in QUANTITATIVE_TIER2:
            add(
                "not_quantified",
                WARNING,
                f"“{label_of(Tier2, ind.tier2)}”的指标值“{ind.target_text}”没有数值和计量单位。",
                "改为“比较符 + 数值 + 单位”的形式，如“≥20次”“≥95%”。",
                REASON_NOT_QUANTIFIED,
            )
        if not (ind.grading_standard or "").strip():
            add(
                "no_grading_standard",
                WARNING,
                f"定性指标值“{ind.target_text}”没有评分标准。",
                "填写评分标准：各档次（达成 / 部分达成 / 未达成）对应的具体表现和佐证材料。",
                REASON_NOT_QUANTIFIED,
            )
    elif ind.target_kind == TargetKind.QUANTITATIVE:
        if not ind.target_unit:
            add(
                "no_unit",
                WARNING,
                "指标值只有数值，没有计量单位。",
                "补充计量单位，如“次”“个”“%”“万元”。",
                REASON_NOT_QUANTIFIED,
            )
        comparator = effective_comparator(ind.comparator, getattr(ind, "direction", ""))
        if ind.target_value == 0 and comparator == Comparator.GE:
            add(
                "trivial_target",
                WARNING,
                f"指标值“{ind.target_display}”任何实际值都能达到，无法衡量绩效。",
                "设置有实际意义的目标值（如节约率“≥5%”），或改用其他指标。",
                REASON_NOT_QUANTIFIED,
            )
        if ind.target_value == 0 and comparator == Comparator.LT:
            add(
                "impossible_target",
                WARNING,
                f"指标值“{ind.target_display}”不可能达到（实际值不能小于 0）。",
                "改为“=0”或“≤0”（如“安全事故 =0次”）。",
                REASON_MISMATCH,
            )
        if ind.tier2 == Tier2.TIMELINESS and ind.target_unit != "%":
            add(
                "timeliness_mismatch",
                WARNING,
                f"时效指标的指标值“{ind.target_display}”既不是完成时限，也不是按时完成率。",
                "填写完成时限（如“2024年12月底之前完成”）或按时完成率（如“≥95%”）。",
                REASON_MISMATCH,
            )
    elif ind.target_kind == TargetKind.DEADLINE:
        if ind.tier2 != Tier2.TIMELINESS:
            add(
                "deadline_mismatch",
                WARNING,
                f"“{label_of(Tier2, ind.tier2)}”的指标值是完成时限“{ind.target_text}”。",
                "时限类指标值应归入“时效指标”；或为该二级指标填写数值型指标值。",
                REASON_WRONG_TIER,
            )
        if year and ind.deadline and ind.deadline.year != year:
            add(
                "deadline_other_year",
                WARNING,
                f"完成时限 {ind.deadline:%Y年%m月%d日} 不在 {year} 年度内。",
                f"填写 {year} 年度内的完成时限。",
                REASON_MISMATCH,
            )

    if ind.tier2 == Tier2.TIMELINESS and ind.target_kind == TargetKind.QUALITATIVE:
        add(
            "timeliness_mismatch",
            WARNING,
            f"时效指标的指标值“{ind.target_text}”没有完成时限。",
            "填写完成时限（如“2024年12月底之前完成”）或按时完成率（如“≥95%”）。",
            REASON_MISMATCH,
        )
    if (
        ind.tier2 == Tier2.COST
        and ind.target_kind == TargetKind.QUANTITATIVE
        and ind.target_unit == "万元"
        and (ind.comparator or getattr(ind, "direction", ""))  # a bare one unconfirmed is flagged above
        and effective_comparator(ind.comparator, getattr(ind, "direction", "")) not in (Comparator.LE, Comparator.LT)
    ):
        add(
            "cost_direction",
            WARNING,
            f"成本指标“{ind.target_display}”不是上限（≤ 或 ＜）。",
            "成本指标的指标值应为上限，如“≤760万元”。",
            REASON_MISMATCH,
        )
    if ind.tier2 == Tier2.ENVIRONMENTAL:
        add(
            "old_tier2",
            WARNING,
            "二级指标“环境效益指标”是旧称。",
            "改为“生态效益指标”。",
            REASON_WRONG_TIER,
        )
    return out


def _check_weights(rows: Sequence[CheckedIndicator], *, rules: Rules) -> list[Finding]:
    missing = [ind for ind in rows if ind.weight is None and not ind.not_applicable]
    if missing:
        names = "、".join(ind.name for ind in missing)
        return [
            Finding(
                "weights_missing",
                ERROR,
                names,
                f"{len(missing)} 个指标未设分值：{names}。",
                "逐项填写分值，或使用“按默认权重分配”。",
                REASON_INCOMPLETE,
            )
        ]
    out: list[Finding] = []
    for tier1, expected in rules.tier1_weights.items():
        members = [ind for ind in rows if ind.tier1 == tier1]
        if not members:
            continue
        actual = sum((ind.weight or Decimal(0) for ind in members), Decimal(0))
        if actual != expected:
            name = label_of(Tier1, tier1)
            out.append(
                Finding(
                    "tier1_weight_sum",
                    ERROR,
                    name,
                    f"“{name}”下三级指标分值合计 {actual}，应为 {expected}。",
                    f"调整“{name}”下各三级指标的分值使其合计 {expected}，或使用“按默认权重分配”。",
                    REASON_INCOMPLETE,
                )
            )
    total = sum((ind.weight or Decimal(0) for ind in rows), Decimal(0))
    expected_total = rules.indicator_weight_total
    if total != expected_total:
        out.append(
            Finding(
                "weight_total",
                ERROR,
                "全部指标",
                f"全部指标分值合计 {total}，应为 {expected_total}（另 {rules.execution_weight} 分为预算执行率）。",
                f"调整分值使合计为 {expected_total}，或使用“按默认权重分配”。",
                REASON_INCOMPLETE,
            )
        )
    return out
