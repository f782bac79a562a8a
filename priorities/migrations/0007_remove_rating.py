from django.db import migrations


class Migration(migrations.Migration):
    """The foundation's single ratings are now agreed rounds (see 0006); their table goes."""

    dependencies = [
        ("priorities", "0006_default_framework"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="rating",
            name="priorities__priorit_6911ff_idx",
        ),
        migrations.RemoveConstraint(
            model_name="rating",
            name="rating_likelihood_valid",
        ),
        migrations.RemoveConstraint(
            model_name="rating",
            name="rating_rationale_not_empty",
        ),
        migrations.RemoveField(
            model_name="rating",
            name="priority",
        ),
        migrations.RemoveField(
            model_name="rating",
            name="rated_by",
        ),
        migrations.DeleteModel(
            name="Rating",
        ),
    ]
