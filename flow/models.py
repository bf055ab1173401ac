"""The flow's record: every step of a unit-year (送审 / 开始评价 / 退回 / 定稿 / 重新开启)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

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
