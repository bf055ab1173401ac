"""The overview's read model (全部单位总览)."""

from __future__ import annotations

from django.db import models

from departments.models import UnitYear, YearStatus


class YearSummary(models.Model):
    """Read model of the overview (全部单位总览): one row per unit-year with the figures the
    finance bureau filters and sorts by, so the database can filter, sort and paginate them.

    Nothing here is computed in this model: ``overview.summaries.year_summaries_refresh``
    fills it from ``budgets.figures.year_figures``, ``indicators.selectors.year_score`` and the
    indicator quality findings, and is called after every committed change of those inputs.
    """

    unit_year = models.OneToOneField(
        UnitYear, verbose_name="年度", on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    # Copies of the unit-year's own columns so that filtering and sorting need no join.
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=16, choices=YearStatus.choices)
    total_score = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=2, blank=True)
    score_complete = models.BooleanField("评分完成", default=False)
    execution_rate = models.DecimalField("预算执行率（%）", max_digits=9, decimal_places=2, null=True, blank=True)
    three_public_actual = models.DecimalField(
        "三公经费实际支出（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    three_public_previous = models.DecimalField(
        "三公经费上年实际（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    three_public_change = models.DecimalField(
        "三公经费增减（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    three_public_change_percent = models.DecimalField(
        "三公经费增减（%）", max_digits=9, decimal_places=2, null=True, blank=True
    )
    findings = models.PositiveIntegerField("指标质量问题数", default=0)
    projects_evaluated = models.PositiveIntegerField("自评项目数", default=0)
    projects_average = models.DecimalField("项目平均得分", max_digits=6, decimal_places=2, null=True, blank=True)
    refreshed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "年度汇总"
        verbose_name_plural = "年度汇总"
        db_table = "departments_yearsummary"  # created by the departments app, moved here
        indexes = [
            models.Index(fields=["year", "status"], name="summary_year_status"),
            models.Index(fields=["status"], name="summary_status"),
            models.Index(fields=["total_score"], name="summary_total_score"),
            models.Index(fields=["grade"], name="summary_grade"),
            models.Index(fields=["execution_rate"], name="summary_execution_rate"),
            models.Index(fields=["three_public_change"], name="summary_tp_change"),
            models.Index(fields=["three_public_change_percent"], name="summary_tp_change_pct"),
            models.Index(fields=["findings"], name="summary_findings"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_year_id} 汇总"
