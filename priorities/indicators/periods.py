"""Reporting periods: every period's label and boundaries, in the council's own year.

This module alone says how a period is written and which months it covers; pages, charts, the
grid, imports, exports and the pack all ask it. A period is stored as its first day.

- Monthly: `2025-04` (shown as "Apr 2025").
- Quarterly: the quarters of the indicator's year, `2025/26 Q1`. In the council's reporting year
  (``REPORTING_YEAR_START_MONTH``, April by default) Q1 is April to June and Q4 ends in March.
- Annual: the year itself, `2025/26` (April 2025 to March 2026).

An indicator runs on the council's reporting year, on the academic year (September to August)
where its data does, or, for data kept from before the council's year was known and not yet
confirmed, on the calendar year (`2025 Q1` is January to March, `2025` is January to December).
The import also reads the old calendar-quarter labels (`2024-Q4`, October to December 2024) where
they name one of the indicator's quarters, and says which months it read them as.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models

from delivery_unit.workdays import add_working_days

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ACADEMIC_YEAR_START_MONTH = 9


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class YearBasis(models.TextChoices):
    REPORTING = "reporting", "The council's reporting year"
    ACADEMIC = "academic", "The academic year (September to August)"
    CALENDAR = "calendar", "The calendar year (January to December)"


_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
_MONTHLY = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTERLY = re.compile(r"^(\d{4})(?:/(\d{2}))?(-|\s*)Q([1-4])$", re.IGNORECASE)
_ANNUAL = re.compile(r"^(\d{4})(?:/(\d{2}))?$")
_FIRST_YEAR, _LAST_YEAR = 1900, 2200


class PeriodError(ValueError):
    pass


def reporting_year_start_month() -> int:
    return settings.REPORTING_YEAR_START_MONTH


def first_month_of(year: str) -> int:
    """The month a year of this basis starts in."""
    if year == YearBasis.ACADEMIC:
        return ACADEMIC_YEAR_START_MONTH
    if year == YearBasis.CALENDAR:
        return 1
    return reporting_year_start_month()


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _from_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_span(first: date, last: date) -> str:
    """ "April to June 2025", "December 2025 to February 2026", "April 2025"."""
    if first == last:
        return f"{MONTH_NAMES[first.month - 1]} {first.year}"
    if first.year == last.year:
        return f"{MONTH_NAMES[first.month - 1]} to {MONTH_NAMES[last.month - 1]} {last.year}"
    return (
        f"{MONTH_NAMES[first.month - 1]} {first.year} to {MONTH_NAMES[last.month - 1]} {last.year}"
    )


@dataclass(frozen=True)
class Periods:
    """The periods of one frequency in a year that starts in ``first_month``: their labels,
    boundaries and arithmetic."""

    frequency: str
    first_month: int = 1

    @classmethod
    def of(cls, frequency: str, year: str = YearBasis.REPORTING) -> "Periods":
        return cls(Frequency(frequency), first_month_of(year))

    @classmethod
    def monthly(cls) -> "Periods":
        return cls(Frequency.MONTHLY, 1)

    @property
    def step(self) -> int:
        return _MONTHS[Frequency(self.frequency)]

    @property
    def is_calendar(self) -> bool:
        return self.first_month == 1

    # Boundaries

    def year_start(self, day: date) -> date:
        """The first day of the year (of this basis) that ``day`` falls in."""
        year = day.year if day.month >= self.first_month else day.year - 1
        return date(year, self.first_month, 1)

    def start(self, day: date) -> date:
        """The first day of the period that contains ``day``."""
        offset = (_month_index(day) - _month_index(self.year_start(day))) // self.step
        return _from_index(_month_index(self.year_start(day)) + offset * self.step)

    def is_start(self, day: date) -> bool:
        return day.day == 1 and self.start(day) == day

    def shift(self, start: date, count: int) -> date:
        """The period ``count`` periods after (or before, if negative) ``start``."""
        return _from_index(_month_index(start) + count * self.step)

    def end(self, start: date) -> date:
        """The last day of the period."""
        return self.shift(start, 1) - timedelta(days=1)

    def last_month(self, start: date) -> date:
        return _from_index(_month_index(start) + self.step - 1)

    def between(self, first: date, last: date) -> list[date]:
        """Every period from the one holding ``first`` to ``last``, both included."""
        periods, current = [], self.start(first)
        while current <= last:
            periods.append(current)
            current = self.shift(current, 1)
        return periods

    def number_in_year(self, start: date) -> int:
        """1 for the year's first period (Q1, the first month), 2 for the next..."""
        return (_month_index(start) - _month_index(self.year_start(start))) // self.step + 1

    # Words

    def year_label(self, day: date) -> str:
        """The year ``day`` falls in: "2025/26", or "2025" for a calendar year."""
        first = self.year_start(day).year
        return str(first) if self.is_calendar else f"{first}/{(first + 1) % 100:02d}"

    def code(self, start: date) -> str:
        """The period as it is written in files and typed: `2025-04`, `2025/26 Q1`, `2025/26`."""
        if self.frequency == Frequency.MONTHLY:
            return f"{start:%Y-%m}"
        if self.frequency == Frequency.QUARTERLY:
            return f"{self.year_label(start)} Q{self.number_in_year(start)}"
        return self.year_label(start)

    def label(self, start: date) -> str:
        """The period as people read it: "Apr 2025", "2025/26 Q1", "2025/26"."""
        if self.frequency == Frequency.MONTHLY:
            return f"{start:%b %Y}"
        return self.code(start)

    def months(self, start: date) -> str:
        """The months the period covers, in words: "April to June 2025"."""
        return month_span(start, self.last_month(start))

    @property
    def year_months(self) -> str:
        """ "April to March"."""
        last = (self.first_month + 10) % 12 + 1
        return f"{MONTH_NAMES[self.first_month - 1]} to {MONTH_NAMES[last - 1]}"

    @property
    def first_quarter_months(self) -> str:
        """ "April to June"."""
        last = (self.first_month + 1) % 12 + 1
        return f"{MONTH_NAMES[self.first_month - 1]} to {MONTH_NAMES[last - 1]}"

    def example(self) -> str:
        """How to write a period, with an example and, for a quarter or year, its months."""
        if self.frequency == Frequency.MONTHLY:
            return "YYYY-MM, for example 2025-04"
        sample = self.start(date(2025, self.first_month, 1))
        if self.frequency == Frequency.QUARTERLY:
            pattern = "YYYY Qn" if self.is_calendar else "YYYY/YY Qn"
        else:
            pattern = "YYYY" if self.is_calendar else "YYYY/YY"
        return f"{pattern}, for example {self.code(sample)} ({self.months(sample)})"

    # Reading

    def parse(self, text: str) -> date:
        """The first day of the period that ``text`` names, or PeriodError saying what was
        expected. Only this scheme's own labels: see ``read`` for the import's old ones."""
        start, note = self.read(text)
        if note:
            raise self._unfit(text.strip())
        return start

    def read(self, text: str) -> tuple[date, str]:
        """As ``parse``, but also reading an old calendar-quarter label (`2024-Q4`) where it
        names one of this scheme's quarters: the start and a note of how it was read ("" for a
        label of this scheme)."""
        text = text.strip()
        if self.frequency == Frequency.MONTHLY:
            return self._read_month(text), ""
        pattern = _QUARTERLY if self.frequency == Frequency.QUARTERLY else _ANNUAL
        match = pattern.match(text)
        if not match:
            raise self._unfit(text)
        year = self._year(text, match[1])
        quarter = int(match[4]) if self.frequency == Frequency.QUARTERLY else 1
        if match[2] is not None:  # a reporting or academic year: 2025/26
            if self.is_calendar:
                raise self._unfit(text)
            if int(match[2]) != (year + 1) % 100:
                raise PeriodError(
                    f"Period {text!r} is not a year: write the year it starts and the next, "
                    f"like {year}/{(year + 1) % 100:02d}"
                )
            return self.shift(date(year, self.first_month, 1), quarter - 1), ""
        if self.is_calendar:
            return date(year, (quarter - 1) * 3 + 1, 1), ""
        if self.frequency == Frequency.QUARTERLY and match[3] == "-":
            return self._read_calendar_quarter(text, year, quarter)
        raise self._unfit(text)

    def _read_month(self, text: str) -> date:
        match = _MONTHLY.match(text)
        if not match:
            raise self._unfit(text)
        year, month = self._year(text, match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"Period {text!r} has no month {month}")
        return date(year, month, 1)

    def _read_calendar_quarter(self, text: str, year: int, quarter: int) -> tuple[date, str]:
        start = date(year, (quarter - 1) * 3 + 1, 1)
        months = month_span(start, _from_index(_month_index(start) + 2))
        if not self.is_start(start):
            raise PeriodError(
                f"Period {text!r} is a calendar quarter ({months}), which is not one of this "
                f"indicator's quarters: use {self.example()}"
            )
        return start, f"{text} is a calendar quarter: read as {self.code(start)} ({months})"

    def _year(self, text: str, digits: str) -> int:
        year = int(digits)
        if not _FIRST_YEAR <= year < _LAST_YEAR:
            raise PeriodError(f"Period {text!r} is not a year this council reports on")
        return year

    def _unfit(self, text: str) -> PeriodError:
        kind = Frequency(self.frequency).label.lower()
        article = "an" if kind[0] in "aeiou" else "a"
        return PeriodError(
            f"Period {text!r} does not fit {article} {kind} indicator: use {self.example()}"
        )

    # Due dates

    def due(self, start: date, grace_days: int) -> date:
        """The day the period's data is due: ``grace_days`` working days after it closes
        (weekends and bank holidays skipped)."""
        return add_working_days(self.end(start), grace_days)

    def last_closed(self, today: date, grace_days: int) -> date:
        """The latest period whose data should be in by ``today``: its due day has passed."""
        current = self.shift(self.start(today), -1)
        while self.due(current, grace_days) >= today:
            current = self.shift(current, -1)
        return current
