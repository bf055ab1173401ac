"""Performance goals (绩效目标) and the three-tier indicator table (三级指标) of a unit-year."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from departments.models import UnitYear


class GoalKind(models.TextChoices):
    LONG_TERM = "long_term", "中长期绩效目标（任务）"
    ANNUAL = "annual", "年度绩效目标"
    OVERALL = "overall", "部门绩效总目标"


class Goal(models.Model):
    unit_year = models.ForeignKey(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField("类别", max_length=16, choices=GoalKind.choices)
    order = models.PositiveSmallIntegerField("序号")
    text = models.TextField("内容")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "绩效目标"
        verbose_name_plural = "绩效目标"
        ordering = ["unit_year", "kind", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order}：{self.text[:30]}"


class IndicatorGroup(models.TextChoices):
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


# The fixed tier-1 → tier-2 list (DOMAIN.md §3; 环境效益 is the older name of 生态效益).
TIER2_BY_TIER1: dict[str, tuple[str, ...]] = {
    Tier1.OUTPUT: (Tier2.QUANTITY, Tier2.QUALITY, Tier2.TIMELINESS, Tier2.COST),
    Tier1.BENEFIT: (Tier2.ECONOMIC, Tier2.SOCIAL, Tier2.ECOLOGICAL, Tier2.ENVIRONMENTAL, Tier2.SUSTAINABLE),
    Tier1.SATISFACTION: (Tier2.SERVICE_SATISFACTION,),
    Tier1.INPUT: (Tier2.GOAL_SETTING, Tier2.BUDGET_ALLOCATION),
    Tier1.PROCESS: (Tier2.BUDGET_EXECUTION, Tier2.BUDGET_MANAGEMENT, Tier2.ASSET_MANAGEMENT),
    Tier1.EFFECT: (Tier2.DUTY_PERFORMANCE, Tier2.DUTY_BENEFIT),
}


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


def _plain_number(value: Decimal) -> str:
    """20.0000 -> "20", 0.50 -> "0.5"; never scientific notation."""
    text = format(value.normalize(), "f")
    return text


class Indicator(models.Model):
    """A tier-3 indicator with its target (stored as parts), actual value, weight and score."""

    unit_year = models.ForeignKey(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="indicators")
    group = models.CharField("经费类别", max_length=16, choices=IndicatorGroup.choices)
    order = models.PositiveSmallIntegerField("序号", default=0)
    tier1 = models.CharField("一级指标", max_length=16, choices=Tier1.choices)
    tier2 = models.CharField("二级指标", max_length=24, choices=Tier2.choices)
    name = models.CharField("三级指标", max_length=200)

    target_kind = models.CharField("指标值类型", max_length=16, choices=TargetKind.choices)
    comparator = models.CharField("比较符", max_length=2, choices=Comparator.choices, blank=True)
    target_value = models.DecimalField("指标值（数值）", max_digits=16, decimal_places=4, null=True, blank=True)
    target_unit = models.CharField("计量单位", max_length=20, blank=True)
    target_text = models.CharField(
        "指标值（文字）", max_length=200, blank=True, help_text="定性或时限指标的表述，如“有效促进”。"
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    grading_standard = models.TextField("评分标准", blank=True)

    actual_value = models.DecimalField("实际完成值（数值）", max_digits=16, decimal_places=4, null=True, blank=True)
    actual_text = models.CharField("实际完成值", max_length=200, blank=True)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField("不适用", default=False)
    deviation_reason = models.TextField("偏差原因分析及改进措施", blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["unit_year", "group", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | (Q(weight__gte=0) & Q(weight__lte=100)),
                name="indicator_weight_range",
                violation_error_message="分值须在 0 至 100 之间。",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0),
                name="indicator_score_non_negative",
                violation_error_message="得分不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(weight__isnull=True) | Q(score__lte=F("weight")),
                name="indicator_score_within_weight",
                violation_error_message="得分不能超过分值。",
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="quantitative") | Q(target_value__isnull=False),
                name="indicator_quantitative_has_value",
                violation_error_message="定量指标须填写指标值数值。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.target_display}）"

    def clean(self) -> None:
        allowed = TIER2_BY_TIER1.get(self.tier1, ())
        if self.tier2 and self.tier2 not in allowed:
            raise ValidationError(
                {"tier2": f"“{self.get_tier2_display()}”不属于一级指标“{self.get_tier1_display()}”。"}
            )

    @property
    def target_display(self) -> str:
        """The target as people write it: "≥20次", "=17个", "100%", "有效促进"."""
        if self.target_kind == TargetKind.QUANTITATIVE and self.target_value is not None:
            symbol = Comparator(self.comparator).label if self.comparator else ""
            return f"{symbol}{_plain_number(self.target_value)}{self.target_unit}"
        return self.target_text

    @property
    def actual_display(self) -> str:
        if self.actual_text:
            return self.actual_text
        if self.actual_value is not None:
            return f"{_plain_number(self.actual_value)}{self.target_unit}"
        return ""
