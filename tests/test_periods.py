"""Reporting periods: parsing, formatting and arithmetic for months, quarters and years."""

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from priorities.indicators.periods import (
    Frequency,
    PeriodError,
    format_period,
    label_period,
    last_closed_period,
    parse_period,
    period_end,
    period_start,
    periods_between,
    shift,
)


@pytest.mark.parametrize(
    ("text", "frequency", "start"),
    [
        ("2025-04", Frequency.MONTHLY, date(2025, 4, 1)),
        (" 2025-12 ", Frequency.MONTHLY, date(2025, 12, 1)),
        ("2025-Q1", Frequency.QUARTERLY, date(2025, 1, 1)),
        ("2025-Q4", Frequency.QUARTERLY, date(2025, 10, 1)),
        ("2025", Frequency.ANNUAL, date(2025, 1, 1)),
    ],
)
def test_parse_period(text, frequency, start):
    assert parse_period(text, frequency) == start


@pytest.mark.parametrize(
    ("text", "frequency", "message"),
    [
        ("2025-Q1", Frequency.MONTHLY, "does not fit a monthly indicator: use YYYY-MM"),
        ("2025-04", Frequency.QUARTERLY, "does not fit a quarterly indicator"),
        ("2025-13", Frequency.MONTHLY, "has no month 13"),
        ("2025-Q5", Frequency.QUARTERLY, "does not fit"),
        ("25", Frequency.ANNUAL, "does not fit an annual"),
        ("0999", Frequency.ANNUAL, "not a year this council reports on"),
        ("", Frequency.MONTHLY, "does not fit"),
    ],
)
def test_parse_period_says_what_was_expected(text, frequency, message):
    with pytest.raises(PeriodError, match=message.replace("(", r"\(")):
        parse_period(text, frequency)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)),
    st.sampled_from(Frequency.values),
)
def test_format_then_parse_is_a_round_trip(day, frequency):
    start = period_start(day, frequency)
    assert parse_period(format_period(start, frequency), frequency) == start
    assert start <= day <= period_end(start, frequency)


@given(st.text(max_size=12), st.sampled_from(Frequency.values))
def test_parse_period_never_fails_other_than_with_a_period_error(text, frequency):
    with contextlib.suppress(PeriodError):
        parse_period(text, frequency)


def test_labels_and_arithmetic():
    assert label_period(date(2025, 4, 1), Frequency.MONTHLY) == "Apr 2025"
    assert label_period(date(2025, 7, 1), Frequency.QUARTERLY) == "Q3 2025"
    assert format_period(date(2025, 7, 1), Frequency.QUARTERLY) == "2025-Q3"
    assert shift(date(2025, 11, 1), Frequency.MONTHLY, 3) == date(2026, 2, 1)
    assert shift(date(2025, 1, 1), Frequency.QUARTERLY, -1) == date(2024, 10, 1)
    assert period_end(date(2024, 2, 1), Frequency.MONTHLY) == date(2024, 2, 29)
    assert periods_between(date(2025, 1, 1), date(2025, 12, 1), Frequency.QUARTERLY) == [
        date(2025, 1, 1),
        date(2025, 4, 1),
        date(2025, 7, 1),
        date(2025, 10, 1),
    ]


def test_last_closed_period_allows_the_grace_days():
    # 29 November: October closed on the 31st; with 30 days' grace it is not due until 30 Nov.
    assert last_closed_period(date(2026, 11, 29), Frequency.MONTHLY, 30) == date(2026, 9, 1)
    assert last_closed_period(date(2026, 12, 1), Frequency.MONTHLY, 30) == date(2026, 10, 1)
    assert last_closed_period(date(2026, 11, 29), Frequency.MONTHLY, 0) == date(2026, 10, 1)
    assert last_closed_period(date(2026, 11, 29), Frequency.QUARTERLY, 45) == date(2026, 7, 1)
