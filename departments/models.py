"""Units (部门/单位), the people who work on them, and the per-unit fiscal year (年度自评).

Everything a report states about one unit in one year hangs off ``UnitYear``: its profile here,
its figures in ``budgets``, its goals and indicators in ``indicators``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

# A report is dated within a plausible range (a typo such as 0001-01-01 or 9999-12-31 is refused).
REPORT_DATE_MIN = datetime.date(2000, 1, 1)
REPORT_DATE_MAX = datetime.date(2100, 12, 31)
REPORT_DATE_MESSAGE = "报告日期须在 2000-01-01 至 2100-12-31 之间，请核对。"


class Role(models.TextChoices):
    OFFICER = "officer", "财务人员"
    EVALUATOR = "evaluator", "评价小组成员"
    LEADER = "leader", "单位领导"
    ADMIN = "admin", "管理员"


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100)
    code = models.CharField(
        "单位编码",
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z_-]+$", "单位编码只能包含字母、数字、下划线和连字符。")],
    )
    region = models.CharField("所属地区", max_length=100, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a unit. An administrator's membership may have no unit (all units)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique_user_unit_role",
                violation_error_message="该用户在此单位已有这个角色。",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(role="admin"),
                name="membership_unit_required_unless_admin",
                violation_error_message="除管理员外，角色必须属于某个单位。",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else "全部单位"
        return f"{self.user} · {self.get_role_display()} · {where}"


class YearStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已送审"
    EVALUATING = "evaluating", "评价中"
    FINALISED = "finalised", "已定稿"


class UnitYear(models.Model):
    """One unit's self-evaluation for one fiscal year: profile, narrative and status."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=16, choices=YearStatus.choices, default=YearStatus.DRAFT)

    # 部门基本信息
    headcount_authorized = models.PositiveIntegerField("编制人数", null=True, blank=True)
    headcount_actual = models.PositiveIntegerField("实有人数", null=True, blank=True)
    contact_name = models.CharField("绩效管理联系人", max_length=50, blank=True)
    contact_phone = models.CharField(
        "联系电话",
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^[0-9+\-() ]*$", "联系电话只能包含数字、空格和 + - ( )。")],
    )
    function_summary = models.TextField("部门（单位）职能概述", blank=True)

    # 二、部门整体支出管理及使用情况分析 — the unit's explanations of the figures
    income_change_note = models.TextField("收入增减变化原因", blank=True)
    spending_change_note = models.TextField("支出增减变化原因", blank=True)
    project_usage_note = models.TextField("项目资金使用情况说明", blank=True)

    # 三、项目组织实施情况分析
    implementation_procurement = models.TextField("（一）项目采购与验收", blank=True)
    implementation_management = models.TextField("（二）财务管理", blank=True)
    # 五、绩效评价工作开展情况
    evaluation_purpose = models.TextField("（一）绩效评价目的", blank=True)
    evaluation_process = models.TextField("（二）绩效评价工作过程", blank=True)
    # 六、七
    problems = models.TextField("存在的主要问题", blank=True, help_text="每段一条。")
    measures = models.TextField("改进措施和有关建议", blank=True, help_text="每段一条。")

    # Cover page
    evaluation_method = models.CharField("评价方式", max_length=50, default="单位自评", blank=True)
    report_date = models.DateField(
        "报告日期",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(REPORT_DATE_MIN, message=REPORT_DATE_MESSAGE),
            MaxValueValidator(REPORT_DATE_MAX, message=REPORT_DATE_MESSAGE),
        ],
    )

    # Optimistic locking: a save must carry the version it was read at.
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "部门年度自评"
        verbose_name_plural = "部门年度自评"
        ordering = ["unit__code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="unityear_unique_unit_year",
                violation_error_message="该单位这一年度的自评已存在。",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="unityear_year_range",
                violation_error_message="年度须在 2000 至 2100 之间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}年度"

    @property
    def is_draft(self) -> bool:
        return self.status == YearStatus.DRAFT


class Duty(models.Model):
    """部门职责, in the order the report numbers them."""

    unit_year = models.ForeignKey(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="duties")
    order = models.PositiveSmallIntegerField("序号")
    text = models.TextField("职责")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "部门职责"
        verbose_name_plural = "部门职责"
        ordering = ["unit_year", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}、{self.text[:30]}"


class OrganKind(models.TextChoices):
    COMMITTEE = "committee", "专门委员会"
    OFFICE = "office", "办事（工作）机构"
    AFFILIATED = "affiliated", "所属事业单位"
    OTHER = "other", "其他内设机构"


class Organ(models.Model):
    """机构设置: an internal body of the unit, or an affiliated unit (所属事业单位)."""

    unit_year = models.ForeignKey(UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="organs")
    kind = models.CharField("类别", max_length=16, choices=OrganKind.choices)
    order = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("名称", max_length=100)
    affiliated_unit = models.ForeignKey(
        Unit,
        verbose_name="对应单位",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="所属事业单位在系统中的单位记录（可选）。",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "机构设置"
        verbose_name_plural = "机构设置"
        ordering = ["unit_year", "kind", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"


class UserPreference(models.Model):
    """How the app is shown to one user, remembered across sessions and devices (适老化)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="preference"
    )
    large_text = models.BooleanField("大字号", default=False)

    class Meta:
        verbose_name = "显示设置"
        verbose_name_plural = "显示设置"

    def __str__(self) -> str:
        return f"{self.user} · {'大字号' if self.large_text else '标准字号'}"
