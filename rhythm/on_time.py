"""Who updates on time: for each lead, service and priority, the share of data, milestones and
actions returned by their due dates, the median working days late of those that were not, and
the trend by month. It tells the unit where to spend its chasing.

What "returned on time" means for each kind of thing owed:

- **Data**: the actual for each of an indicator's last 12 periods whose data is due by today
  (``Indicator.due_on``: the grace in working days after the period closes). It is on time when
  it was first entered by its due date. An actual keeps its history (django-simple-history): the
  first historical record says when it was first entered, whatever revisions followed. A period
  with no actual at all is still owed.
- **Milestones**: milestones of each plan's current version due in the last 12 months. On time
  when marked done (its ``done_on``) by its due date; one not done is still owed.
- **Actions**: stocktake actions due in the last 12 months, dropped ones left out. On time when
  first marked done (the history's first record with status done) by its due date; one still
  open is still owed.

Working days late count weekends and bank holidays out (``delivery_unit.workdays``). The median
is of those that came in late: it says how late a late return usually is. What is still owed is
not on time and is counted apart (a figure never sent would swamp the median).

Everything owed is a ``Return`` tied to its priority: its lead is the priority's lead and its
services the priority's services (the text "Housing Demand; Temporary Accommodation" names two).
An action agreed without a priority counts for its owner. The whole council is read in four
queries whatever its size, and grouped in Python.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from delivery_unit.workdays import working_days_after
from plans.models import Milestone
from priorities.indicators.models import Actual, Indicator
from priorities.indicators.periods import Periods
from priorities.models import Priority
from stocktakes.models import Action

PERIODS = 12  # an indicator's last 12 periods of data; milestones and actions of 12 months
KINDS = {"data": "Data", "milestones": "Milestones", "actions": "Actions"}
GROUPINGS = {"lead": "Lead", "service": "Service", "priority": "Priority"}
NO_SERVICE = "No service named"
NO_LEAD = "No lead named"
NO_PRIORITY = "No priority"


@dataclass(frozen=True)
class Return:
    """One thing owed by a due date: a period's data, a milestone or an action."""

    kind: str  # a key of KINDS
    due: date
    returned: date | None  # the day it came in; None while it is still owed
    lead: str
    services: tuple[str, ...]
    priority: str
    priority_slug: str = ""
    working_days_late: int = 0

    @property
    def on_time(self) -> bool:
        return self.returned is not None and self.returned <= self.due

    @property
    def still_owed(self) -> bool:
        return self.returned is None


def returned(kind: str, due: date, on: date | None, today: date, **where) -> Return:
    """A Return, with how many working days late it came in (or is by ``today``)."""
    late = working_days_after(due, on if on is not None else today)
    return Return(kind, due, on, working_days_late=late, **where)


@dataclass
class Measure:
    """How one kind of thing was returned: how many were owed, how many came in on time, how
    late the ones that came in late were, and how many are still owed."""

    owed: int = 0
    on_time: int = 0
    still_owed: int = 0
    late_days: list[int] = field(default_factory=list)  # of those that came in late

    def add(self, item: Return) -> None:
        self.owed += 1
        if item.on_time:
            self.on_time += 1
        elif item.still_owed:
            self.still_owed += 1
        else:
            self.late_days.append(item.working_days_late)

    @classmethod
    def total(cls, measures: Iterable[Measure]) -> Measure:
        """The measures of several kinds taken together."""
        total = cls()
        for measure in measures:
            total.owed += measure.owed
            total.on_time += measure.on_time
            total.still_owed += measure.still_owed
            total.late_days += measure.late_days
        return total

    @property
    def share(self) -> Decimal | None:
        """The percentage on time, to a whole number; None when nothing was owed."""
        if not self.owed:
            return None
        return (Decimal(100 * self.on_time) / self.owed).quantize(Decimal(1), ROUND_HALF_UP)

    @property
    def median_late(self) -> Decimal | None:
        """The median working days late of those that came in late; None when none did. What
        is still owed is counted apart: a figure never sent would swamp the median."""
        if not self.late_days:
            return None
        # A median of whole days is whole or a half: 2, not 2.0; 5.5.
        return Decimal(int(statistics.median(self.late_days) * 2)) / 2


@dataclass
class Row:
    """One lead, service or priority and its measures, one per kind."""

    name: str
    link: str = ""  # the priority's slug, on a priority's row
    measures: dict[str, Measure] = field(default_factory=lambda: {k: Measure() for k in KINDS})

    @property
    def all(self) -> Measure:
        return Measure.total(self.measures.values())


def _first_day_local(moment) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _services(priority: Priority) -> tuple[str, ...]:
    return tuple(part.strip() for part in priority.services.split(";") if part.strip())


def _where(priority: Priority | None) -> dict:
    if priority is None:
        return {"lead": NO_LEAD, "services": (), "priority": NO_PRIORITY}
    lead = priority.lead
    return {
        "lead": str(lead) if lead is not None else NO_LEAD,
        "services": _services(priority),
        "priority": priority.title,
        "priority_slug": priority.slug,
    }


