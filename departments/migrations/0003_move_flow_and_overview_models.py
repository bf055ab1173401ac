"""StatusChange moves to the flow app and YearSummary to the overview app (their tables stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0002_year_summary"),
        ("flow", "0001_initial"),
        ("overview", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="StatusChange"),
                migrations.DeleteModel(name="YearSummary"),
            ],
        ),
    ]
