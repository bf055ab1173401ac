"""Performance goals (绩效目标) and the three-tier indicator table (三级指标) of a unit-year."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from budgets.models import ProjectLine
from departments.models import UnitYear

from .directions import propose_direction
from .scoring import NATIONAL_RULES, Rules, effective_comparator
from .targets import parse_target
from .vocabulary import (
    DIRECTION_READING,
    TIER2_BY_TIER1,
    Band,
    Comparator,
    Direction,
    FundCategory,
    NoBudgetRule,
    ReverseFormula,
    TargetKind,
    Tier1,
    Tier2,
    direction_of_comparator,
    label_of,
    tier2_mismatch,
)

__all__ = [
    "TIER2_BY_TIER1",
    "Band",
    "Comparator",
    "Direction",
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
    achievement = models.TextField(
        "实际完成情况",
        blank=True,
        help_text="年度绩效目标的实际完成情况，填写一次，报告第四部分和自评表都引用这里。",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "绩效目标"
        verbose_name_plural = "绩效目标"
        ordering = ["unit_year", "kind", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order}：{self.text[:30]}"


def department_only(indicators) -> list[Indicator]:
    """The department's own rows of a (prefetched) list of a year's indicators."""
    return [i for i in indicators if i.project_id is None]


def _plain_number(value: Decimal) -> str:
    """20.0000 -> "20", 0.50 -> "0.5"; never scientific notation."""
    text = format(value.normalize(), "f")
    return text


class IndicatorQuerySet(models.QuerySet):
    def of_department(self) -> IndicatorQuerySet:
        """The department's own table (部门整体支出绩效指标): what its totals, quality checks,
        scores and finalisation read. Every such read goes through this scope (or
        ``department_only`` over a prefetched list)."""
        return self.filter(project__isnull=True)

    def of_project(self, project: ProjectLine | int) -> IndicatorQuerySet:
        """One project's table (项目支出绩效指标)."""
        return self.filter(project=project)

    def of_table(self, project: ProjectLine | int | None) -> IndicatorQuerySet:
        """The department's table (``None``) or a project's."""
        return self.of_department() if project is None else self.of_project(project)

    def ordered(self) -> IndicatorQuerySet:
        """The editor's and the report's order: 经费类别, then the officer's order."""
        return self.order_by("fund_category", "order", "id")


