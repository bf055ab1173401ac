"""YearSummary (the overview's read model) moves from departments to the overview app.

The table was created by the departments app; only Django's record of which app owns the model
changes (SeparateDatabaseAndState): no data is touched."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("departments", "0002_year_summary"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="YearSummary",
                    fields=[
                        (
                            "unit_year",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="summary",
                                serialize=False,
                                to="departments.unityear",
                                verbose_name="年度",
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "草稿"),
                                    ("submitted", "已送审"),
                                    ("evaluating", "评价中"),
                                    ("finalised", "已定稿"),
                                ],
                                max_length=16,
                                verbose_name="状态",
                            ),
                        ),
                        (
                            "total_score",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=6, null=True, verbose_name="总分"
                            ),
                        ),
                        ("grade", models.CharField(blank=True, max_length=2, verbose_name="等级")),
                        ("score_complete", models.BooleanField(default=False, verbose_name="评分完成")),
                        (
                            "execution_rate",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=9, null=True, verbose_name="预算执行率（%）"
                            ),
                        ),
                        (
                            "three_public_actual",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="三公经费实际支出（万元）",
                            ),
                        ),
                        (
                            "three_public_previous",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="三公经费上年实际（万元）",
                            ),
                        ),
                        (
                            "three_public_change",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="三公经费增减（万元）",
                            ),
                        ),
                        (
                            "three_public_change_percent",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=9, null=True, verbose_name="三公经费增减（%）"
                            ),
                        ),
                        ("findings", models.PositiveIntegerField(default=0, verbose_name="指标质量问题数")),
                        ("refreshed_at", models.DateTimeField(auto_now=True, verbose_name="计算时间")),
                    ],
                    options={
                        "verbose_name": "年度汇总",
                        "verbose_name_plural": "年度汇总",
                        "db_table": "departments_yearsummary",
                        "indexes": [
                            models.Index(fields=["year", "status"], name="summary_year_status"),
                            models.Index(fields=["status"], name="summary_status"),
                            models.Index(fields=["total_score"], name="summary_total_score"),
                            models.Index(fields=["grade"], name="summary_grade"),
                            models.Index(fields=["execution_rate"], name="summary_execution_rate"),
                            models.Index(fields=["three_public_change"], name="summary_tp_change"),
                            models.Index(fields=["three_public_change_percent"], name="summary_tp_change_pct"),
                            models.Index(fields=["findings"], name="summary_findings"),
                        ],
                    },
                ),
            ],
        ),
    ]
