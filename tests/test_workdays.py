"""Working days: weekends and the bank holidays of the council's nation skipped, from the
holidays library; and the data due dates worked out from them."""

import importlib
from datetime import date

import pytest

from delivery_unit.workdays import (
    add_working_days,
    bank_holiday,
    is_working_day,
    working_days_after,
)
from priorities.indicators.periods import Frequency, Periods


@pytest.mark.parametrize(
    ("day", "count", "due"),
    [
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April are skipped.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        (date(2026, 3, 31), 3, date(2026, 4, 7)),
        # Christmas 2026: Friday 25th, Boxing Day on the Saturday is observed on Monday 28th.
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year's Day, then the weekend
        # Christmas 2025: Thursday and Friday.
        (date(2025, 12, 24), 1, date(2025, 12, 29)),
        (date(2025, 11, 30), 20, date(2025, 12, 30)),
        (date(2026, 5, 1), 0, date(2026, 5, 1)),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(day, count, due):
    assert add_working_days(day, count) == due


def test_bank_holidays_come_from_the_library_for_the_nation_set(settings):
    assert bank_holiday(date(2026, 4, 3)) == "Good Friday"
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2027, 1, 4))
    # St Andrew's Day is a bank holiday in Scotland, not in England.
    assert is_working_day(date(2026, 11, 30))
    settings.BANK_HOLIDAYS = "GB-SCT"
    assert not is_working_day(date(2026, 11, 30))
    assert not is_working_day(date(2026, 1, 2))  # 2 January


def test_working_days_late_counts_only_working_days():
    assert working_days_after(date(2026, 4, 2), date(2026, 4, 2)) == 0
    assert working_days_after(date(2026, 4, 2), date(2026, 4, 6)) == 0  # Easter
    assert working_days_after(date(2026, 4, 2), date(2026, 4, 8)) == 2
    assert working_days_after(date(2026, 12, 23), date(2027, 1, 4)) == 5


def test_a_periods_data_is_due_the_grace_in_working_days_after_it_closes():
    months = Periods.of(Frequency.MONTHLY)
    quarters = Periods.of(Frequency.QUARTERLY)
    # March 2026 closes on Tuesday 31st: 5 working days over Easter is 9 April.
    assert months.due(date(2026, 3, 1), 5) == date(2026, 4, 9)
    # November 2026, 20 working days: Friday 25 and Monday 28 December are bank holidays.
    assert months.due(date(2026, 11, 1), 20) == date(2026, 12, 30)
    # 2026/27 Q3 (October to December) with 3 working days: New Year's Day and a weekend.
    assert quarters.due(date(2026, 10, 1), 3) == date(2027, 1, 6)
    assert quarters.last_closed(date(2027, 1, 6), 3) == date(2026, 7, 1)
    assert quarters.last_closed(date(2027, 1, 7), 3) == date(2026, 10, 1)


@pytest.mark.parametrize(
    ("calendar_days", "working_days"), [(0, 0), (1, 1), (7, 5), (10, 7), (20, 14), (30, 21)]
)
def test_a_grace_in_calendar_days_becomes_the_working_days_it_spans(calendar_days, working_days):
    migration = importlib.import_module("priorities.migrations.0014_grace_in_working_days")
    assert migration.working(calendar_days) == working_days