class Indicator(models.Model):
    """A tier-3 indicator with its target (stored as parts), actual value, weight and score."""

    unit_year = models.ForeignKey(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="indicators")
    # Blank: the department's own table. Set: that project's table (项目支出绩效自评), scored on
    # its own and never counted in the department's total, checks or finalisation.
    project = models.ForeignKey(
        ProjectLine,
        verbose_name="项目",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
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
    # A quantitative target written without a comparator ("3%"): the direction the app proposes
    # from the indicator's meaning, and the one the finance officer confirmed (which scores it).
    direction_proposed = models.CharField("建议理解方向", max_length=8, choices=Direction.choices, blank=True)
    direction = models.CharField(
        "理解方向（已确认）",
        max_length=8,
        choices=Direction.choices,
        blank=True,
        help_text="指标值未写比较符时，按此方向评分：下限（≥）、上限（≤）或等于（=）。",
    )
    grading_standard = models.TextField("评分标准", blank=True)

    actual_value = models.DecimalField("实际完成值（数值）", max_digits=16, decimal_places=4, null=True, blank=True)
    actual_text = models.CharField("实际完成值", max_length=200, blank=True)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField("不适用", default=False)
    deviation_reason = models.TextField("偏差原因分析及改进措施", blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    scores_reset_at = models.DateTimeField(
        "原评分清除时间",
        null=True,
        blank=True,
        editable=False,
        help_text="指标值、比较符、分值或完成时限修改后，成员原评分被清除的时间；小组在评分页看到提示。",
    )

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
        if self.project_id and self.unit_year_id and self.project.unit_year_id != self.unit_year_id:
            raise ValidationError({"project": "项目须属于本年度。"})

    @property
    def target_display(self) -> str:
        """The target as people write it: "≥20次", "=17个", "100%", "有效促进"."""
        if self.target_kind == TargetKind.QUANTITATIVE and self.target_value is not None:
            symbol = Comparator(self.comparator).label if self.comparator else ""
            return f"{symbol}{_plain_number(self.target_value)}{self.target_unit}"
        return self.target_text

    @property
    def is_bare(self) -> bool:
        """A quantitative target written without a comparator ("3%", "100%")."""
        return self.target_kind == TargetKind.QUANTITATIVE and not self.comparator

    @property
    def proposal(self) -> str:
        """The proposed direction of a bare target: the stored one (which knows the library
        entry), else what the wording says (rows loaded without the services, e.g. the demo)."""
        if not self.is_bare:
            return ""
        if self.direction_proposed:
            return self.direction_proposed
        return propose_direction(name=self.name, tier2=self.tier2, unit=self.target_unit).direction

    @property
    def reading_direction(self) -> str:
        """The direction a bare target is read in: the confirmed one, else the proposal."""
        return (self.direction or self.proposal) if self.is_bare else ""

    @property
    def scoring_comparator(self) -> str:
        """The comparator the engine scores with: the target's own, else its confirmed
        direction's, else "=" (the literal reading of a bare target nobody has confirmed)."""
        return effective_comparator(self.comparator, self.direction if self.is_bare else "")

    @property
    def target_reading(self) -> str:
        """A bare target as the app reads it: "≤3%（按上限理解）", "≤3%（按上限理解，待确认）";
        other targets as written."""
        if not self.is_bare or self.target_value is None:
            return self.target_display
        direction = self.reading_direction
        if not direction:
            return f"{self.target_display}（方向待确认）"
        symbol = Comparator(effective_comparator("", direction)).label
        pending = "" if self.direction else "，待确认"
        return (
            f"{symbol}{_plain_number(self.target_value)}{self.target_unit}（{DIRECTION_READING[direction]}{pending}）"
        )

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
    direction = models.CharField(
        "方向",
        max_length=8,
        choices=Direction.choices,
        blank=True,
        help_text="定量指标越高越好（下限）、越低越好（上限）或须恰好达到（等于）；指标值未写比较符时据此理解。",
    )
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
        # label_of, not get_tier1_display(): the latter flattens the field's choices at every call
        # (the editor's 从指标库添加 select shows every entry this way).
        return f"{label_of(Tier1, self.tier1)} / {label_of(Tier2, self.tier2)} / {self.name}"

    def clean(self) -> None:
        mismatch = tier2_mismatch(self.tier1, self.tier2)
        if mismatch:
            raise ValidationError({"tier2": mismatch})
        if self.suggested_target:
            try:
                parsed = parse_target(self.suggested_target)
            except ValueError as exc:
                raise ValidationError({"suggested_target": str(exc)}) from exc
            stated = direction_of_comparator(parsed.comparator)
            if stated and self.direction and stated != self.direction:
                raise ValidationError(
                    {
                        "direction": f"建议指标值“{self.suggested_target}”的比较符与方向"
                        f"“{Direction(self.direction).label}”不一致。"
                    }
                )


def _percent_field(label: str, default: str, **extra) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        **extra,
    )


def ladder_problems(ladder) -> list[str]:
    """What is wrong with an execution-rate ladder ([[below %, cap], …]); [] when it is sound."""
    if not isinstance(ladder, list):
        return ["执行率封顶阶梯须为列表，每级为［执行率低于（%），总分最高为］。"]
    steps = []
    for n, step in enumerate(ladder, start=1):
        try:
            below, cap = (Decimal(str(x)) for x in step)
        except (TypeError, ValueError, ArithmeticError):
            return [f"第 {n} 级须为两个数：执行率低于（%）和总分最高为。"]
        if not (0 < below <= 100 and 0 <= cap <= 100):
            return [f"第 {n} 级：执行率须在 0 至 100 之间，总分上限须在 0 至 100 之间。"]
        steps.append((below, cap))
    problems = []
    belows = [b for b, _ in steps]
    if len(set(belows)) != len(belows):
        problems.append("同一执行率不能有两级封顶。")
    ordered = sorted(steps, reverse=True)
    for (b1, c1), (b2, c2) in zip(ordered, ordered[1:], strict=False):
        if c2 > c1:
            problems.append(f"执行率低于 {b2}% 时的上限 {c2} 不能高于低于 {b1}% 时的上限 {c1}。")
    return problems


def ladder_text(caps) -> str:
    """ "执行率低于80%总分最高89分；低于70%最高79分" — the ladder as the rules box says it."""
    parts = [f"低于 {format(b.normalize(), 'f')}% 最高 {format(c.normalize(), 'f')} 分" for b, c in caps]
    return "执行率" + "；".join(parts) if parts else ""


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

    def get_by_natural_key(self, name: str) -> RuleSet:
        # Fixtures (``indicators/fixtures/province_2022.json``) name a rule set, not its id.
        return self.get(name=name)


class RuleSet(models.Model):
    """The scoring rules as data (docs/domain.md §4). Converted to ``scoring.Rules`` by ``to_rules``."""

    name = models.CharField("名称", max_length=100, unique=True)
    is_default = models.BooleanField("默认规则", default=False, help_text="新开始评价的年度使用默认规则。")
    output_weight = _percent_field("产出指标权重", "50")
    benefit_weight = _percent_field("效益指标权重", "30")
    satisfaction_weight = _percent_field("满意度指标权重", "10")
    execution_weight = _percent_field("预算执行率权重", "10")
    grade_excellent = _percent_field("“优”的最低分", "90")
    grade_good = _percent_field("“良”的最低分", "80")
    grade_fair = _percent_field("“中”的最低分", "60")
    achieved_low = _percent_field("“达成年度指标”档下限（占分值%，含）", "80")
    partial_low = _percent_field("“部分达成”档下限（占分值%，含）", "60")
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
    overachievement_deduction = models.DecimalField(
        "超额完成（指标偏离）扣分",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="达到提示线的指标从建议得分中扣减的分数；留空表示只提示、不扣分。",
    )
    execution_ladder = models.JSONField(
        "执行率封顶阶梯",
        default=list,
        blank=True,
        help_text="每级：执行率低于（%）则总分最高为；执行率同时低于几级时取最低上限。留空表示不封顶。",
    )
    no_budget_rule = models.CharField(
        "无预算（全年预算数为 0）时",
        max_length=16,
        choices=NoBudgetRule.choices,
        default=NoBudgetRule.NOT_APPLICABLE,
    )
    note = models.TextField("说明", blank=True)
    # Who may act, not how to score: checked by the group and flow services, default off.
    min_group_members = models.PositiveSmallIntegerField(
        "评价小组最少人数",
        default=0,
        help_text="开始评价和定稿时评价小组至少应有的成员人数；0 表示不要求。",
    )
    finaliser_not_lead = models.BooleanField(
        "定稿人不得为评价小组组长",
        default=False,
        help_text="勾选后，评价小组组长不能定稿本年度（须由其他领导定稿）。",
    )
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

    def natural_key(self) -> tuple[str]:
        return (self.name,)

    def clean(self) -> None:
        errors = {}
        total = self.output_weight + self.benefit_weight + self.satisfaction_weight + self.execution_weight
        if total != Decimal("100"):
            errors["execution_weight"] = f"一级指标权重与预算执行率权重合计须为 100，现为 {total}。"
        if not self.grade_excellent > self.grade_good > self.grade_fair:
            errors["grade_good"] = "等级分数线须满足 优 > 良 > 中。"
        if not Decimal("100") > self.achieved_low > self.partial_low > Decimal("0"):
            errors["partial_low"] = "定性档次须满足 100 > 达成档下限 > 部分达成档下限 > 0。"
        problems = ladder_problems(self.execution_ladder)
        if problems:
            errors["execution_ladder"] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def ladder(self) -> tuple[tuple[Decimal, Decimal], ...]:
        """The ladder's steps, highest rate first."""
        steps = ((Decimal(str(b)), Decimal(str(c))) for b, c in (self.execution_ladder or []))
        return tuple(sorted(steps, reverse=True))

    def to_rules(self, *, origin: str = "") -> Rules:
        weights = {
            Tier1.OUTPUT.value: self.output_weight,
            Tier1.BENEFIT.value: self.benefit_weight,
            Tier1.SATISFACTION.value: self.satisfaction_weight,
        }
        return Rules(
            name=self.name,
            # A tier 1 weighted 0 (e.g. no 满意度指标) is not expected in the table.
            tier1_weights={k: v for k, v in weights.items() if v > 0},
            execution_weight=self.execution_weight,
            grade_bands=(
                (self.grade_excellent, "优"),
                (self.grade_good, "良"),
                (self.grade_fair, "中"),
                (Decimal("0"), "差"),
            ),
            qualitative_bands={
                Band.ACHIEVED.value: (self.achieved_low, Decimal("100")),
                Band.PARTIAL.value: (self.partial_low, self.achieved_low),
                Band.NOT_ACHIEVED.value: (Decimal("0"), self.partial_low),
            },
            reverse_formula=self.reverse_formula,
            overachievement_percent=self.overachievement_percent,
            overachievement_deduction=self.overachievement_deduction,
            execution_caps=self.ladder,
            no_budget=self.no_budget_rule,
            origin=origin,
        )

    def snapshot(self) -> dict:
        """The rules as JSON-safe data, kept with a year so later edits do not rescore it."""
        return self.to_rules().to_data()


def rules_from_snapshot(data: dict) -> Rules:
    return Rules.from_data(data)


class RuleSetAssignment(models.Model):
    """An administrator's choice of the rule set for a unit — or for a unit and every unit below
    it — for one year or for every year. The most specific assignment wins (the unit's own over
    its parent's, a year's over every year's); without one, the default rule set applies."""

    rule_set = models.ForeignKey(RuleSet, verbose_name="评分规则", on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey("departments.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    include_descendants = models.BooleanField("含下级单位", default=True, help_text="同时适用于该单位以下的所有单位。")
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True, help_text="留空表示各年度。")
    note = models.CharField("依据", max_length=200, blank=True, help_text="如省财政厅文件名称、文号。")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "评分规则适用范围"
        verbose_name_plural = "评分规则适用范围"
        ordering = ["unit", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="ruleset_assignment_unit_year",
                violation_error_message="该单位该年度已指定评分规则。",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(year__isnull=True),
                name="ruleset_assignment_unit_all_years",
                violation_error_message="该单位已指定各年度通用的评分规则。",
            ),
        ]

    def __str__(self) -> str:
        scope = "及下级单位" if self.include_descendants else ""
        return f"{self.unit}{scope} · {self.year or '各年度'} · {self.rule_set.name}"


class UnitYearWeights(models.Model):
    """A unit-year allowed its own tier-1 weights ("如有特殊情况", e.g. 产出 60 / 效益 30 / 执行率
    10 without 满意度指标), with the reason recorded. Applies on top of the rule set in force
    until the year's evaluation starts (then the year keeps its snapshot)."""

    unit_year = models.OneToOneField(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="+")
    output_weight = _percent_field("产出指标权重", "50")
    benefit_weight = _percent_field("效益指标权重", "30")
    satisfaction_weight = _percent_field("满意度指标权重", "10", help_text="0 表示不设满意度指标。")
    execution_weight = _percent_field("预算执行率权重", "10")
    reason = models.TextField("调整理由")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("批准时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度一级指标权重调整"
        verbose_name_plural = "年度一级指标权重调整"

    def __str__(self) -> str:
        return f"{self.unit_year} · {self.weights_text}"

    @property
    def weights_text(self) -> str:
        parts = [
            (Tier1.OUTPUT.label, self.output_weight),
            (Tier1.BENEFIT.label, self.benefit_weight),
            (Tier1.SATISFACTION.label, self.satisfaction_weight),
            ("预算执行率", self.execution_weight),
        ]
        return " / ".join(f"{label} {format(v.normalize(), 'f')}" for label, v in parts)

    def clean(self) -> None:
        errors = {}
        total = self.output_weight + self.benefit_weight + self.satisfaction_weight + self.execution_weight
        if total != Decimal("100"):
            errors["execution_weight"] = f"一级指标权重与预算执行率权重合计须为 100，现为 {total}。"
        if not (self.reason or "").strip():
            errors["reason"] = "请填写调整理由。"
        if self.unit_year_id and YearScoring.objects.filter(unit_year_id=self.unit_year_id).exists():
            errors["unit_year"] = "该年度已开始评价，评分规则已随年度记录，不能再调整一级指标权重。"
        if errors:
            raise ValidationError(errors)

    def apply(self, rules: Rules) -> Rules:
        weights = {
            Tier1.OUTPUT.value: self.output_weight,
            Tier1.BENEFIT.value: self.benefit_weight,
            Tier1.SATISFACTION.value: self.satisfaction_weight,
        }
        return replace(
            rules,
            tier1_weights={k: v for k, v in weights.items() if v > 0},
            execution_weight=self.execution_weight,
            weights_note=f"本年度一级指标权重经批准调整为 {self.weights_text}（理由：{self.reason.strip()}）",
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
    deduction = models.DecimalField(
        "规则扣分",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text="评分规则的超额完成（指标偏离）扣分。",
    )
    deduction_note = models.CharField("扣分说明", max_length=200, blank=True)
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


class ProjectEvaluation(models.Model):
    """A project's self-evaluation (项目支出绩效自评): its 年度总体目标 (预期目标 / 实际完成情况),
    whether it is evaluated this year (不纳入自评 needs a reason) and, if allowed, its own tier-1
    weights with the reason. The project's money stays in ``budgets``; its indicators are
    ``Indicator.objects.of_project``."""

    project = models.OneToOneField(
        ProjectLine, verbose_name="项目", on_delete=models.CASCADE, related_name="evaluation"
    )
    expected_goal = models.TextField("预期目标", blank=True)
    actual_outcome = models.TextField("实际完成情况", blank=True)
    included = models.BooleanField("纳入自评", default=True)
    exclusion_reason = models.TextField("不纳入自评的理由", blank=True)
    output_weight = models.DecimalField("产出指标权重", max_digits=5, decimal_places=2, null=True, blank=True)
    benefit_weight = models.DecimalField("效益指标权重", max_digits=5, decimal_places=2, null=True, blank=True)
    satisfaction_weight = models.DecimalField("满意度指标权重", max_digits=5, decimal_places=2, null=True, blank=True)
    execution_weight = models.DecimalField("预算执行率权重", max_digits=5, decimal_places=2, null=True, blank=True)
    weights_reason = models.TextField("权重调整理由", blank=True)
    history = HistoricalRecords()

    WEIGHT_FIELDS = ("output_weight", "benefit_weight", "satisfaction_weight", "execution_weight")

    class Meta:
        verbose_name = "项目绩效自评"
        verbose_name_plural = "项目绩效自评"

    def __str__(self) -> str:
        return f"{self.project} 绩效自评"

    @property
    def has_own_weights(self) -> bool:
        return any(getattr(self, f) is not None for f in self.WEIGHT_FIELDS)

    @property
    def weights_text(self) -> str:
        parts = [
            (Tier1.OUTPUT.label, self.output_weight),
            (Tier1.BENEFIT.label, self.benefit_weight),
            (Tier1.SATISFACTION.label, self.satisfaction_weight),
            ("预算执行率", self.execution_weight),
        ]
        return " / ".join(f"{label} {format((v or Decimal(0)).normalize(), 'f')}" for label, v in parts)

    def clean(self) -> None:
        errors = {}
        if not self.included and not (self.exclusion_reason or "").strip():
            errors["exclusion_reason"] = "不纳入自评须填写理由。"
        if self.has_own_weights:
            values = [getattr(self, f) for f in self.WEIGHT_FIELDS]
            if any(v is None for v in values):
                errors["execution_weight"] = "调整权重须同时填写产出、效益、满意度和预算执行率四项权重（可为 0）。"
            elif any(v < 0 or v > 100 for v in values):
                errors["execution_weight"] = "权重须在 0 至 100 之间。"
            elif (total := sum(values, Decimal(0))) != Decimal("100"):
                errors["execution_weight"] = f"一级指标权重与预算执行率权重合计须为 100，现为 {total}。"
            if not (self.weights_reason or "").strip():
                errors["weights_reason"] = "调整权重须填写理由。"
        if errors:
            raise ValidationError(errors)

    def apply(self, rules: Rules) -> Rules:
        """The year's rules with this project's own tier-1 weights, when it has them."""
        if not self.has_own_weights:
            return rules
        weights = {
            Tier1.OUTPUT.value: self.output_weight,
            Tier1.BENEFIT.value: self.benefit_weight,
            Tier1.SATISFACTION.value: self.satisfaction_weight,
        }
        return replace(
            rules,
            tier1_weights={k: v for k, v in weights.items() if v and v > 0},
            execution_weight=self.execution_weight,
            weights_note=f"本项目一级指标权重调整为 {self.weights_text}（理由：{self.weights_reason.strip()}）",
        )
