"""``Indicator.group`` (经费类别) becomes ``fund_category``, so "group" means only the evaluation
group. A rename: no data changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_default_rules_and_library"),
    ]

    operations = [
        migrations.RenameField(model_name="indicator", old_name="group", new_name="fund_category"),
        migrations.RenameField(model_name="historicalindicator", old_name="group", new_name="fund_category"),
        migrations.AlterModelOptions(
            name="indicator",
            options={
                "ordering": ["unit_year", "fund_category", "order", "id"],
                "verbose_name": "绩效指标",
                "verbose_name_plural": "绩效指标",
            },
        ),
    ]
