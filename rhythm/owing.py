"""What each person owes, and when: one list gathered from every app (see docs/owing.md).

Six kinds of thing are owed, each by a person and by a date:

- ``data``: an indicator's figure for a period that has ended and has no actual yet, owed by
  whoever enters the indicator's data under the priorities app's rules (the priority's lead and
  the service staff named on it), due ``grace_days`` working days after the period closes
  (``Periods.due``). As ``Indicator.reading`` counts it: the periods after the latest actual
  (from the baseline period when there is none); a gap behind a later figure is not chased.
- ``milestone``: a milestone of a plan's newest version that is not done, owed by its owner, or
  by the plan's writers and the priority's lead when it has none; due on its date.
- ``risk``: a plan's open risks, reviewed once a month (risks have no date of their own): owed
  by the priority's lead and the plan's writers, due on the month's last working day, and done
  for the month once any of the plan's open risks has been added or changed in it.
- ``self_assessment``: a lead's self-assessment of their priority in an open round, due on the
  round's date or five working days after it opened, whichever is later.
- ``action``: an open stocktake action, owed by its owner, due on its date.
- ``recommendation``: an open recommendation of a review that has reported (follow-up or closed),
  owed by its owner, due on its date; one that became an action is owed as that action.

Only active priorities owe data, milestones, risks and self-assessments; deactivated people owe
nothing. Whatever the council's size, the list takes a fixed number of queries.
"""

import datetime
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from delivery_unit.models import User
from delivery_unit.workdays import add_working_days, is_working_day, working_days_after
from plans.models import DeliveryPlan, Milestone, Risk
from priorities.indicators.grid import MONTHS, until_for
from priorities.indicators.models import Indicator
from priorities.models import Priority
from priorities.rounds.models import Round, RoundEntry
from reviews.models import Recommendation, Review
from stocktakes.models import Action

KINDS = {
    "data": "Data",
    "milestone": "Milestone",
    "risk": "Risk review",
    "self_assessment": "Self-assessment",
    "action": "Action",
    "recommendation": "Review recommendation",
}
# A self-assessment is due this many working days after its round opens, at the earliest.
SELF_ASSESSMENT_WORKING_DAYS = 5


@dataclass(frozen=True)
class Owed:
    """One thing one person owes, by a date."""

    key: str  # the thing and its due date: "data:TA-01:2026-10-01", "milestone:123:2026-11-21"
    kind: str  # one of KINDS
    what: str  # in words
    due: datetime.date
    person: User
    url: str  # where it is done
    priority: Priority | None
    service: str  # the service(s) involved, "" if none
    # Where someone else (the unit) follows it, when they may not open ``url``: a lead's
    # self-assessment form is theirs alone, so the unit is sent to the priority's rating.
    others_url: str = ""

    @property
    def url_for_others(self) -> str:
        return self.others_url or self.url

    def is_overdue(self, today: date) -> bool:
        return self.due < today

    def working_days_late(self, today: date) -> int:
        """Working days since it was due, up to ``today``; 0 when it is not overdue."""
        return working_days_after(self.due, today) if self.is_overdue(today) else 0

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class Line:
    """An owed thing as a page shows it on a day: whether it is overdue and by how much."""

    item: Owed
    overdue: bool
    working_days_late: int


def lines(items: list[Owed], today: date) -> list[Line]:
    return [Line(i, i.is_overdue(today), i.working_days_late(today)) for i in items]


def owed_by(person: User, *, today: date | None = None) -> list[Owed]:
    """What ``person`` owes, due and overdue, in date order."""
    if not person.is_active:
        return []
    return _gather(today or timezone.localdate(), person)


def owed_by_everyone(
    *,
    today: date | None = None,
    priority: Priority | int | None = None,
    person: User | None = None,
    service: str = "",
) -> list[Owed]:
    """What everyone owes, in date order, optionally of one priority, person or service."""
    today = today or timezone.localdate()
    if person is not None and not person.is_active:
        return []
    items = _gather(today, person)
    if priority is not None:
        priority_pk = priority if isinstance(priority, int) else priority.pk
        items = [i for i in items if i.priority is not None and i.priority.pk == priority_pk]
    if service:
        items = [i for i in items if service.casefold() in _services(i.service)]
    return items


