"""Reporting periods in the council's year: every label and boundary, the old calendar-quarter
labels the import still reads, and arithmetic."""

import contextlib
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from delivery_unit.env import env_int
from priorities.indicators.periods import Frequency, PeriodError, Periods, YearBasis

MONTHLY = Periods.of(Frequency.MONTHLY)
QUARTERS = Periods.of(Frequency.QUARTERLY)
YEARS = Periods.of(Frequency.ANNUAL)
ACADEMIC_QUARTERS = Periods.of(Frequency.QUARTERLY, YearBasis.ACADEMIC)
ACADEMIC_YEARS = Periods.of(Frequency.ANNUAL, YearBasis.ACADEMIC)
CALENDAR_QUARTERS = Periods.of(Frequency.QUARTERLY, YearBasis.CALENDAR)


def test_the_reporting_year_starts_in_april_by_default():
    assert QUARTERS.first_month == 4
    assert QUARTERS.year_months == "April to March"
    assert QUARTERS.first_quarter_months == "April to June"


@pytest.mark.parametrize(
    ("scheme", "start", "code", "label", "months"),
    [
        (MONTHLY, date(2025, 4, 1), "2025-04", "Apr 2025", "April 2025"),
        (QUARTERS, date(2025, 4, 1), "2025/26 Q1", "2025/26 Q1", "April to June 2025"),
        (QUARTERS, date(2025, 7, 1), "2025/26 Q2", "2025/26 Q2", "July to September 2025"),
        (QUARTERS, date(2025, 10, 1), "2025/26 Q3", "2025/26 Q3", "October to December 2025"),
        (QUARTERS, date(2026, 1, 1), "2025/26 Q4", "2025/26 Q4", "January to March 2026"),
        (YEARS, date(2025, 4, 1), "2025/26", "2025/26", "April 2025 to March 2026"),
        (YEARS, date(1999, 4, 1), "1999/00", "1999/00", "April 1999 to March 2000"),
        (
            ACADEMIC_QUARTERS,
            date(2025, 12, 1),
            "2025/26 Q2",
            "2025/26 Q2",
            "December 2025 to February 2026",
        ),
        (ACADEMIC_YEARS, date(2025, 9, 1), "2025/26", "2025/26", "September 2025 to August 2026"),
        (CALENDAR_QUARTERS, date(2025, 1, 1), "2025 Q1", "2025 Q1", "January to March 2025"),
    ],
)
def test_each_period_is_written_read_and_bounded_the_same_way(scheme, start, code, label, months):
    assert scheme.code(start) == code
    assert scheme.label(start) == label
    assert scheme.months(start) == months
    assert scheme.parse(code) == start
    assert scheme.is_start(start)


