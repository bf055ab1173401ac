"""StatusChange (the flow's record) moves from departments to the flow app.

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
                    name="StatusChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "from_status",
                            models.CharField(
                                choices=[
                                    ("draft", "草稿"),
                                    ("submitted", "已送审"),
                                    ("evaluating", "评价中"),
                                    ("finalised", "已定稿"),
                                ],
                                max_length=16,
                                verbose_name="原状态",
                            ),
                        ),
                        (
                            "to_status",
                            models.CharField(
                                choices=[
                                    ("draft", "草稿"),
                                    ("submitted", "已送审"),
                                    ("evaluating", "评价中"),
                                    ("finalised", "已定稿"),
                                ],
                                max_length=16,
                                verbose_name="新状态",
                            ),
                        ),
                        ("action", models.CharField(max_length=32, verbose_name="操作")),
                        ("at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                        ("reasons", models.JSONField(blank=True, default=list, verbose_name="退回原因")),
                        ("comment", models.TextField(blank=True, verbose_name="意见")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="操作人",
                            ),
                        ),
                        (
                            "unit_year",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="status_changes",
                                to="departments.unityear",
                                verbose_name="年度",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "流程记录",
                        "verbose_name_plural": "流程记录",
                        "ordering": ["unit_year", "at", "id"],
                        "db_table": "departments_statuschange",
                    },
                ),
            ],
        ),
    ]