def services_of(text: str) -> list[str]:
    """The services a priority names, split at commas: "Housing Demand, Finance"."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _services(text: str) -> set[str]:
    return {s.casefold() for s in services_of(text)}


def all_services() -> list[str]:
    """Every service an active priority names, for the filter (one query)."""
    names: dict[str, str] = {}
    for text in Priority.objects.filter(status=Priority.Status.ACTIVE).values_list(
        "services", flat=True
    ):
        for name in services_of(text):
            names.setdefault(name.casefold(), name)
    return sorted(names.values(), key=str.casefold)


def _ties(person: User) -> dict[str, bool]:
    """What ties ``person`` to anything owed, in one query: whether they lead a priority, serve
    on one's staff, write a delivery plan, or own a milestone, an action or a recommendation.
    Each kind below is owed only through one of these, so a kind whose ties are all missing
    owes nothing and its query (the costliest part of a home page) is not asked."""
    found = (
        User.objects.filter(pk=person.pk)
        .values(
            leads=Exists(Priority.objects.filter(lead=OuterRef("pk"))),
            staffs=Exists(Priority.objects.filter(service_staff=OuterRef("pk"))),
            writes=Exists(DeliveryPlan.objects.filter(writers=OuterRef("pk"))),
            owns_milestone=Exists(Milestone.objects.filter(owner=OuterRef("pk"))),
            owns_action=Exists(Action.objects.filter(owner=OuterRef("pk"))),
            owns_recommendation=Exists(Recommendation.objects.filter(owner=OuterRef("pk"))),
        )
        .get()
    )
    return {name: bool(tied) for name, tied in found.items()}


def _gather(today: date, person: User | None) -> list[Owed]:
    if person is None:
        tied = dict.fromkeys(
            ["leads", "staffs", "writes", "owns_milestone", "owns_action", "owns_recommendation"],
            True,
        )
    else:
        tied = _ties(person)
    items = [
        *(_data(today, person) if tied["leads"] or tied["staffs"] else []),
        *(_milestones(person) if tied["owns_milestone"] or tied["leads"] or tied["writes"] else []),
        *(_risks(today, person) if tied["leads"] or tied["writes"] else []),
        *(_self_assessments(person) if tied["leads"] else []),
        *(_actions(person) if tied["owns_action"] else []),
        *(_recommendations(person) if tied["owns_recommendation"] else []),
    ]
    return sorted(items, key=lambda i: (i.due, i.kind, i.what, i.person.pk))


def _active(people) -> list[User]:
    return [p for p in people if p is not None and p.is_active]


def _only(people: list[User], person: User | None) -> list[User]:
    return people if person is None else [p for p in people if p.pk == person.pk]


def _data(today: date, person: User | None) -> list[Owed]:
    indicators = (
        Indicator.objects.with_latest()
        .filter(priority__status=Priority.Status.ACTIVE)
        .select_related("priority__lead")
        .prefetch_related("priority__service_staff")
        .order_by("priority__title", "position", "code")
    )
    if person is not None:
        indicators = indicators.filter(
            Q(priority__lead=person)
            | Q(priority__in=Priority.objects.filter(service_staff=person).values("pk"))
        )
    items = []
    for indicator in indicators:
        priority = indicator.priority
        people = _only(_active([priority.lead, *priority.service_staff.all()]), person)
        if not people:
            continue
        scheme = indicator.periods
        latest = indicator.latest_period
        period = indicator.baseline_period if latest is None else scheme.shift(latest, 1)
        slug_url = reverse("priorities:data", kwargs={"slug": priority.slug})
        while scheme.end(period) < today:
            until = MONTHS.code(until_for(period, scheme, today))
            owed = {
                "key": f"data:{indicator.code}:{period.isoformat()}",
                "kind": "data",
                "what": f"Data for {indicator.code} {indicator.name}, "
                f"{indicator.period_label(period)}",
                "due": indicator.due_on(period),
                "url": f"{slug_url}?until={until}#cell-{indicator.pk}-{MONTHS.code(period)}",
                "priority": priority,
                "service": priority.services,
            }
            items += [Owed(person=p, **owed) for p in people]
            period = scheme.shift(period, 1)
    return items


def _plan_people(plan, person: User | None) -> list[User]:
    return _only(_active([plan.priority.lead, *plan.writers.all()]), person)


def _milestones(person: User | None) -> list[Owed]:
    milestones = (
        Milestone.objects.current()
        .not_done()
        .filter(plan_version__plan__priority__status=Priority.Status.ACTIVE)
        .select_related("owner", "plan_version__plan__priority__lead")
        .prefetch_related("plan_version__plan__writers")
        .order_by("due", "pk")
    )
    if person is not None:
        milestones = milestones.filter(
            Q(owner=person)
            | Q(owner__isnull=True)
            & (
                Q(plan_version__plan__priority__lead=person)
                | Q(plan_version__plan__in=person.written_plans.values("pk"))
            )
        )
    items = []
    for milestone in milestones:
        plan = milestone.plan_version.plan
        priority = plan.priority
        if milestone.owner is not None:
            people = _only(_active([milestone.owner]), person)
        else:
            people = _plan_people(plan, person)
        url = reverse("plans:detail", kwargs={"slug": priority.slug}) + "#section-milestones"
        items += [
            Owed(
                key=f"milestone:{milestone.pk}:{milestone.due.isoformat()}",
                kind="milestone",
                what=f"Milestone for {priority.title}: {milestone.title}",
                due=milestone.due,
                person=p,
                url=url,
                priority=priority,
                service=priority.services,
            )
            for p in people
        ]
    return items


def month_end_working_day(today: date) -> date:
    """The last working day of ``today``'s month."""
    day = MONTHS.end(MONTHS.start(today))
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _risks(today: date, person: User | None) -> list[Owed]:
    risks = (
        Risk.objects.current()
        .open()
        .filter(plan_version__plan__priority__status=Priority.Status.ACTIVE)
        .select_related("plan_version__plan__priority__lead")
        .prefetch_related("plan_version__plan__writers")
        .order_by("pk")
    )
    if person is not None:
        risks = risks.filter(
            Q(plan_version__plan__priority__lead=person)
            | Q(plan_version__plan__in=person.written_plans.values("pk"))
        )
    by_version = {risk.plan_version_id: risk.plan_version for risk in risks}
    if not by_version:
        return []
    month = MONTHS.start(today)
    start = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
    reviewed = set(
        Risk.history.filter(plan_version_id__in=list(by_version), history_date__gte=start)
        .values_list("plan_version_id", flat=True)
        .distinct()
    )
    due = month_end_working_day(today)
    items = []
    for version_id, version in by_version.items():
        if version_id in reviewed:
            continue
        plan = version.plan
        priority = plan.priority
        url = reverse("plans:detail", kwargs={"slug": priority.slug}) + "#section-risks"
        items += [
            Owed(
                key=f"risk:{plan.pk}:{due.isoformat()}",
                kind="risk",
                what=f"Review the risks of the plan for {priority.title}, {month:%B %Y}",
                due=due,
                person=p,
                url=url,
                priority=priority,
                service=priority.services,
            )
            for p in _plan_people(plan, person)
        ]
    return items


