"""Scoring rules as units and provinces apply them (issue 12).

- ``RuleSet``: the one (rate, cap) pair becomes an execution-rate ladder of any number of steps
  (an existing pair is carried over as a one-step ladder); an over-achievement deduction; how a
  zero budget (0/0) is scored.
- Rule sets assigned to a unit (and the units below it), per year or for every year; a
  unit-year's own tier-1 weights with the reason.
- Bare targets ("3%"): the library entries carry a direction (from their suggested target's
  comparator, or named below); existing indicators with a bare target get a proposed direction,
  which the finance officer still has to confirm.
"""

import unicodedata

import django.core.validators
import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

FLOOR, CEILING, EXACT = "floor", "ceiling", "exact"
_PREFIXES = (
    ("不低于", FLOOR),
    ("不少于", FLOOR),
    ("不高于", CEILING),
    ("不超过", CEILING),
    ("大于", FLOOR),
    ("小于", CEILING),
    (">", FLOOR),
    ("≥", FLOOR),
    ("<", CEILING),
    ("≤", CEILING),
    ("=", EXACT),
    ("等于", EXACT),
)
# Shipped entries whose suggested target has no comparator.
SHIPPED_BARE = {"“三公经费”支出控制": CEILING, "代表工作站建设质量合格率": FLOOR}


def _direction_of_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip()
    for prefix, direction in _PREFIXES:
        if text.startswith(prefix):
            return direction
    return ""


def move_caps_to_ladder(apps, schema_editor):
    RuleSet = apps.get_model("indicators", "RuleSet")
    for rule_set in RuleSet.objects.exclude(cap_below_rate=None).exclude(cap_total=None):
        rule_set.execution_ladder = [[str(rule_set.cap_below_rate), str(rule_set.cap_total)]]
        rule_set.save(update_fields=["execution_ladder"])


def library_directions(apps, schema_editor):
    LibraryIndicator = apps.get_model("indicators", "LibraryIndicator")
    for entry in LibraryIndicator.objects.filter(direction=""):
        if not entry.target_unit and not _direction_of_text(entry.suggested_target):
            continue  # qualitative
        direction = _direction_of_text(entry.suggested_target) or SHIPPED_BARE.get(entry.name, "")
        if direction:
            entry.direction = direction
            entry.save(update_fields=["direction"])


