"""The indicator system's vocabulary, defined once (docs/domain.md §3–§4).

The models, the target parser, the pure scoring engine, the quality checks, the forms and the
report all use these choices; nothing else spells a tier, a comparator or a band. Plain
``TextChoices`` (no database), so the pure engine can use them too.
"""

from __future__ import annotations

from django.db import models


class FundCategory(models.TextChoices):
    """经费类别: which money an indicator of the department's table measures."""

    BASIC = "basic", "基本经费"
    PROJECT = "project", "项目经费"


class Tier1(models.TextChoices):
    OUTPUT = "output", "产出指标"
    BENEFIT = "benefit", "效益指标"
    SATISFACTION = "satisfaction", "满意度指标"
    # 财预〔2013〕53号 department-wide framework
    INPUT = "input", "投入指标"
    PROCESS = "process", "过程指标"
    EFFECT = "effect", "效果指标"


class Tier2(models.TextChoices):
    QUANTITY = "quantity", "数量指标"
    QUALITY = "quality", "质量指标"
    TIMELINESS = "timeliness", "时效指标"
    COST = "cost", "成本指标"
    ECONOMIC = "economic", "经济效益指标"
    SOCIAL = "social", "社会效益指标"
    ECOLOGICAL = "ecological", "生态效益指标"
    ENVIRONMENTAL = "environmental", "环境效益指标"
    SUSTAINABLE = "sustainable", "可持续影响指标"
    SERVICE_SATISFACTION = "service_satisfaction", "服务对象满意度指标"
    # 财预〔2013〕53号
    GOAL_SETTING = "goal_setting", "目标设定"
    BUDGET_ALLOCATION = "budget_allocation", "预算配置"
    BUDGET_EXECUTION = "budget_execution", "预算执行"
    BUDGET_MANAGEMENT = "budget_management", "预算管理"
    ASSET_MANAGEMENT = "asset_management", "资产管理"
    DUTY_PERFORMANCE = "duty_performance", "职责履行"
    DUTY_BENEFIT = "duty_benefit", "履职效益"


# The fixed tier-1 → tier-2 list (环境效益 is the older name of 生态效益).
TIER2_BY_TIER1: dict[str, tuple[str, ...]] = {
    Tier1.OUTPUT: (Tier2.QUANTITY, Tier2.QUALITY, Tier2.TIMELINESS, Tier2.COST, Tier2.DUTY_PERFORMANCE),
    Tier1.BENEFIT: (Tier2.ECONOMIC, Tier2.SOCIAL, Tier2.ECOLOGICAL, Tier2.ENVIRONMENTAL, Tier2.SUSTAINABLE),
    Tier1.SATISFACTION: (Tier2.SERVICE_SATISFACTION,),
    # 财预〔2013〕53号: 投入 / 过程 / 产出 (职责履行) / 效果 (履职效益).
    Tier1.INPUT: (Tier2.GOAL_SETTING, Tier2.BUDGET_ALLOCATION),
    Tier1.PROCESS: (Tier2.BUDGET_EXECUTION, Tier2.BUDGET_MANAGEMENT, Tier2.ASSET_MANAGEMENT),
    Tier1.EFFECT: (Tier2.DUTY_BENEFIT,),
}


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """The label of ``value`` in ``choices``, or the value itself when it is not one of them."""
    try:
        return choices(value).label
    except ValueError:
        return value


def tier2_mismatch(tier1: str, tier2: str) -> str | None:
    """The message when ``tier2`` does not belong under ``tier1`` (None when it does, or when
    either is not chosen yet). The one tier check of the model, the library and the editor."""
    if not tier1 or not tier2 or tier2 in TIER2_BY_TIER1.get(tier1, ()):
        return None
    return f"“{label_of(Tier2, tier2)}”不属于一级指标“{label_of(Tier1, tier1)}”。"


class TargetKind(models.TextChoices):
    QUANTITATIVE = "quantitative", "定量"
    QUALITATIVE = "qualitative", "定性"
    DEADLINE = "deadline", "时限"


class Comparator(models.TextChoices):
    GE = "ge", "≥"
    GT = "gt", "＞"
    EQ = "eq", "="
    LT = "lt", "＜"
    LE = "le", "≤"


class Band(models.TextChoices):
    """Qualitative bands (定性指标档次) of 财预〔2020〕10号."""

    ACHIEVED = "achieved", "达成年度指标"
    PARTIAL = "partial", "部分达成并具有一定效果"
    NOT_ACHIEVED = "not_achieved", "未达成且效果较差"


class ReverseFormula(models.TextChoices):
    """How a missed ≤ / ＜ target (costs, error rates) is scored."""

    RATIO = "ratio", "指标值 ÷ 实际值 × 分值"
    LINEAR = "linear", "线性递减，实际值达到指标值两倍时为 0 分"


class Direction(models.TextChoices):
    """Which way a quantitative target points when it is written without a comparator ("3%",
    "100%", "2200篇"): the comparator a reviewer reads into it."""

    FLOOR = "floor", "下限（≥，越高越好）"
    CEILING = "ceiling", "上限（≤，越低越好）"
    EXACT = "exact", "等于（=，须恰好达到）"


# The comparator a direction stands for, and the short reading shown next to a bare target.
COMPARATOR_OF_DIRECTION: dict[str, str] = {
    Direction.FLOOR: Comparator.GE,
    Direction.CEILING: Comparator.LE,
    Direction.EXACT: Comparator.EQ,
}
DIRECTION_READING: dict[str, str] = {
    Direction.FLOOR: "按下限理解",
    Direction.CEILING: "按上限理解",
    Direction.EXACT: "按等于理解",
}


def direction_of_comparator(comparator: str) -> str:
    """ge/gt → floor, le/lt → ceiling, eq → exact, '' → ''."""
    directions: dict[str, str] = {
        Comparator.GE: Direction.FLOOR,
        Comparator.GT: Direction.FLOOR,
        Comparator.LE: Direction.CEILING,
        Comparator.LT: Direction.CEILING,
        Comparator.EQ: Direction.EXACT,
    }
    return directions.get(comparator, "")


class NoBudgetRule(models.TextChoices):
    """How the execution rate is scored when the full-year budget is stated and zero (0/0)."""

    NOT_APPLICABLE = "not_applicable", "预算执行率不适用，其余分值折算为 100 分"
    FULL = "full", "预算执行率得满分"
    ZERO = "zero", "预算执行率得 0 分"
