"""Load the default delivery plan criteria (see ``plans.default_criteria``)."""

from django.db import migrations

from plans import default_criteria


def load_plan_criteria(apps, schema_editor):
    Framework = apps.get_model("priorities", "Framework")
    if Framework.objects.filter(kind="plan").exists():
        return
    default_criteria.load(
        Framework,
        apps.get_model("priorities", "JudgementArea"),
        apps.get_model("priorities", "Level"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_version_scorecard"),
        ("priorities", "0006_default_framework"),
    ]

    operations = [migrations.RunPython(load_plan_criteria, migrations.RunPython.noop)]