def self_assessment_due(round_: Round) -> date:
    opened = timezone.localdate(round_.opened_at)
    return max(round_.date, add_working_days(opened, SELF_ASSESSMENT_WORKING_DAYS))


def _self_assessments(person: User | None) -> list[Owed]:
    entries = (
        RoundEntry.objects.filter(
            round__status=Round.Status.OPEN,
            self_assessment__isnull=True,
            priority__status=Priority.Status.ACTIVE,
            priority__lead__is_active=True,
        )
        .exclude(status=RoundEntry.Status.EXCLUDED)
        .select_related("round", "priority__lead")
        .order_by("pk")
    )
    if person is not None:
        entries = entries.filter(priority__lead=person)
    items = []
    for entry in entries:
        priority = entry.priority
        due = self_assessment_due(entry.round)
        items.append(
            Owed(
                key=f"self_assessment:{entry.pk}:{due.isoformat()}",
                kind="self_assessment",
                what=f"Self-assessment of {priority.title} for {entry.round.name}",
                due=due,
                person=priority.lead,  # type: ignore[arg-type]  # filtered: has an active lead
                url=reverse(
                    "assessment:self_assessment",
                    kwargs={"pk": entry.round_id, "slug": priority.slug},
                ),
                priority=priority,
                service=priority.services,
                others_url=entry.get_absolute_url(),
            )
        )
    return items


def _actions(person: User | None) -> list[Owed]:
    actions = (
        Action.objects.open()
        .filter(owner__is_active=True)
        .select_related("owner", "priority")
        .order_by("pk")
    )
    if person is not None:
        actions = actions.filter(owner=person)
    return [
        Owed(
            key=f"action:{action.pk}:{action.due_date.isoformat()}",
            kind="action",
            what=f"Action: {_short(action.description)}",
            due=action.due_date,
            person=action.owner,
            url=action.get_absolute_url(),
            priority=action.priority,
            service=action.priority.services if action.priority else "",
        )
        for action in actions
    ]


def _recommendations(person: User | None) -> list[Owed]:
    recommendations = (
        Recommendation.objects.open()
        .filter(
            owner__is_active=True,
            review__status__in=[Review.Status.FOLLOW_UP, Review.Status.CLOSED],
            action__isnull=True,
        )
        .select_related("owner", "review__priority")
        .order_by("pk")
    )
    if person is not None:
        recommendations = recommendations.filter(owner=person)
    return [
        Owed(
            key=f"recommendation:{rec.pk}:{rec.due_date.isoformat()}",
            kind="recommendation",
            what=f"Recommendation of {rec.review.title}: {_short(rec.text)}",
            due=rec.due_date,
            person=rec.owner,
            url=rec.get_absolute_url(),
            priority=rec.review.priority,
            service=rec.review.priority.services if rec.review.priority else "",
        )
        for rec in recommendations
    ]


def _short(text: str, length: int = 100) -> str:
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"
