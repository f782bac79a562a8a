import django.db.models.deletion
from django.db import migrations, models

# The assessment engine's models, now in the assessment app (assessment 0001 states them there).
MOVED = [
    "framework",
    "judgementarea",
    "level",
    "scorecard",
    "judgement",
    "historicaljudgement",
    "challenge",
]


def _relabel(old: str, new: str):
    """Move the models' content types to the other app, so that permissions, history and any
    generic link to a row keep pointing at it. A fresh database has none yet, and a model whose
    content type is already under the other app (made there by an earlier migrate) keeps that
    one: the unique (app, model) pair allows no second."""

    def relabel(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(
            schema_editor.connection.alias
        )
        there = content_types.filter(app_label=new).values_list("model", flat=True)
        content_types.filter(app_label=old, model__in=MOVED).exclude(model__in=list(there)).update(
            app_label=new
        )

    return relabel


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("priorities", "0007_remove_rating"),
        ("plans", "0005_scorecard_in_assessment"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Each table is renamed priorities_* to assessment_* with its rows (an identity column's
    # sequence follows its table on PostgreSQL; SQLite rewrites the foreign keys that point at
    # it), while Django's state forgets the models here.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=name, table=f"assessment_{name}") for name in MOVED
            ],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="challenge",
                    name="challenge_has_reason",
                ),
                migrations.RemoveConstraint(
                    model_name="challenge",
                    name="challenge_kind_valid",
                ),
                migrations.RemoveConstraint(
                    model_name="framework",
                    name="framework_version_unique",
                ),
                migrations.RemoveConstraint(
                    model_name="framework",
                    name="framework_kind_valid",
                ),
                migrations.AlterField(
                    model_name="round",
                    name="framework",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rounds",
                        to="assessment.framework",
                    ),
                ),
                migrations.RemoveField(
                    model_name="scorecard",
                    name="framework",
                ),
                migrations.RemoveField(
                    model_name="historicaljudgement",
                    name="area",
                ),
                migrations.RemoveField(
                    model_name="historicaljudgement",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicaljudgement",
                    name="scorecard",
                ),
                migrations.RemoveConstraint(
                    model_name="judgement",
                    name="judgement_area_once",
                ),
                migrations.RemoveConstraint(
                    model_name="judgementarea",
                    name="area_key_unique",
                ),
                migrations.RemoveConstraint(
                    model_name="judgementarea",
                    name="one_overall_area_per_framework",
                ),
                migrations.RemoveConstraint(
                    model_name="judgementarea",
                    name="area_scale_valid",
                ),
                migrations.RemoveConstraint(
                    model_name="level",
                    name="level_value_unique",
                ),
                migrations.RemoveField(
                    model_name="scorecard",
                    name="updated_by",
                ),
                migrations.AlterField(
                    model_name="roundentry",
                    name="scorecard",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entry",
                        to="assessment.scorecard",
                    ),
                ),
                migrations.RemoveField(
                    model_name="challenge",
                    name="judgement",
                ),
                migrations.RemoveField(
                    model_name="challenge",
                    name="made_by",
                ),
                migrations.RemoveField(
                    model_name="framework",
                    name="created_by",
                ),
                migrations.DeleteModel(
                    name="HistoricalJudgement",
                ),
                migrations.RemoveField(
                    model_name="judgement",
                    name="area",
                ),
                migrations.RemoveField(
                    model_name="judgement",
                    name="scorecard",
                ),
                migrations.RemoveField(
                    model_name="judgementarea",
                    name="framework",
                ),
                migrations.RemoveField(
                    model_name="level",
                    name="area",
                ),
                migrations.DeleteModel(
                    name="Challenge",
                ),
                migrations.DeleteModel(
                    name="Judgement",
                ),
                migrations.DeleteModel(
                    name="Scorecard",
                ),
                migrations.DeleteModel(
                    name="Framework",
                ),
                migrations.DeleteModel(
                    name="JudgementArea",
                ),
                migrations.DeleteModel(
                    name="Level",
                ),
            ],
        ),
        migrations.RunPython(
            _relabel("priorities", "assessment"), _relabel("assessment", "priorities")
        ),
    ]
