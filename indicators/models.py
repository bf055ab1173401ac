"""Performance goals (绩效目标) and the three-tier indicator table (三级指标) of a unit-year."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from departments.models import UnitYear

from .scoring import NATIONAL_RULES, Rules
from .targets import parse_target
from .vocabulary import (
    TIER2_BY_TIER1,
    Band,
    Comparator,
    FundCategory,
    ReverseFormula,
    TargetKind,
    Tier1,
    Tier2,
    tier2_mismatch,
)

__all__ = [
    "TIER2_BY_TIER1",
    "Band",
    "Comparator",
    "FundCategory",
    "ReverseFormula",
    "TargetKind",
    "Tier1",
    "Tier2",
]


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


def _plain_number(value: Decimal) -> str:
    """20.0000 -> "20", 0.50 -> "0.5"; never scientific notation."""
    text = format(value.normalize(), "f")
    return text


class IndicatorQuerySet(models.QuerySet):
    def of_department(self) -> IndicatorQuerySet:
        """The department's own table (部门整体支出绩效指标): what its totals, quality checks,
        scores and finalisation read. Every such read goes through this scope."""
        return self.all()

    def ordered(self) -> IndicatorQuerySet:
        """The editor's and the report's order: 经费类别, then the officer's order."""
        return self.order_by("fund_category", "order", "id")


class Indicator(models.Model):
    """A tier-3 indicator with its target (stored as parts), actual value, weight and score."""

    unit_year = models.ForeignKey(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="indicators")
    fund_category = models.CharField("经费类别", max_length=16, choices=FundCategory.choices)
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
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["unit_year", "fund_category", "order", "id"]
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
        mismatch = tier2_mismatch(self.tier1, self.tier2)
        if mismatch:
            raise ValidationError({"tier2": mismatch})

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


class LibrarySource(models.TextChoices):
    COMMON = "common", "通用指标"
    FRAMEWORK_2013 = "framework_2013", "部门整体支出通用指标（财预〔2013〕53号）"
    REFERENCE = "reference", "参考案例指标"
    UNIT = "unit", "单位自建指标"


class LibraryIndicatorQuerySet(models.QuerySet):
    def for_unit(self, unit_id: int | None) -> LibraryIndicatorQuerySet:
        """Shared entries plus the unit's own."""
        own = Q(unit_id=unit_id) if unit_id else Q(pk__in=[])
        return self.filter(Q(unit__isnull=True) | own, active=True)


