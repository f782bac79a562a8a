import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("plans", "0004_plan_criteria"),
    ]

    # The scorecards' table keeps its rows and its foreign keys when priorities 0008 renames it:
    # only Django's state changes here.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalplanversion",
                    name="scorecard",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessment.scorecard",
                    ),
                ),
                migrations.AlterField(
                    model_name="planversion",
                    name="scorecard",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="plan_version",
                        to="assessment.scorecard",
                    ),
                ),
            ]
        ),
    ]
