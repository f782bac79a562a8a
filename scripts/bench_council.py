"""The benchmark's council: the demo's, made `scale` times bigger in every list a page shows.

At scale 1 it is the demo council (`load_demo`): 8 priorities with 6 monthly ratings each, 6 of
the 8 delivery plans written once, and 2 stocktakes of 3 and 4 agenda items. At scale N there
are N copies of each demo priority (with N copies of its lead), N times the rating history and
the plan revisions, and N copies of each stocktake whose agenda takes in every copy of the demo
agenda's priorities (so 3N and 4N items). The two unit staff stay two, so each follows N times
as many priorities. Import only after django.setup().
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from delivery_unit.models import Role, User
from plans.models import DeliveryPlan
from priorities.models import Priority, Rating
from stocktakes.management.commands.load_demo import PLAN, PRIORITIES, RATIONALES, USERS
from stocktakes.models import Stocktake

DEMO_STOCKTAKES = [
    # title, days from today, demo slugs on the agenda
    (
        "Housing and homelessness stocktake",
        -42,
        ["temporary-accommodation", "rough-sleeping", "affordable-homes"],
    ),
    (
        "Children and young people stocktake",
        21,
        [
            "childrens-social-care",
            "special-educational-needs",
            "young-people-in-work-or-learning",
            "temporary-accommodation",
        ],
    ),
]


@dataclass(frozen=True)
class Council:
    """What the benchmark visits: a unit analyst, a priority and the larger stocktake."""

    analyst: User
    priority: Priority
    stocktake: Stocktake


def build_council(scale: int) -> Council:
    """Fill an empty, migrated database with the council at ``scale`` times the demo."""
    with transaction.atomic():
        users = _users(scale)
        copies = [_priorities(users, copy) for copy in range(scale)]
        for priorities in copies:
            _ratings(priorities, users["analyst"], months=6 * scale)
            _plans(priorities, revisions=scale)
        stocktakes = _stocktakes(copies, users["analyst"])
    # Fresh bulk inserts: give the planner the row counts production would have.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Council(users["analyst"], copies[0][0], stocktakes[1])


def _username(name: str, copy: int) -> str:
    return name if copy == 0 else f"{name}-{copy + 1}"


def _users(scale: int) -> dict[str, User]:
    """The demo's users, with each priority lead repeated for every copy of the priorities.
    No passwords: the benchmark signs in with sessions it makes itself, not with Argon2."""
    users = {}
    for username, first, last, role, job in USERS:
        copies = scale if role == Role.PRIORITY_LEAD else 1
        for copy in range(copies):
            name = _username(username, copy)
            users[name] = User.objects.create(
                username=name, first_name=first, last_name=last, role=role, job_title=job
            )
    return users


def _priorities(users: dict[str, User], copy: int) -> list[Priority]:
    priorities = []
    for index, (slug, title, lead, aspiration, _) in enumerate(PRIORITIES):
        priorities.append(
            Priority.objects.create(
                slug=_username(slug, copy),
                title=title if copy == 0 else f"{title}, area {copy + 1}",
                aspiration=aspiration,
                lead=users[_username(lead, copy)],
                analyst=users["analyst"] if index % 2 == 0 else users["unitlead"],
            )
        )
    return priorities


def _ratings(priorities: list[Priority], analyst: User, months: int) -> None:
    """Monthly ratings, oldest first, repeating the demo's six-month pattern."""
    today = timezone.localdate()
    ratings = []
    for priority, (*_, history) in zip(priorities, PRIORITIES, strict=True):
        for months_ago in range(months - 1, -1, -1):
            likelihood = history[(months - 1 - months_ago) % len(history)]
            day = today - timedelta(days=30 * months_ago + 3)
            ratings.append(
                Rating(
                    priority=priority,
                    likelihood=likelihood,
                    rationale=RATIONALES[likelihood],
                    rated_by=analyst,
                    rated_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
                )
            )
    Rating.objects.bulk_create(ratings)


def _plans(priorities: list[Priority], revisions: int) -> None:
    """As in the demo, the last two plans of each eight are not written; the others are revised
    through the model, so that each revision leaves the history row the plan page lists."""
    for index, priority in enumerate(priorities):
        plan = DeliveryPlan.objects.create(priority=priority)
        if index >= len(priorities) - 2:
            continue
        body = PLAN.format(aspiration=priority.aspiration, job=priority.lead.job_title)
        for revision in range(revisions):
            plan.revise(
                body=body + f"\nRevision {revision + 1}.\n",
                by=priority.lead,
                version=plan.version,
                reason=f"Revision {revision + 1}",
            )


def _stocktakes(copies: list[list[Priority]], analyst: User) -> list[Stocktake]:
    """Each demo stocktake repeated once per copy, a quarter apart, newest first."""
    by_slug: dict[str, list[Priority]] = {}
    for priorities in copies:
        for (slug, *_), priority in zip(PRIORITIES, priorities, strict=True):
            by_slug.setdefault(slug, []).append(priority)
    today = timezone.localdate()
    stocktakes = []
    for copy in range(len(copies)):
        for title, days, slugs in DEMO_STOCKTAKES:
            stocktakes.append(
                Stocktake.plan(
                    title=title if copy == 0 else f"{title} {copy + 1}",
                    date=today + timedelta(days=days - 91 * copy),
                    priorities=[priority for slug in slugs for priority in by_slug[slug]],
                    by=analyst,
                )
            )
    return stocktakes
