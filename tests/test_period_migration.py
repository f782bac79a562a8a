"""The data migration that moved quarters and years from the calendar to the council's reporting
year: values stay against the same months; what cannot map one to one is flagged, not shifted.
(tests/test_migrate_from_release.py runs it on the released demo.)"""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from priorities.indicators.models import Indicator, TrajectoryRevision, record_actual

migration = importlib.import_module("priorities.migrations.0011_periods_in_the_councils_year")


def make(priority, code, frequency, periods, **extra) -> Indicator:
    indicator = Indicator.objects.create(
        priority=priority,
        code=code,
        name=f"Indicator {code}",
        direction="higher",
        frequency=frequency,
        baseline_value=Decimal(1),
        baseline_period=periods[0],
        target_value=Decimal(2),
        target_period=periods[-1],
        **extra,
    )
    return indicator


def enter(indicator, by, periods) -> None:
    for number, period in enumerate(periods, start=1):
        record_actual(indicator, period, value=Decimal(number), by=by, version=None)


@pytest.fixture
def calendar_years(priority, unit_staff) -> Indicator:
    years = [date(2023, 1, 1), date(2024, 1, 1), date(2026, 1, 1)]
    indicator = make(priority, "AN-01", "annual", years)
    enter(indicator, unit_staff, years[:2])
    return indicator


@pytest.fixture
def calendar_quarters(priority, unit_staff) -> Indicator:
    quarters = [date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1), date(2026, 1, 1)]
    indicator = make(priority, "QU-01", "quarterly", quarters)
    enter(indicator, unit_staff, quarters[:3])
    TrajectoryRevision.objects.create(
        indicator=indicator,
        changed_by=unit_staff,
        reason="Agreed",
        before={},
        after={"2024-Q3": "1", "2024-Q4": "1.5", "2025-Q1": "2"},
    )
    return indicator


def actuals(indicator) -> dict:
    return dict(indicator.actuals.values_list("period", "value"))


def test_calendar_quarters_that_are_reporting_quarters_are_relabelled(calendar_quarters):
    before = actuals(calendar_quarters)
    migration.to_the_councils_year(apps, None)
    calendar_quarters.refresh_from_db()
    assert (calendar_quarters.year, calendar_quarters.periods_to_confirm) == ("reporting", False)
    assert actuals(calendar_quarters) == before
    revision = calendar_quarters.trajectory_revisions.get()
    assert revision.after == {"2024/25 Q2": "1", "2024/25 Q3": "1.5", "2024/25 Q4": "2"}
    assert calendar_quarters.period_label(date(2025, 1, 1)) == "2024/25 Q4"

    migration.to_calendar_labels(apps, None)
    revision.refresh_from_db()
    assert revision.after == {"2024-Q3": "1", "2024-Q4": "1.5", "2025-Q1": "2"}


def test_calendar_years_keep_their_months_and_are_flagged(calendar_years, client_for, unit_staff):
    before = actuals(calendar_years)
    migration.to_the_councils_year(apps, None)
    calendar_years.refresh_from_db()
    assert (calendar_years.year, calendar_years.periods_to_confirm) == ("calendar", True)
    assert actuals(calendar_years) == before
    assert calendar_years.period_label(date(2024, 1, 1)) == "2024"

    client = client_for(unit_staff)
    page = client.get(calendar_years.get_absolute_url()).content.decode()
    assert 'id="periods-to-confirm"' in page
    assert "calendar years (January to December)" in page

    edit = client.get(reverse("priorities:indicator_edit", args=[calendar_years.code]))
    data = {
        name: value
        for name, value in edit.context["form"].initial.items()
        if value is not None and name != "periods_confirmed"
    }
    data |= {"periods_confirmed": "on", "version": calendar_years.version}
    response = client.post(reverse("priorities:indicator_edit", args=[calendar_years.code]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    calendar_years.refresh_from_db()
    assert (calendar_years.year, calendar_years.periods_to_confirm) == ("calendar", False)
    page = client.get(calendar_years.get_absolute_url()).content.decode()
    assert 'id="periods-to-confirm"' not in page


def test_quarters_that_are_not_the_councils_are_flagged_not_shifted(calendar_quarters, settings):
    settings.REPORTING_YEAR_START_MONTH = 5  # a year from May: its quarters are not calendar ones
    before = actuals(calendar_quarters)
    migration.to_the_councils_year(apps, None)
    calendar_quarters.refresh_from_db()
    assert (calendar_quarters.year, calendar_quarters.periods_to_confirm) == ("calendar", True)
    assert actuals(calendar_quarters) == before
    assert calendar_quarters.trajectory_revisions.get().after == {
        "2024 Q3": "1",
        "2024 Q4": "1.5",
        "2025 Q1": "2",
    }
    assert calendar_quarters.period_label(date(2024, 10, 1)) == "2024 Q4"


def test_monthly_indicators_are_left_alone(indicator):
    migration.to_the_councils_year(apps, None)
    indicator.refresh_from_db()
    assert (indicator.year, indicator.periods_to_confirm) == ("reporting", False)
