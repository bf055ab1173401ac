"""The year's money, in 万元 with two decimals: income by source, spending by kind,
三公经费 and project lines. Each figure is stored once; totals, year-on-year change and
execution rates are derived in ``budgets.figures``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from departments.models import UnitYear

MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 2


def money_field(verbose_name: str) -> models.DecimalField:
    """An optional amount in 万元: blank means "not stated", which is not the same as 0."""
    return models.DecimalField(
        verbose_name,
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        null=True,
        blank=True,
    )


def non_negative(model: str, *fields: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
            name=f"{model}_{field}_non_negative",
            violation_error_message="金额不能为负数。",
        )
        for field in fields
    ]


# The amount columns' names, defined once: the models, forms, checks, Excel and the report use them.
AMOUNT_LABELS: dict[str, str] = {
    "initial_budget": "年初预算数",
    "full_year_budget": "全年预算数",
    "actual": "全年执行数",
    "previous_year": "上年数",
}


class AmountsMixin(models.Model):
    """年初预算数 / 全年预算数 / 全年执行数 / 上年数 of one line."""

    initial_budget = money_field(AMOUNT_LABELS["initial_budget"])
    full_year_budget = money_field(AMOUNT_LABELS["full_year_budget"])
    actual = money_field(AMOUNT_LABELS["actual"])
    previous_year = money_field(AMOUNT_LABELS["previous_year"])

    AMOUNT_FIELDS = ("initial_budget", "full_year_budget", "actual", "previous_year")

    class Meta:
        abstract = True


class IncomeSource(models.TextChoices):
    APPROPRIATION = "appropriation", "财政拨款"
    GENERAL_PUBLIC = "general_public", "其中：一般公共预算财政拨款"
    NON_TAX = "non_tax", "非税收入"
    CARRYOVER = "carryover", "上年结转"
    OTHER = "other", "其他收入"
    TOTAL = "total", "收入合计"


class IncomeLine(AmountsMixin):
    """Income by source. ``TOTAL`` is the total the unit states (as published tables do);
    ``budgets.figures`` checks it against the sum of the sources."""

    unit_year = models.ForeignKey(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="income_lines")
    source = models.CharField("收入来源", max_length=20, choices=IncomeSource.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "收入"
        verbose_name_plural = "收入"
        ordering = ["unit_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_year", "source"],
                name="incomeline_unique_source",
                violation_error_message="同一年度每种收入来源只能有一行。",
            ),
            *non_negative("incomeline", *AmountsMixin.AMOUNT_FIELDS),
        ]

    def __str__(self) -> str:
        return self.get_source_display()


class SpendingKind(models.TextChoices):
    BASIC = "basic", "基本支出"
    PERSONNEL = "personnel", "其中：人员经费"
    PUBLIC = "public", "其中：公用经费"
    PROJECT = "project", "项目支出"
    TOTAL = "total", "支出合计"


class SpendingLine(AmountsMixin):
    """Spending by kind. ``TOTAL`` is the stated total; 人员经费/公用经费 are parts of 基本支出."""

    unit_year = models.ForeignKey(
        UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="spending_lines"
    )
    kind = models.CharField("支出类别", max_length=20, choices=SpendingKind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "支出"
        verbose_name_plural = "支出"
        ordering = ["unit_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_year", "kind"],
                name="spendingline_unique_kind",
                violation_error_message="同一年度每种支出类别只能有一行。",
            ),
            *non_negative("spendingline", *AmountsMixin.AMOUNT_FIELDS),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ThreePublicKind(models.TextChoices):
    RECEPTION = "reception", "公务接待费"
    VEHICLE = "vehicle", "公务用车运行和购置费"
    ABROAD = "abroad", "因公出国（境）费"


class ThreePublicLine(models.Model):
    """三公经费, one line per kind: budget, actual and last year's actual."""

    unit_year = models.ForeignKey(
        UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="three_public_lines"
    )
    kind = models.CharField("类别", max_length=20, choices=ThreePublicKind.choices)
    budget = money_field("预算数")
    actual = money_field("实际支出数")
    previous_year = money_field("上年实际数")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "三公经费"
        verbose_name_plural = "三公经费"
        ordering = ["unit_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_year", "kind"],
                name="threepublicline_unique_kind",
                violation_error_message="同一年度每类三公经费只能有一行。",
            ),
            *non_negative("threepublicline", "budget", "actual", "previous_year"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ProjectKind(models.TextChoices):
    PROJECT = "project", "项目"
    # Money added to 项目支出 during the year that the unit did not break down by project (the
    # reference: 年初 236.00 over ten projects, 全年 275.61 — 39.61 added, not itemised). Entered
    # as its own row so the project lines add up to 项目支出 and the gap is shown, not hidden.
    UNITEMISED = "unitemised", "年中追加（未细化到项目）"


class ProjectLine(models.Model):
    """A project (专项) of the year: its budget, what was spent and how it was used — or the
    year's unitemised mid-year addition (``ProjectKind.UNITEMISED``), shown as its own row."""

    unit_year = models.ForeignKey(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="project_lines")
    order = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("项目名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=ProjectKind.choices, default=ProjectKind.PROJECT)
    initial_budget = money_field("年初预算数")
    full_year_budget = money_field("全年预算数")
    actual = money_field("全年执行数")
    usage = models.TextField("资金使用情况", blank=True)
    # The same project last year (set by 创建下一年度): a project keeps one identity across years.
    previous = models.ForeignKey(
        "self",
        verbose_name="上年度同一项目",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_lines",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "项目支出"
        verbose_name_plural = "项目支出"
        ordering = ["unit_year", "order", "id"]
        constraints = non_negative("projectline", "initial_budget", "full_year_budget", "actual")

    def __str__(self) -> str:
        return self.name


class ProjectFundSource(models.TextChoices):
    """The sources of a project's money, as the 项目支出绩效自评表 lists them."""

    APPROPRIATION = "appropriation", "当年财政拨款"
    CARRYOVER = "carryover", "上年结转资金"
    OTHER = "other", "其他资金"


class ProjectFunds(models.Model):
    """One source of a project's money (年初预算数 / 全年预算数 / 全年执行数). The project line's own
    amounts are the project's total; these rows break it down by source for its 自评表."""

    project = models.ForeignKey(ProjectLine, verbose_name="项目", on_delete=models.CASCADE, related_name="funds")
    source = models.CharField("资金来源", max_length=16, choices=ProjectFundSource.choices)
    initial_budget = money_field("年初预算数")
    full_year_budget = money_field("全年预算数")
    actual = money_field("全年执行数")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "项目资金来源"
        verbose_name_plural = "项目资金来源"
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "source"],
                name="projectfunds_unique_source",
                violation_error_message="同一项目每种资金来源只能有一行。",
            ),
            *non_negative("projectfunds", "initial_budget", "full_year_budget", "actual"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_source_display()}"
