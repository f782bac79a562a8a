"""Each indicator's grace, counted until now in calendar days after its period closed, becomes the
working days it spans: five in every seven, rounded (the released default of 30 days becomes 21
working days, about the same due date; a grace of a day or more stays at least one). From here
the grace is a count of working days (weekends and bank holidays skipped), as the form says."""

from django.db import migrations


def working(days: int) -> int:
    return max(round(days * 5 / 7), 1) if days else 0


def calendar(days: int) -> int:
    return round(days * 7 / 5)


def _convert(apps, convert) -> None:
    Indicator = apps.get_model("priorities", "Indicator")
    for indicator in Indicator.objects.only("pk", "grace_days"):
        grace = convert(indicator.grace_days)
        if grace != indicator.grace_days:
            Indicator.objects.filter(pk=indicator.pk).update(grace_days=grace)


def to_working_days(apps, schema_editor) -> None:
    _convert(apps, working)


def to_calendar_days(apps, schema_editor) -> None:
    _convert(apps, calendar)


class Migration(migrations.Migration):
    dependencies = [("priorities", "0013_link_cabinet_members")]

    operations = [migrations.RunPython(to_working_days, to_calendar_days)]