class LibraryIndicator(models.Model):
    """指标库: a tier-3 indicator to pick from, with a suggested target as people write it."""

    tier1 = models.CharField("一级指标", max_length=16, choices=Tier1.choices)
    tier2 = models.CharField("二级指标", max_length=24, choices=Tier2.choices)
    name = models.CharField("三级指标", max_length=200)
    target_unit = models.CharField("计量单位", max_length=20, blank=True)
    suggested_target = models.CharField("建议指标值", max_length=200, blank=True, help_text="如“≥95%”、“有效促进”。")
    grading_standard = models.TextField("评分标准", blank=True)
    explanation = models.TextField("指标解释 / 计算公式", blank=True)
    source = models.CharField("来源", max_length=16, choices=LibrarySource.choices, default=LibrarySource.COMMON)
    unit = models.ForeignKey(
        "departments.Unit",
        verbose_name="所属单位",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="library_indicators",
        help_text="留空表示所有单位可用。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()
    objects = LibraryIndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "指标库指标"
        verbose_name_plural = "指标库"
        ordering = ["tier1", "tier2", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tier1", "tier2", "name", "unit"],
                name="library_unique_entry_per_unit",
                violation_error_message="指标库中已有同名的指标。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier1_display()} / {self.get_tier2_display()} / {self.name}"

    def clean(self) -> None:
        mismatch = tier2_mismatch(self.tier1, self.tier2)
        if mismatch:
            raise ValidationError({"tier2": mismatch})
        if self.suggested_target:
            try:
                parse_target(self.suggested_target)
            except ValueError as exc:
                raise ValidationError({"suggested_target": str(exc)}) from exc


def _percent_field(label: str, default: str, **extra) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        **extra,
    )


class RuleSetQuerySet(models.QuerySet):
    def default(self) -> RuleSet | None:
        return self.filter(is_default=True).first()

    def default_or_national(self) -> RuleSet:
        """The default rule set. When an administrator has left none marked as default, the
        national rules (the model's field defaults) are made the default again."""
        rule_set = self.default()
        if rule_set is None:
            rule_set, _ = self.get_or_create(name=NATIONAL_RULES.name)
            rule_set.is_default = True
            rule_set.full_clean()
            rule_set.save()
        return rule_set


class RuleSet(models.Model):
    """The scoring rules as data (DOMAIN.md §4). Converted to ``scoring.Rules`` by ``to_rules``."""

    name = models.CharField("名称", max_length=100, unique=True)
    is_default = models.BooleanField("默认规则", default=False, help_text="新开始评价的年度使用默认规则。")
    output_weight = _percent_field("产出指标权重", "50")
    benefit_weight = _percent_field("效益指标权重", "30")
    satisfaction_weight = _percent_field("满意度指标权重", "10")
    execution_weight = _percent_field("预算执行率权重", "10")
    grade_excellent = _percent_field("“优”的最低分", "90")
    grade_good = _percent_field("“良”的最低分", "80")
    grade_fair = _percent_field("“中”的最低分", "60")
    achieved_low = _percent_field("“达成年度指标”档下限（占分值%）", "80")
    partial_low = _percent_field("“部分达成”档下限（占分值%）", "60")
    reverse_formula = models.CharField(
        "反向指标（≤ / ＜）未达成时的计分方法",
        max_length=16,
        choices=ReverseFormula.choices,
        default=ReverseFormula.RATIO,
    )
    overachievement_percent = models.DecimalField(
        "超额完成提示线（实际值 ÷ 指标值 %）",
        max_digits=6,
        decimal_places=2,
        default=Decimal("130"),
        validators=[MinValueValidator(Decimal("100"))],
    )
    cap_below_rate = models.DecimalField(
        "执行率低于（%）", max_digits=5, decimal_places=2, null=True, blank=True, help_text="留空表示不设封顶。"
    )
    cap_total = models.DecimalField("则总分最高为", max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.TextField("说明", blank=True)
    history = HistoricalRecords()
    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = "评分规则"
        verbose_name_plural = "评分规则"
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="ruleset_single_default",
                violation_error_message="只能有一套默认评分规则。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}{'（默认）' if self.is_default else ''}"

    def clean(self) -> None:
        errors = {}
        total = self.output_weight + self.benefit_weight + self.satisfaction_weight + self.execution_weight
        if total != Decimal("100"):
            errors["execution_weight"] = f"一级指标权重与预算执行率权重合计须为 100，现为 {total}。"
        if not self.grade_excellent > self.grade_good > self.grade_fair:
            errors["grade_good"] = "等级分数线须满足 优 > 良 > 中。"
        if not Decimal("100") > self.achieved_low > self.partial_low > Decimal("0"):
            errors["partial_low"] = "定性档次须满足 100 > 达成档下限 > 部分达成档下限 > 0。"
        if (self.cap_below_rate is None) != (self.cap_total is None):
            errors["cap_total"] = "执行率封顶规则须同时填写“执行率低于”和“总分最高为”。"
        if errors:
            raise ValidationError(errors)

    def to_rules(self) -> Rules:
        return rules_from_snapshot(self.snapshot())

    def snapshot(self) -> dict:
        """The rules as JSON-safe data, kept with a year so later edits do not rescore it."""
        return {
            "name": self.name,
            "tier1_weights": {
                Tier1.OUTPUT.value: str(self.output_weight),
                Tier1.BENEFIT.value: str(self.benefit_weight),
                Tier1.SATISFACTION.value: str(self.satisfaction_weight),
            },
            "execution_weight": str(self.execution_weight),
            "grade_bands": [
                [str(self.grade_excellent), "优"],
                [str(self.grade_good), "良"],
                [str(self.grade_fair), "中"],
                ["0", "差"],
            ],
            "qualitative_bands": {
                "achieved": [str(self.achieved_low), "100"],
                "partial": [str(self.partial_low), str(self.achieved_low)],
                "not_achieved": ["0", str(self.partial_low)],
            },
            "reverse_formula": self.reverse_formula,
            "overachievement_percent": str(self.overachievement_percent),
            "execution_caps": (
                [[str(self.cap_below_rate), str(self.cap_total)]] if self.cap_below_rate is not None else []
            ),
        }


def rules_from_snapshot(data: dict) -> Rules:
    return Rules(
        name=data["name"],
        tier1_weights={k: Decimal(v) for k, v in data["tier1_weights"].items()},
        execution_weight=Decimal(data["execution_weight"]),
        grade_bands=tuple((Decimal(low), label) for low, label in data["grade_bands"]),
        qualitative_bands={k: (Decimal(lo), Decimal(hi)) for k, (lo, hi) in data["qualitative_bands"].items()},
        reverse_formula=data["reverse_formula"],
        overachievement_percent=Decimal(data["overachievement_percent"]),
        execution_caps=tuple((Decimal(b), Decimal(c)) for b, c in data["execution_caps"]),
    )


class YearScoring(models.Model):
    """Which rule set scored a unit-year (a snapshot taken when evaluation starts), and the
    lead's confirmation of the group result."""

    unit_year = models.OneToOneField(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="scoring")
    rule_set = models.ForeignKey(RuleSet, verbose_name="评分规则", on_delete=models.PROTECT, related_name="+")
    rules_snapshot = models.JSONField("评分规则快照")
    started_at = models.DateTimeField("开始评价时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("小组结果确认时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度评分记录"
        verbose_name_plural = "年度评分记录"

    def __str__(self) -> str:
        return f"{self.unit_year} · {self.rules_snapshot.get('name', self.rule_set)}"

    @property
    def rules(self) -> Rules:
        return rules_from_snapshot(self.rules_snapshot)


class EvaluationGroup(models.Model):
    """绩效评价工作小组 of a unit-year, named by an administrator or the unit's leader."""

    unit_year = models.OneToOneField(
        UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="evaluation_group"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="小组成员", related_name="+")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="组长", on_delete=models.PROTECT, related_name="+")
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指定人", on_delete=models.PROTECT, related_name="+"
    )
    named_at = models.DateTimeField("指定时间", auto_now=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = "评价小组"
        verbose_name_plural = "评价小组"

    def __str__(self) -> str:
        return f"{self.unit_year} 评价小组"


class MemberScore(models.Model):
    """One group member's actual value and score for one indicator."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="member_scores"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评分人", on_delete=models.PROTECT, related_name="+"
    )
    actual_value = models.DecimalField("实际完成值（数值）", max_digits=16, decimal_places=4, null=True, blank=True)
    actual_text = models.CharField("实际完成值", max_length=200, blank=True)
    band = models.CharField("评价档次", max_length=16, choices=Band.choices, blank=True)
    proposed_score = models.DecimalField("建议得分", max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    override_reason = models.TextField("调整得分理由", blank=True)
    over_achieved = models.BooleanField("超额完成", default=False)
    deviation_reason = models.TextField("偏差原因分析及改进措施", blank=True)
    updated_at = models.DateTimeField("评分时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "成员评分"
        verbose_name_plural = "成员评分"
        ordering = ["indicator", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "member"],
                name="memberscore_one_per_member",
                violation_error_message="每位成员对每个指标只能有一个评分。",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="memberscore_non_negative", violation_error_message="得分不能为负数。"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} · {self.member} · {self.score}"
