"""Reporting periods: a month, a calendar quarter or a calendar year, stored as its first day.

Written as `2025-04` (monthly), `2025-Q1` (quarterly: January to March) and `2025` (annual), in
imports, exports and on screen. Quarters and years are calendar ones: the label says exactly which
months it covers, whatever a council's financial year.
"""

import re
from datetime import date, timedelta

from django.db import models


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
_PATTERNS = {
    Frequency.MONTHLY: (re.compile(r"^(\d{4})-(\d{2})$"), "YYYY-MM, for example 2025-04"),
    Frequency.QUARTERLY: (re.compile(r"^(\d{4})-Q([1-4])$"), "YYYY-Qn, for example 2025-Q1"),
    Frequency.ANNUAL: (re.compile(r"^(\d{4})$"), "YYYY, for example 2025"),
}


class PeriodError(ValueError):
    pass


def parse_period(text: str, frequency: str) -> date:
    """The first day of the period that ``text`` names, or PeriodError saying what was expected."""
    pattern, example = _PATTERNS[Frequency(frequency)]
    match = pattern.match(text.strip())
    if not match:
        kind = Frequency(frequency).label.lower()
        article = "an" if kind[0] in "aeiou" else "a"
        raise PeriodError(f"Period {text!r} does not fit {article} {kind} indicator: use {example}")
    year = int(match[1])
    if frequency == Frequency.MONTHLY:
        month = int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"Period {text!r} has no month {month}")
    elif frequency == Frequency.QUARTERLY:
        month = (int(match[2]) - 1) * 3 + 1
    else:
        month = 1
    if not 1900 <= year <= 2200:
        raise PeriodError(f"Period {text!r} is not a year this council reports on")
    return date(year, month, 1)


def format_period(start: date, frequency: str) -> str:
    if frequency == Frequency.MONTHLY:
        return f"{start:%Y-%m}"
    if frequency == Frequency.QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}"


def label_period(start: date, frequency: str) -> str:
    """The period as a person reads it: "Apr 2025", "Q1 2025", "2025"."""
    if frequency == Frequency.MONTHLY:
        return f"{start:%b %Y}"
    if frequency == Frequency.QUARTERLY:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return f"{start.year}"


def period_start(day: date, frequency: str) -> date:
    """The first day of the period that contains ``day``."""
    step = _MONTHS[Frequency(frequency)]
    return date(day.year, ((day.month - 1) // step) * step + 1, 1)


def shift(start: date, frequency: str, count: int) -> date:
    """The period ``count`` periods after (or before, if negative) ``start``."""
    months = start.year * 12 + (start.month - 1) + count * _MONTHS[Frequency(frequency)]
    return date(months // 12, months % 12 + 1, 1)


def period_end(start: date, frequency: str) -> date:
    return shift(start, frequency, 1) - timedelta(days=1)


def periods_between(first: date, last: date, frequency: str) -> list[date]:
    """Every period from ``first`` to ``last``, both included."""
    periods, current = [], period_start(first, frequency)
    while current <= last:
        periods.append(current)
        current = shift(current, frequency, 1)
    return periods


def last_closed_period(today: date, frequency: str, grace_days: int) -> date:
    """The latest period whose data should be in by ``today``: it ended more than
    ``grace_days`` ago."""
    current = shift(period_start(today, frequency), frequency, -1)
    while period_end(current, frequency) + timedelta(days=grace_days) >= today:
        current = shift(current, frequency, -1)
    return current


def not_ended(start: date, frequency: str, today: date) -> str:
    """Why an actual for the period from ``start`` cannot be entered on ``today``, or "" when it
    can: a period's figure is known only once the period has ended, and a figure typed in the
    middle of a month would count as the month's result."""
    end = period_end(start, frequency)
    if end < today:
        return ""
    closes = end + timedelta(days=1)
    return (
        f"{label_period(start, frequency)} has not ended yet: enter its actual from "
        f"{closes.day} {closes:%B %Y}, when the period closes"
    )