def data_returns(today: date) -> Iterator[Return]:
    """Each active indicator's last 12 periods whose data is due by ``today``."""
    first_entered = Actual.history.filter(id=OuterRef("pk")).order_by("history_date", "pk")
    entered: dict[tuple[int, date], date | None] = {}
    actuals = Actual.objects.filter(indicator__priority__status=Priority.Status.ACTIVE).annotate(
        first_entered=Subquery(first_entered.values("history_date")[:1])
    )
    for indicator_id, period, first, entered_at in actuals.values_list(
        "indicator_id", "period", "first_entered", "entered_at"
    ):
        entered[(indicator_id, period)] = _first_day_local(first or entered_at)
    indicators = Indicator.objects.filter(priority__status=Priority.Status.ACTIVE).select_related(
        "priority__lead"
    )
    for indicator in indicators:
        scheme: Periods = indicator.periods
        last = scheme.last_closed(today, indicator.grace_days)
        where = _where(indicator.priority)
        for back in range(PERIODS):
            period = scheme.shift(last, -back)
            if period < indicator.baseline_period:
                break
            on = entered.get((indicator.pk, period))
            yield returned("data", indicator.due_on(period), on, today, **where)


def milestone_returns(today: date, since: date) -> Iterator[Return]:
    """Milestones of the plans' current versions due from ``since`` to before ``today``."""
    milestones = (
        Milestone.objects.current()
        .filter(
            due__gte=since,
            due__lt=today,
            plan_version__plan__priority__status=Priority.Status.ACTIVE,
        )
        .select_related("plan_version__plan__priority__lead")
    )
    for milestone in milestones:
        where = _where(milestone.plan_version.plan.priority)
        yield returned("milestones", milestone.due, milestone.done_on, today, **where)


def action_returns(today: date, since: date) -> Iterator[Return]:
    """Stocktake actions due from ``since`` to before ``today``, except dropped ones."""
    first_done = Action.history.filter(id=OuterRef("pk"), status=Action.Status.DONE).order_by(
        "history_date", "pk"
    )
    actions = (
        Action.objects.filter(due_date__gte=since, due_date__lt=today)
        .exclude(status=Action.Status.DROPPED)
        .exclude(priority__status__in=[s for s in Priority.Status if s != Priority.Status.ACTIVE])
        .annotate(first_done=Subquery(first_done.values("history_date")[:1]))
        .select_related("priority__lead", "owner")
    )
    for action in actions:
        on = None
        if action.status == Action.Status.DONE:
            first_done = getattr(action, "first_done", None)
            on = _first_day_local(first_done or action.updated_at or action.created_at)
        where = _where(action.priority)
        if action.priority is None:
            where["lead"] = str(action.owner)
        yield returned("actions", action.due_date, on, today, **where)


def year_before(today: date) -> date:
    """The first day of the month eleven months before ``today``'s: 12 months with this one."""
    return Periods.monthly().shift(today.replace(day=1), -(PERIODS - 1))


def all_returns(today: date | None = None) -> list[Return]:
    """Everything owed over the last 12 periods (data) or months (milestones, actions)."""
    today = today or timezone.localdate()
    since = year_before(today)
    return [
        *data_returns(today),
        *milestone_returns(today, since),
        *action_returns(today, since),
    ]


def keys(item: Return, grouping: str) -> Iterable[tuple[str, str]]:
    """The groups a Return counts in, as (name, link) pairs: a priority with two services counts
    for both."""
    if grouping == "lead":
        return [(item.lead, "")]
    if grouping == "service":
        return [(service, "") for service in item.services] or [(NO_SERVICE, "")]
    return [(item.priority, item.priority_slug)]


def rows(returns: Iterable[Return], grouping: str) -> list[Row]:
    """One Row per lead, service or priority (``grouping``), in name order."""
    grouped: dict[str, Row] = {}
    for item in returns:
        for name, link in keys(item, grouping):
            row = grouped.setdefault(name, Row(name, link))
            row.measures[item.kind].add(item)
    return sorted(grouped.values(), key=lambda row: row.name.casefold())


# Sorting the table: by name, or by any kind's share or median.
SORTS = {"name": "Name"} | {
    f"{kind}{part}": f"{label} {words}"
    for kind, label in KINDS.items()
    for part, words in (("", "on time"), ("_late", "median working days late"))
}


def sort_rows(table: list[Row], sort: str, descending: bool) -> list[Row]:
    """Rows sorted by ``sort`` (a key of SORTS); rows with nothing to compare come last in
    either order, and ties keep name order."""
    if sort == "name":
        return sorted(table, key=lambda row: row.name.casefold(), reverse=descending)
    kind, _, late = sort.partition("_")

    def value(row: Row) -> Decimal | None:
        measure = row.measures[kind]
        return measure.median_late if late else measure.share

    present = [row for row in table if value(row) is not None]
    missing = [row for row in table if value(row) is None]
    present.sort(key=lambda row: value(row) or Decimal(0), reverse=descending)
    return present + missing


@dataclass(frozen=True)
class Month:
    month: date
    measures: dict[str, Measure]
    all: Measure


def trend(returns: Iterable[Return], today: date | None = None) -> list[Month]:
    """The last 12 months, each with what fell due in it and how much came in on time."""
    today = today or timezone.localdate()
    months = Periods.monthly().between(year_before(today), today)
    by_month: dict[date, dict[str, Measure]] = defaultdict(
        lambda: {kind: Measure() for kind in KINDS}
    )
    for item in returns:
        by_month[item.due.replace(day=1)][item.kind].add(item)
    result = []
    for month in months:
        measures = by_month[month]
        result.append(Month(month, measures, Measure.total(measures.values())))
    return result
