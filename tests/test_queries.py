"""Hot pages load what they show in a fixed number of queries, whatever the data size."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery_unit.models import Role, User
from plans.models import ChainLink, Comment, DeliveryPlan, Intervention, Milestone, Risk
from priorities.indicators import Actual, Indicator, TrajectoryPoint
from priorities.models import Priority, Rating
from stocktakes.models import Stocktake


def build_council(size: int) -> tuple[User, Priority, Stocktake]:
    analyst = User.objects.create(username=f"analyst{size}", role=Role.UNIT_STAFF)
    priorities = []
    for number in range(size):
        lead = User.objects.create(username=f"lead{size}-{number}", role=Role.PRIORITY_LEAD)
        priority = Priority.objects.create(
            title=f"Priority {number}",
            slug=f"priority-{size}-{number}",
            aspiration="An aspiration.",
            lead=lead,
            analyst=analyst,
        )
        add_plan(priority, lead, analyst, size)
        add_indicators(priority, months=size)
        for month in range(size // 3 + 1):
            priority.rate(
                likelihood="amber_green",
                rationale=f"Month {month}.",
                by=analyst,
                based_on=getattr(priority.latest_rating(), "pk", None),
            )
        priorities.append(priority)
    stocktake = Stocktake.plan(
        title="Stocktake", date="2027-01-01", priorities=priorities, by=analyst
    )
    return analyst, priorities[0], stocktake


def add_plan(priority: Priority, lead: User, analyst: User, size: int) -> None:
    """A plan whose version was returned, and a draft with ``size`` of every part and comment."""
    first = DeliveryPlan.start(priority, by=lead)
    first.submit(by=lead)
    first.mark_assessed(by=analyst)
    draft = first.return_for_revision(by=analyst, feedback="More on the chain.")
    writer = User.objects.create(username=f"writer{size}-{priority.pk}", role=Role.PRIORITY_LEAD)
    draft.plan.writers.add(writer)
    for n in range(size):
        ChainLink.objects.create(plan_version=draft, position=n + 1, name=f"A{n}", role="R")
        Intervention.objects.create(plan_version=draft, what=f"I{n}", who="W", when="Soon")
        Milestone.objects.create(
            plan_version=draft, title=f"M{n}", owner=lead, due=date(2026, 1, 1)
        )
        Risk.objects.create(plan_version=draft, description=f"R{n}", likelihood=3, impact=n % 5 + 1)
        Comment.objects.create(plan_version=draft, section="risks", author=analyst, body=f"C{n}")


def add_indicators(priority: Priority, months: int) -> None:
    """Three indicators, each with a trajectory and actuals over ``months`` months."""
    periods = [date(2024 + m // 12, m % 12 + 1, 1) for m in range(months + 1)]
    for number in range(3):
        indicator = Indicator.objects.create(
            priority=priority,
            code=f"{priority.slug}-{number}",
            name=f"Indicator {number}",
            direction="lower",
            baseline_value=Decimal(100),
            baseline_period=periods[0],
            target_value=Decimal(50),
            target_period=periods[-1],
        )
        TrajectoryPoint.objects.bulk_create(
            TrajectoryPoint(indicator=indicator, period=p, value=100 - i)
            for i, p in enumerate(periods)
        )
        Actual.objects.bulk_create(
            Actual(indicator=indicator, period=p, value=100 - i, provisional=p == periods[-1])
            for i, p in enumerate(periods)
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = {
    "register": lambda priority, stocktake: reverse("priorities:register"),
    "priority": lambda priority, stocktake: priority.get_absolute_url(),
    "plan": lambda priority, stocktake: reverse("plans:detail", kwargs={"slug": priority.slug}),
    "home": lambda priority, stocktake: reverse("home"),
    "stocktakes": lambda priority, stocktake: reverse("stocktakes:list"),
    "stocktake": lambda priority, stocktake: stocktake.get_absolute_url(),
}

# Each count is the session and the user (2), the idle-expiry refresh of the session (a savepoint,
# an UPDATE and a release: 3), then the page's own queries. Pinned so that one more is seen.
# The priority page's indicators take three: indicators with their latest reading, trajectories,
# actuals. The register's: priorities, their indicators with latest readings, the leads to
# filter by. The plan page's: the priority, the plan and its writers, the version, then one each
# for its sections, chain, interventions, milestones, risks and comments, the list of versions,
# and the priority's indicators. The priority page's plan summary: versions, milestones, risks.
PINNED = {"register": 8, "priority": 13, "plan": 17, "home": 7, "stocktakes": 6, "stocktake": 7}


@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_is_the_same_for_3_and_30_priorities(db, client, page):
    counts = []
    for size in (3, 30):
        analyst, priority, stocktake = build_council(size)
        client.force_login(analyst)
        counts.append(count_queries(client, PAGES[page](priority, stocktake)))
        assert Rating.objects.filter(priority=priority).count() == size // 3 + 1
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries for 3, {counts[1]} for 30"
    assert counts[0] == PINNED[page], f"{page} takes {counts[0]} queries; pinned at {PINNED[page]}"
