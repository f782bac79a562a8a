"""The forward look's events: the unit's routines gathered from every app below, as one list of
dated events, each seen only by whoever may see what it belongs to.

Sources, and who an event *concerns* (the person filter and each person's feed):

- Assessment rounds (the round's opening, its moderation, its agreement and the date its
  ratings are as at): unit staff, who rate and moderate every priority, and the lead of each
  priority in the round (who self-assesses).
- Stocktakes (the meeting, at its time where it has one): unit staff, who prepare every
  stocktake; its chairs and attendees; the leads of the priorities on its agenda and whoever is
  named to attend an item.
- Priority reviews' phases (each phase's start and end, actual where known, else planned): the
  review's lead, its team, its commissioner and the lead of the priority it reviews.
- Data due dates (each indicator's periods, due ``grace_days`` working days after they close):
  the priority's lead, its analyst and the service staff who enter its data.
- Milestones of each plan's newest version: their owner, the priority's lead and the plan's
  writers.
- Stocktake actions due: their owner.

Visibility comes from each app's ``visible_to(user)``, so that nobody sees an event of something
they may not open (a priority lead sees no stocktake, nor a round before it is agreed). Every
source is one query, whatever the number of events.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import cast

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from delivery_unit.models import Role, User
from plans.models import DeliveryPlan, Milestone
from priorities.indicators.models import Indicator
from priorities.models import Priority
from priorities.rounds.models import Round
from reviews.models import Review, ReviewPhase
from stocktakes.models import Action, Stocktake

KINDS = {
    "round": "Assessment round",
    "stocktake": "Stocktake",
    "review": "Priority review",
    "data": "Data due",
    "milestone": "Milestone",
    "action": "Action due",
}


@dataclass(frozen=True)
class Event:
    """One dated thing on the calendar. ``uid`` stays the same while the thing it stands for
    exists, whatever its date, so that a calendar client moves the event rather than adding one."""

    uid: str
    day: date
    kind: str
    title: str
    url: str
    priority: str = ""
    at: time | None = None
    detail: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class Window:
    """From the first day of ``first`` to the last day of ``last`` (both months' first days)."""

    first: date
    last: date

    @classmethod
    def around(cls, today: date) -> "Window":
        """Last month, this month and the three months after it."""
        return cls(_add_months(today.replace(day=1), -1), _add_months(today.replace(day=1), 3))

    @property
    def start(self) -> date:
        return self.first

    @property
    def end(self) -> date:
        return _add_months(self.last, 1) - timedelta(days=1)

    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = _add_months(month, 1)
        return months

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _dated(moment_field: str, window: Window) -> Q:
    """Rows whose datetime field falls in the window, in the council's time zone."""
    start = timezone.make_aware(datetime.combine(window.start, time.min))
    end = timezone.make_aware(datetime.combine(window.end + timedelta(days=1), time.min))
    return Q(**{f"{moment_field}__gte": start, f"{moment_field}__lt": end})


def _only[Q_: QuerySet](queryset: Q_, where: Q) -> Q_:
    """``queryset`` narrowed by a condition that may join many rows, without repeating any."""
    rows = queryset.model._default_manager.filter(where).values("pk")
    return cast(Q_, queryset.filter(pk__in=rows))


# Each source: what the user may see, in the window, narrowed by priority and person.


def round_events(user: User, window: Window, priority=None, person=None) -> list[Event]:
    rounds = Round.objects.visible_to(user).filter(
        Q(date__range=(window.start, window.end))
        | _dated("opened_at", window)
        | _dated("moderation_started_at", window)
        | _dated("agreed_at", window)
    )
    if priority is not None:
        rounds = _only(rounds, Q(entries__priority=priority))
    if person is not None and person.role != Role.UNIT_STAFF:
        rounds = _only(rounds, Q(entries__priority__lead=person))
    events = []
    for round_ in rounds.order_by("pk"):
        url = reverse("assessment:round", kwargs={"pk": round_.pk})
        for step, day, words in [
            ("opened", _local_day(round_.opened_at), "opens"),
            ("moderation", _local_day(round_.moderation_started_at), "goes to moderation"),
            ("agreed", _local_day(round_.agreed_at), "ratings agreed"),
            ("as-at", round_.date, "ratings as at this date"),
        ]:
            if day is not None and window.holds(day):
                title = f"{round_.name}: {words}"
                events.append(Event(f"round-{round_.pk}-{step}", day, "round", title, url))
    return events


def stocktake_events(user: User, window: Window, priority=None, person=None) -> list[Event]:
    stocktakes = Stocktake.objects.visible_to(user).filter(date__range=(window.start, window.end))
    if priority is not None:
        stocktakes = _only(stocktakes, Q(agenda__priority=priority))
    if person is not None and person.role != Role.UNIT_STAFF:
        stocktakes = _only(
            stocktakes,
            Q(chairs=person)
            | Q(attendees=person)
            | Q(agenda__priority__lead=person)
            | Q(agenda__lead_attending=person),
        )
    return [
        Event(
            f"stocktake-{stocktake.pk}",
            stocktake.date,
            "stocktake",
            stocktake.title,
            stocktake.get_absolute_url(),
            at=stocktake.start_time,
            detail=stocktake.place,
        )
        for stocktake in stocktakes.order_by("pk")
    ]


def review_events(user: User, window: Window, priority=None, person=None) -> list[Event]:
    in_window = Q()
    for name in ["planned_start", "planned_end", "actual_start", "actual_end"]:
        in_window |= Q(**{f"{name}__range": (window.start, window.end)})
    phases = ReviewPhase.objects.filter(in_window, review__in=Review.objects.visible_to(user))
    if priority is not None:
        phases = phases.filter(review__priority=priority)
    if person is not None:
        phases = phases.filter(
            review__in=Review.objects.filter(
                Q(lead=person)
                | Q(team__user=person)
                | Q(commissioned_by=person)
                | Q(priority__lead=person)
            ).values("pk")
        )
    events = []
    for phase in phases.select_related("review__priority").order_by("pk"):
        review = phase.review
        url = reverse("reviews:detail", kwargs={"pk": review.pk})
        name = phase.get_phase_display()
        starts = phase.actual_start or phase.planned_start
        ends = phase.actual_end or phase.planned_end
        for step, day, words in [("start", starts, "starts"), ("end", ends, "ends")]:
            if day is not None and window.holds(day):
                events.append(
                    Event(
                        f"review-phase-{phase.pk}-{step}",
                        day,
                        "review",
                        f"{review.title}: {name.lower()} {words}",
                        url,
                        priority=review.priority.title if review.priority else "",
                        detail="" if day in (phase.actual_start, phase.actual_end) else "Planned",
                    )
                )
    return events


def data_events(user: User, window: Window, priority=None, person=None) -> list[Event]:
    indicators = Indicator.objects.filter(
        priority__in=Priority.objects.visible_to(user).filter(status=Priority.Status.ACTIVE)
    )
    if priority is not None:
        indicators = indicators.filter(priority=priority)
    if person is not None:
        indicators = _only(
            indicators,
            Q(priority__lead=person)
            | Q(priority__analyst=person)
            | Q(priority__service_staff=person),
        )
    events = []
    for indicator in indicators.select_related("priority").order_by("code"):
        scheme = indicator.periods
        # A period's data falls due some weeks after it closes: start early enough to catch
        # every period whose due day lands in the window.
        period = scheme.start(_add_months(window.start, -12))
        while period <= window.end:
            due = indicator.due_on(period)
            if window.holds(due) and period >= indicator.baseline_period:
                events.append(
                    Event(
                        f"data-{indicator.pk}-{period:%Y-%m}",
                        due,
                        "data",
                        f"{indicator.code} data for {indicator.period_label(period)} due",
                        indicator.get_absolute_url(),
                        priority=indicator.priority.title,
                        detail=indicator.name,
                    )
                )
            period = scheme.shift(period, 1)
    return events


def milestone_events(user: User, window: Window, priority=None, person=None) -> list[Event]:
    milestones = Milestone.objects.current().filter(
        due__range=(window.start, window.end),
        plan_version__plan__in=DeliveryPlan.objects.visible_to(user),
    )
    if priority is not None:
        milestones = milestones.filter(plan_version__plan__priority=priority)
    if person is not None:
        milestones = _only(
            milestones,
            Q(owner=person)
            | Q(plan_version__plan__priority__lead=person)
            | Q(plan_version__plan__writers=person),
        )
    events, seen = [], set()
    for milestone in milestones.select_related("owner", "plan_version__plan__priority").order_by(
        "pk"
    ):
        plan = milestone.plan_version.plan
        # A plan's next version copies its milestones as new rows: the plan and the title are
        # what stays the same from version to version.
        key = f"milestone-{plan.pk}-{slugify(milestone.title)[:60]}"
        uid, number = key, 2
        while uid in seen:
            uid, number = f"{key}-{number}", number + 1
        seen.add(uid)
        owner = f"Owner: {milestone.owner}. " if milestone.owner else ""
        events.append(
            Event(
                uid,
                milestone.due,
                "milestone",
                milestone.title,
                plan.get_absolute_url(),
                priority=plan.priority.title,
                detail=f"{owner}{milestone.get_status_display()}",
            )
        )
    return events


def action_events(user: User, window: Window, priority=None, person=None) -> list[Event]:
    actions = Action.objects.visible_to(user).filter(due_date__range=(window.start, window.end))
    if priority is not None:
        actions = actions.filter(priority=priority)
    if person is not None:
        actions = actions.filter(owner=person)
    return [
        Event(
            f"action-{action.pk}",
            action.due_date,
            "action",
            str(action),
            action.get_absolute_url(),
            priority=action.priority.title if action.priority else "",
            detail=f"Owner: {action.owner}. {action.get_status_display()}",
        )
        for action in actions.select_related("owner", "priority").order_by("pk")
    ]


SOURCES = [
    round_events,
    stocktake_events,
    review_events,
    data_events,
    milestone_events,
    action_events,
]
_ORDER = {kind: index for index, kind in enumerate(KINDS)}


def gather(user: User, window: Window, *, priority=None, person=None) -> list[Event]:
    """Every event ``user`` may see in the window, narrowed to a priority and to what concerns a
    person where given, in date order (timed events after the day's all-day ones)."""
    events = [event for source in SOURCES for event in source(user, window, priority, person)]
    return sorted(
        events, key=lambda e: (e.day, e.at is not None, e.at or time.min, _ORDER[e.kind], e.title)
    )


@dataclass
class Day:
    day: date
    events: list[Event] = field(default_factory=list)


@dataclass
class Month:
    first: date
    days: list[Day]
    # The grid: weeks from Monday, with None for days of the months either side.
    weeks: list[list[Day | None]]

    @property
    def event_count(self) -> int:
        return sum(len(day.events) for day in self.days)


def by_month(events: list[Event], window: Window) -> list[Month]:
    """The events laid out month by month: the days that have events, and a grid of weeks."""
    on: dict[date, list[Event]] = {}
    for event in events:
        on.setdefault(event.day, []).append(event)
    months = []
    for first in window.months():
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
            weeks.append(
                [Day(day, on.get(day, [])) if day.month == first.month else None for day in week]
            )
        days = [day for week in weeks for day in week if day is not None and day.events]
        months.append(Month(first, days, weeks))
    return months
