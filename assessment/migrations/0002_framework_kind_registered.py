from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("priorities", "0008_assessment_engine_moves_out"),  # the table is renamed there
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="framework",
            name="framework_kind_valid",
        ),
        migrations.AddConstraint(
            model_name="framework",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", ""), _negated=True), name="framework_kind_given"
            ),
        ),
    ]
