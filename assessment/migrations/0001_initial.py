import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import assessment.kinds


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("priorities", "0007_remove_rating"),
    ]

    # The engine's models move here from the priorities app. This migration only tells Django's
    # state that they are here now; their tables (and rows) are already in the database and are
    # renamed from priorities_* to assessment_* by priorities 0008, which also deletes them from
    # the priorities app's state once plans and rounds point here.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Judgement",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("level", models.CharField(blank=True, max_length=20)),
                        ("rationale", models.TextField(blank=True)),
                        ("change_reason", models.TextField(blank=True)),
                    ],
                ),
                migrations.CreateModel(
                    name="Framework",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(choices=assessment.kinds.kind_choices, max_length=20),
                        ),
                        ("number", models.PositiveIntegerField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "note",
                            models.TextField(
                                blank=True, help_text="What changed from the version before."
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="Challenge",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("challenge", "Challenged in moderation"),
                                    ("amendment", "Amended after agreement"),
                                ],
                                default="challenge",
                                max_length=20,
                            ),
                        ),
                        ("original_level", models.CharField(blank=True, max_length=20)),
                        ("moderated_level", models.CharField(max_length=20)),
                        ("reason", models.TextField()),
                        ("made_at", models.DateTimeField()),
                        (
                            "made_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "judgement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="challenges",
                                to="assessment.judgement",
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="JudgementArea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.SlugField(max_length=60)),
                        ("name", models.CharField(max_length=200)),
                        ("description", models.TextField(blank=True)),
                        (
                            "questions",
                            models.TextField(blank=True, help_text="Sub-questions, one a line."),
                        ),
                        (
                            "scale",
                            models.CharField(
                                choices=[
                                    ("likelihood", "Red, Amber-red, Amber-green, Green"),
                                    ("challenge", "Low, Medium, High, Very high"),
                                    ("stage", "Stage 1 to 4"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("is_overall", models.BooleanField(default=False)),
                        ("position", models.PositiveIntegerField()),
                        (
                            "framework",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="areas",
                                to="assessment.framework",
                            ),
                        ),
                    ],
                ),
                migrations.AddField(
                    model_name="judgement",
                    name="area",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessment.judgementarea",
                    ),
                ),
                migrations.CreateModel(
                    name="Level",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("value", models.CharField(max_length=20)),
                        ("label", models.CharField(max_length=60)),
                        (
                            "guidance",
                            models.TextField(blank=True, help_text="What this level looks like."),
                        ),
                        ("position", models.PositiveSmallIntegerField()),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="levels",
                                to="assessment.judgementarea",
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="Scorecard",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("updated_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "framework",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="assessment.framework",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                ),
                migrations.AddField(
                    model_name="judgement",
                    name="scorecard",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="judgements",
                        to="assessment.scorecard",
                    ),
                ),
                migrations.CreateModel(
                    name="HistoricalJudgement",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("level", models.CharField(blank=True, max_length=20)),
                        ("rationale", models.TextField(blank=True)),
                        ("change_reason", models.TextField(blank=True)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
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
                            "area",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="assessment.judgementarea",
                            ),
                        ),
                        (
                            "scorecard",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="assessment.scorecard",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical judgement",
                        "verbose_name_plural": "historical judgements",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name="framework",
                    constraint=models.UniqueConstraint(
                        fields=("kind", "number"), name="framework_version_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="framework",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("kind__in", ["priority", "plan"])),
                        name="framework_kind_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="challenge",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("reason", ""), _negated=True),
                        name="challenge_has_reason",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="challenge",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("kind__in", ["challenge", "amendment"])),
                        name="challenge_kind_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="judgementarea",
                    constraint=models.UniqueConstraint(
                        fields=("framework", "key"), name="area_key_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="judgementarea",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("is_overall", True)),
                        fields=("framework",),
                        name="one_overall_area_per_framework",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="judgementarea",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("scale__in", ["likelihood", "challenge", "stage"])),
                        name="area_scale_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="level",
                    constraint=models.UniqueConstraint(
                        fields=("area", "value"), name="level_value_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="judgement",
                    constraint=models.UniqueConstraint(
                        fields=("scorecard", "area"), name="judgement_area_once"
                    ),
                ),
            ]
        ),
    ]
