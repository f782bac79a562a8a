"""Working days: weekdays that are not bank holidays where the council is.

The bank holidays come from the `holidays` library (the Open World Holidays Framework, kept up
to date by its maintainers with each year's announced changes, such as an extra day for a
coronation), for the nation the ``BANK_HOLIDAYS`` setting names (England by default: `GB-ENG`,
whose bank holidays are the same as Wales's). Nobody types a list of dates here.
"""

from datetime import date, timedelta
from functools import cache, lru_cache

import holidays
from django.conf import settings


@cache
def _bank_holidays(place: str) -> holidays.HolidayBase:
    country, _, subdivision = place.partition("-")
    return holidays.country_holidays(country, subdiv=subdivision or None)


def bank_holiday(day: date) -> str | None:
    """The bank holiday's name, or None on any other day."""
    return _bank_holidays(settings.BANK_HOLIDAYS).get(day)


def is_working_day(day: date) -> bool:
    return _is_working_day(settings.BANK_HOLIDAYS, day)


def _is_working_day(place: str, day: date) -> bool:
    return day.weekday() < 5 and _bank_holidays(place).get(day) is None


# Every indicator's due date and lateness is counted in working days on every page that shows a
# reading (260 indicators on the delivery report at 10x): the same few hundred (day, count)
# pairs, worked out once per process. Keyed by the place as well, whose bank holidays they skip.


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself when ``count`` is 0)."""
    return _add_working_days(settings.BANK_HOLIDAYS, day, count)


@lru_cache(maxsize=8192)
def _add_working_days(place: str, day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if _is_working_day(place, day):
            count -= 1
    return day


def working_days_after(start: date, end: date) -> int:
    """How many working days there are after ``start`` up to and including ``end``: how many
    working days late something due on ``start`` is on ``end``."""
    return _working_days_after(settings.BANK_HOLIDAYS, start, end)


@lru_cache(maxsize=8192)
def _working_days_after(place: str, start: date, end: date) -> int:
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += _is_working_day(place, day)
    return count


def supported(place: str) -> bool:
    """Whether ``place`` names a country (and subdivision) the library knows."""
    country, _, subdivision = place.partition("-")
    try:
        holidays.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError:
        return False
    return True