def propose_indicator_directions(apps, schema_editor):
    # The proposal logic is a pure function of the name, tier 2 and unit (indicators.directions);
    # the officer confirms or changes what it proposes, so a later change of its word lists
    # does no harm here.
    from indicators.directions import propose_direction

    Indicator = apps.get_model("indicators", "Indicator")
    LibraryIndicator = apps.get_model("indicators", "LibraryIndicator")
    library = {}
    for entry in LibraryIndicator.objects.exclude(direction="").filter(unit=None):
        library[entry.name] = entry.direction
    for ind in Indicator.objects.filter(target_kind="quantitative", comparator="", direction_proposed=""):
        proposal = propose_direction(
            name=ind.name, tier2=ind.tier2, unit=ind.target_unit, library_direction=library.get(ind.name, "")
        )
        if proposal.direction:
            ind.direction_proposed = proposal.direction
            ind.save(update_fields=["direction_proposed"])


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0002_year_summary"),
        ("indicators", "0004_rename_group_fund_category"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalindicator",
            name="direction",
            field=models.CharField(
                blank=True,
                choices=[
                    ("floor", "下限（≥，越高越好）"),
                    ("ceiling", "上限（≤，越低越好）"),
                    ("exact", "等于（=，须恰好达到）"),
                ],
                help_text="指标值未写比较符时，按此方向评分：下限（≥）、上限（≤）或等于（=）。",
                max_length=8,
                verbose_name="理解方向（已确认）",
            ),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="direction_proposed",
            field=models.CharField(
                blank=True,
                choices=[
                    ("floor", "下限（≥，越高越好）"),
                    ("ceiling", "上限（≤，越低越好）"),
                    ("exact", "等于（=，须恰好达到）"),
                ],
                max_length=8,
                verbose_name="建议理解方向",
            ),
        ),
        migrations.AddField(
            model_name="historicallibraryindicator",
            name="direction",
            field=models.CharField(
                blank=True,
                choices=[
                    ("floor", "下限（≥，越高越好）"),
                    ("ceiling", "上限（≤，越低越好）"),
                    ("exact", "等于（=，须恰好达到）"),
                ],
                help_text="定量指标越高越好（下限）、越低越好（上限）或须恰好达到（等于）；指标值未写比较符时据此理解。",
                max_length=8,
                verbose_name="方向",
            ),
        ),
        migrations.AddField(
            model_name="historicalmemberscore",
            name="deduction",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                help_text="评分规则的超额完成（指标偏离）扣分。",
                max_digits=5,
                verbose_name="规则扣分",
            ),
        ),
        migrations.AddField(
            model_name="historicalmemberscore",
            name="deduction_note",
            field=models.CharField(blank=True, max_length=200, verbose_name="扣分说明"),
        ),
        migrations.AddField(
            model_name="historicalruleset",
            name="execution_ladder",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="每级：执行率低于（%）则总分最高为；执行率同时低于几级时取最低上限。留空表示不封顶。",
                verbose_name="执行率封顶阶梯",
            ),
        ),
        migrations.AddField(
            model_name="historicalruleset",
            name="no_budget_rule",
            field=models.CharField(
                choices=[
                    ("not_applicable", "预算执行率不适用，其余分值折算为 100 分"),
                    ("full", "预算执行率得满分"),
                    ("zero", "预算执行率得 0 分"),
                ],
                default="not_applicable",
                max_length=16,
                verbose_name="无预算（全年预算数为 0）时",
            ),
        ),
        migrations.AddField(
            model_name="historicalruleset",
            name="overachievement_deduction",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="达到提示线的指标从建议得分中扣减的分数；留空表示只提示、不扣分。",
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                verbose_name="超额完成（指标偏离）扣分",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="direction",
            field=models.CharField(
                blank=True,
                choices=[
                    ("floor", "下限（≥，越高越好）"),
                    ("ceiling", "上限（≤，越低越好）"),
                    ("exact", "等于（=，须恰好达到）"),
                ],
                help_text="指标值未写比较符时，按此方向评分：下限（≥）、上限（≤）或等于（=）。",
                max_length=8,
                verbose_name="理解方向（已确认）",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="direction_proposed",
            field=models.CharField(
                blank=True,
                choices=[
                    ("floor", "下限（≥，越高越好）"),
                    ("ceiling", "上限（≤，越低越好）"),
                    ("exact", "等于（=，须恰好达到）"),
                ],
                max_length=8,
                verbose_name="建议理解方向",
            ),
        ),
        migrations.AddField(
            model_name="libraryindicator",
            name="direction",
            field=models.CharField(
                blank=True,
                choices=[
                    ("floor", "下限（≥，越高越好）"),
                    ("ceiling", "上限（≤，越低越好）"),
                    ("exact", "等于（=，须恰好达到）"),
                ],
                help_text="定量指标越高越好（下限）、越低越好（上限）或须恰好达到（等于）；指标值未写比较符时据此理解。",
                max_length=8,
                verbose_name="方向",
            ),
        ),
        migrations.AddField(
            model_name="memberscore",
            name="deduction",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                help_text="评分规则的超额完成（指标偏离）扣分。",
                max_digits=5,
                verbose_name="规则扣分",
            ),
        ),
        migrations.AddField(
            model_name="memberscore",
            name="deduction_note",
            field=models.CharField(blank=True, max_length=200, verbose_name="扣分说明"),
        ),
        migrations.AddField(
            model_name="ruleset",
            name="execution_ladder",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="每级：执行率低于（%）则总分最高为；执行率同时低于几级时取最低上限。留空表示不封顶。",
                verbose_name="执行率封顶阶梯",
            ),
        ),
        migrations.AddField(
            model_name="ruleset",
            name="no_budget_rule",
            field=models.CharField(
                choices=[
                    ("not_applicable", "预算执行率不适用，其余分值折算为 100 分"),
                    ("full", "预算执行率得满分"),
                    ("zero", "预算执行率得 0 分"),
                ],
                default="not_applicable",
                max_length=16,
                verbose_name="无预算（全年预算数为 0）时",
            ),
        ),
        migrations.AddField(
            model_name="ruleset",
            name="overachievement_deduction",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="达到提示线的指标从建议得分中扣减的分数；留空表示只提示、不扣分。",
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                verbose_name="超额完成（指标偏离）扣分",
            ),
        ),
        migrations.AlterField(
            model_name="historicalruleset",
            name="achieved_low",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("80"),
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="“达成年度指标”档下限（占分值%，含）",
            ),
        ),
        migrations.AlterField(
            model_name="historicalruleset",
            name="partial_low",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("60"),
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="“部分达成”档下限（占分值%，含）",
            ),
        ),
        migrations.AlterField(
            model_name="ruleset",
            name="achieved_low",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("80"),
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="“达成年度指标”档下限（占分值%，含）",
            ),
        ),
        migrations.AlterField(
            model_name="ruleset",
            name="partial_low",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("60"),
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="“部分达成”档下限（占分值%，含）",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalRuleSetAssignment",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "include_descendants",
                    models.BooleanField(
                        default=True, help_text="同时适用于该单位以下的所有单位。", verbose_name="含下级单位"
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="留空表示各年度。", null=True, verbose_name="年度"
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True, help_text="如省财政厅文件名称、文号。", max_length=200, verbose_name="依据"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "rule_set",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="indicators.ruleset",
                        verbose_name="评分规则",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="departments.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 评分规则适用范围",
                "verbose_name_plural": "historical 评分规则适用范围",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalUnitYearWeights",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "output_weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("50"),
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="产出指标权重",
                    ),
                ),
                (
                    "benefit_weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("30"),
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="效益指标权重",
                    ),
                ),
                (
                    "satisfaction_weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("10"),
                        help_text="0 表示不设满意度指标。",
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="满意度指标权重",
                    ),
                ),
                (
                    "execution_weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("10"),
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="预算执行率权重",
                    ),
                ),
                ("reason", models.TextField(verbose_name="调整理由")),
                ("approved_at", models.DateTimeField(blank=True, editable=False, verbose_name="批准时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="批准人",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit_year",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="departments.unityear",
                        verbose_name="年度",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 年度一级指标权重调整",
                "verbose_name_plural": "historical 年度一级指标权重调整",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="UnitYearWeights",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "output_weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("50"),
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="产出指标权重",
                    ),
                ),
                (
                    "benefit_weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("30"),
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="效益指标权重",
                    ),
                ),
                (
                    "satisfaction_weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("10"),
                        help_text="0 表示不设满意度指标。",
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="满意度指标权重",
                    ),
                ),
                (
                    "execution_weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("10"),
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="预算执行率权重",
                    ),
                ),
                ("reason", models.TextField(verbose_name="调整理由")),
                ("approved_at", models.DateTimeField(auto_now=True, verbose_name="批准时间")),
                (
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="批准人",
                    ),
                ),
                (
                    "unit_year",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="departments.unityear",
                        verbose_name="年度",
                    ),
                ),
            ],
            options={
                "verbose_name": "年度一级指标权重调整",
                "verbose_name_plural": "年度一级指标权重调整",
            },
        ),
        migrations.CreateModel(
            name="RuleSetAssignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "include_descendants",
                    models.BooleanField(
                        default=True, help_text="同时适用于该单位以下的所有单位。", verbose_name="含下级单位"
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="留空表示各年度。", null=True, verbose_name="年度"
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True, help_text="如省财政厅文件名称、文号。", max_length=200, verbose_name="依据"
                    ),
                ),
                (
                    "rule_set",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="indicators.ruleset",
                        verbose_name="评分规则",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="departments.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "评分规则适用范围",
                "verbose_name_plural": "评分规则适用范围",
                "ordering": ["unit", "year"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "year"),
                        name="ruleset_assignment_unit_year",
                        violation_error_message="该单位该年度已指定评分规则。",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("year__isnull", True)),
                        fields=("unit",),
                        name="ruleset_assignment_unit_all_years",
                        violation_error_message="该单位已指定各年度通用的评分规则。",
                    ),
                ],
            },
        ),
        migrations.RunPython(move_caps_to_ladder, migrations.RunPython.noop),
        migrations.RunPython(library_directions, migrations.RunPython.noop),
        migrations.RunPython(propose_indicator_directions, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalruleset",
            name="cap_below_rate",
        ),
        migrations.RemoveField(
            model_name="historicalruleset",
            name="cap_total",
        ),
        migrations.RemoveField(
            model_name="ruleset",
            name="cap_below_rate",
        ),
        migrations.RemoveField(
            model_name="ruleset",
            name="cap_total",
        ),
    ]