@pytest.mark.parametrize(
    ("scheme", "day", "start", "end"),
    [
        # The year's first and last month, and Q4 ending in March.
        (QUARTERS, date(2025, 4, 1), date(2025, 4, 1), date(2025, 6, 30)),
        (QUARTERS, date(2026, 3, 31), date(2026, 1, 1), date(2026, 3, 31)),
        (QUARTERS, date(2026, 2, 14), date(2026, 1, 1), date(2026, 3, 31)),
        (YEARS, date(2025, 4, 1), date(2025, 4, 1), date(2026, 3, 31)),
        (YEARS, date(2026, 3, 31), date(2025, 4, 1), date(2026, 3, 31)),
        (YEARS, date(2026, 4, 1), date(2026, 4, 1), date(2027, 3, 31)),
        # Academic years run September to August.
        (ACADEMIC_YEARS, date(2025, 9, 1), date(2025, 9, 1), date(2026, 8, 31)),
        (ACADEMIC_YEARS, date(2026, 8, 31), date(2025, 9, 1), date(2026, 8, 31)),
        (ACADEMIC_QUARTERS, date(2026, 2, 28), date(2025, 12, 1), date(2026, 2, 28)),
        (ACADEMIC_QUARTERS, date(2024, 2, 29), date(2023, 12, 1), date(2024, 2, 29)),
        (MONTHLY, date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_boundaries(scheme, day, start, end):
    assert scheme.start(day) == start
    assert scheme.end(start) == end


def test_the_year_a_month_belongs_to():
    assert MONTHLY.year_label(date(2026, 3, 1)) == "2025/26"
    assert MONTHLY.year_label(date(2026, 4, 1)) == "2026/27"
    assert MONTHLY.year_start(date(2026, 3, 1)) == date(2025, 4, 1)
    assert ACADEMIC_YEARS.year_label(date(2026, 8, 1)) == "2025/26"
    assert CALENDAR_QUARTERS.year_label(date(2026, 8, 1)) == "2026"
    assert QUARTERS.number_in_year(date(2026, 1, 1)) == 4


def test_a_council_whose_year_starts_in_july(settings):
    settings.REPORTING_YEAR_START_MONTH = 7
    quarters = Periods.of(Frequency.QUARTERLY)
    assert quarters.code(date(2025, 7, 1)) == "2025/26 Q1"
    assert quarters.code(date(2026, 4, 1)) == "2025/26 Q4"
    assert quarters.example() == "YYYY/YY Qn, for example 2025/26 Q1 (July to September 2025)"


@pytest.mark.parametrize("value", ["0", "13", "April"])
def test_the_year_start_setting_must_be_a_month(monkeypatch, value):
    monkeypatch.setenv("REPORTING_YEAR_START_MONTH", value)
    with pytest.raises(ImproperlyConfigured, match="REPORTING_YEAR_START_MONTH"):
        env_int("REPORTING_YEAR_START_MONTH", 4, minimum=1, maximum=12)


@pytest.mark.parametrize(
    ("scheme", "text", "start", "note"),
    [
        (
            QUARTERS,
            "2024-Q4",
            date(2024, 10, 1),
            "2024-Q4 is a calendar quarter: read as 2024/25 Q3 (October to December 2024)",
        ),
        (
            QUARTERS,
            "2025-Q1",
            date(2025, 1, 1),
            "2025-Q1 is a calendar quarter: read as 2024/25 Q4 (January to March 2025)",
        ),
        (QUARTERS, "2025/26 q2", date(2025, 7, 1), ""),
        (QUARTERS, " 2025/26Q2 ", date(2025, 7, 1), ""),
        (CALENDAR_QUARTERS, "2024-Q4", date(2024, 10, 1), ""),
        (MONTHLY, "2025-4", date(2025, 4, 1), ""),
    ],
)
def test_old_calendar_quarter_labels_are_read_with_a_note(scheme, text, start, note):
    assert scheme.read(text) == (start, note)


@pytest.mark.parametrize(
    ("scheme", "text", "message"),
    [
        (MONTHLY, "2025/26 Q1", "does not fit a monthly indicator: use YYYY-MM"),
        (MONTHLY, "2025-13", "has no month 13"),
        (QUARTERS, "2025-04", "does not fit a quarterly indicator: use YYYY/YY Qn"),
        (QUARTERS, "2025/27 Q1", "is not a year: write the year it starts and the next"),
        (QUARTERS, "2025 Q1", "does not fit a quarterly indicator"),
        (QUARTERS, "2025-Q5", "does not fit"),
        (YEARS, "2025", "does not fit an annual indicator: use YYYY/YY, for example 2025/26"),
        (YEARS, "0999/00", "not a year this council reports on"),
        (
            ACADEMIC_QUARTERS,
            "2024-Q4",
            "is a calendar quarter (October to December 2024), which is not one of this "
            "indicator's quarters",
        ),
        (CALENDAR_QUARTERS, "2025/26 Q1", "does not fit"),
        (MONTHLY, "", "does not fit"),
    ],
)
def test_a_label_that_does_not_fit_says_what_was_expected(scheme, text, message):
    with pytest.raises(PeriodError, match=message.replace("(", r"\(").replace(")", r"\)")):
        scheme.read(text)


def test_parse_takes_only_the_new_labels():
    with pytest.raises(PeriodError, match="use YYYY/YY Qn"):
        QUARTERS.parse("2024-Q4")


SCHEMES = st.builds(
    Periods.of, st.sampled_from(Frequency.values), st.sampled_from(YearBasis.values)
)


# Drawing a date is slow on a busy machine: the health check would fail a correct test.
@hypothesis_settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2198, 12, 31)), SCHEMES)
def test_code_then_parse_is_a_round_trip(day, scheme):
    start = scheme.start(day)
    assert scheme.parse(scheme.code(start)) == start
    assert start <= day <= scheme.end(start)
    assert scheme.shift(scheme.shift(start, 1), -1) == start


@given(st.text(max_size=12), SCHEMES)
def test_reading_never_fails_other_than_with_a_period_error(text, scheme):
    with contextlib.suppress(PeriodError):
        scheme.read(text)


def test_arithmetic():
    assert MONTHLY.shift(date(2025, 11, 1), 3) == date(2026, 2, 1)
    assert QUARTERS.shift(date(2025, 4, 1), -1) == date(2025, 1, 1)
    assert QUARTERS.between(date(2025, 4, 1), date(2026, 3, 1)) == [
        date(2025, 4, 1),
        date(2025, 7, 1),
        date(2025, 10, 1),
        date(2026, 1, 1),
    ]


def test_last_closed_period_allows_the_grace_in_working_days():
    # October 2026 closes on Saturday the 31st; 20 working days later is Friday 27 November.
    assert MONTHLY.due(date(2026, 10, 1), 20) == date(2026, 11, 27)
    assert MONTHLY.last_closed(date(2026, 11, 27), 20) == date(2026, 9, 1)
    assert MONTHLY.last_closed(date(2026, 11, 28), 20) == date(2026, 10, 1)
    assert MONTHLY.last_closed(date(2026, 11, 2), 0) == date(2026, 10, 1)
    # 2026/27 Q2 (July to September) with 45 working days: due Wednesday 2 December.
    assert QUARTERS.due(date(2026, 7, 1), 45) == date(2026, 12, 2)
    assert QUARTERS.last_closed(date(2026, 12, 2), 45) == date(2026, 4, 1)
    assert QUARTERS.last_closed(date(2026, 12, 3), 45) == date(2026, 7, 1)
