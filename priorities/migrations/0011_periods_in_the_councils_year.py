"""Quarters and years move from the calendar to the council's reporting year.

A period is stored as its first day, so a value stays against the same months whatever the
period is called. What moves is the label: a calendar quarter that is one of the reporting year's
quarters (with an April year, 2024-Q4, October to December 2024, is 2024/25 Q3) is now written
that way, in the trajectory revisions that recorded periods by their labels.

An indicator whose quarters or years are not the reporting year's (a calendar year when the year
starts in April; calendar quarters when it starts in, say, May) is not shifted: it keeps its
months on the calendar year and is flagged for the unit to confirm its periods.

Self-contained on purpose: the labels are worked out here, not by the application's periods
module, so that later changes to that module cannot change what this migration did.
"""

import re
from datetime import date

from django.conf import settings
from django.db import migrations

_STEP = {"quarterly": 3, "annual": 12}
_OLD_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_NEW_QUARTER = re.compile(r"^(\d{4})(?:/\d{2})? Q([1-4])$")


def _fits(periods: set[date], step: int, first_month: int) -> bool:
    return all((period.month - first_month) % step == 0 for period in periods)


def _new_quarter(start: date, first_month: int) -> str:
    year = start.year if start.month >= first_month else start.year - 1
    number = (start.month - first_month) % 12 // 3 + 1
    label = str(year) if first_month == 1 else f"{year}/{(year + 1) % 100:02d}"
    return f"{label} Q{number}"


def _old_to_new(code: str, first_month: int) -> str:
    match = _OLD_QUARTER.match(code)
    if not match:
        return code
    start = date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1)
    return _new_quarter(start, first_month)


def _new_to_old(code: str, first_month: int) -> str:
    match = _NEW_QUARTER.match(code)
    if not match:
        return code
    months = int(match[1]) * 12 + first_month - 1 + (int(match[2]) - 1) * 3
    start = date(months // 12, months % 12 + 1, 1)
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def _relabel(revisions, convert) -> None:
    for revision in revisions:
        before = {convert(code): value for code, value in revision.before.items()}
        after = {convert(code): value for code, value in revision.after.items()}
        if before != revision.before or after != revision.after:
            revision.before, revision.after = before, after
            revision.save(update_fields=["before", "after"])


def to_the_councils_year(apps, schema_editor) -> None:
    Indicator = apps.get_model("priorities", "Indicator")
    reporting = settings.REPORTING_YEAR_START_MONTH
    for indicator in Indicator.objects.exclude(frequency="monthly").order_by("pk"):
        periods = {indicator.baseline_period, indicator.target_period}
        periods |= set(indicator.actuals.values_list("period", flat=True))
        periods |= set(indicator.trajectory.values_list("period", flat=True))
        if _fits(periods, _STEP[indicator.frequency], reporting):
            indicator.year, first_month = "reporting", reporting
        else:
            indicator.year, indicator.periods_to_confirm, first_month = "calendar", True, 1
        indicator.save(update_fields=["year", "periods_to_confirm"])
        if indicator.frequency == "quarterly":
            _relabel(
                indicator.trajectory_revisions.all(),
                lambda code, first=first_month: _old_to_new(code, first),
            )


def to_calendar_labels(apps, schema_editor) -> None:
    Indicator = apps.get_model("priorities", "Indicator")
    reporting = settings.REPORTING_YEAR_START_MONTH
    for indicator in Indicator.objects.filter(frequency="quarterly").order_by("pk"):
        first_month = {"reporting": reporting, "academic": 9}.get(indicator.year, 1)
        _relabel(
            indicator.trajectory_revisions.all(),
            lambda code, first=first_month: _new_to_old(code, first),
        )


class Migration(migrations.Migration):
    dependencies = [("priorities", "0010_councils_year_and_kinds_of_indicator")]

    operations = [migrations.RunPython(to_the_councils_year, to_calendar_labels)]
