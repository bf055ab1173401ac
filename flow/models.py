"""The flow's record: every step of a unit-year (送审 / 开始评价 / 退回 / 定稿 / 重新开启), and the
written explanations of 数据校验 findings that 定稿 requires."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from departments.models import UnitYear, YearStatus


class StatusChange(models.Model):
    """One step of the flow (送审 / 退回 / 定稿 / 重新开启): who, when, from, to, why."""

    unit_year = models.ForeignKey(
        UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField("原状态", max_length=16, choices=YearStatus.choices)
    to_status = models.CharField("新状态", max_length=16, choices=YearStatus.choices)
    action = models.CharField("操作", max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    reasons = models.JSONField("退回原因", default=list, blank=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"
        ordering = ["unit_year", "at", "id"]
        db_table = "departments_statuschange"  # created by the departments app, moved here

    def __str__(self) -> str:
        return f"{self.unit_year} {self.action} {self.at:%Y-%m-%d %H:%M}"


def check_key(code: str, message: str) -> str:
    """The identity of a 数据校验 finding: its code and its exact message (which names the
    figures), so a finding whose figures change needs a new explanation."""
    return hashlib.sha256(f"{code}\n{message}".encode()).hexdigest()


class CheckExplanation(models.Model):
    """A written explanation of a 数据校验 finding (``budgets.checks``) that the unit keeps as
    it is — e.g. a contradiction of the published figures. 定稿 needs one for every finding still
    open; the report prints them as notes. Kept in the history (修改记录)."""

    unit_year = models.ForeignKey(
        UnitYear, verbose_name="年度", on_delete=models.CASCADE, related_name="check_explanations"
    )
    key = models.CharField("校验标识", max_length=64, editable=False)
    code = models.CharField("校验类别", max_length=40)
    message = models.TextField("校验提示")
    explanation = models.TextField("说明")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="说明人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("说明时间")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "数据校验说明"
        verbose_name_plural = "数据校验说明"
        ordering = ["unit_year", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_year", "key"],
                name="checkexplanation_unique_finding",
                violation_error_message="该校验提示已有说明。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_year} · {self.message[:30]}"
