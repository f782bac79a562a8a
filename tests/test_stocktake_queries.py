"""The stocktake's pages load what they show in a fixed number of queries, for 3 priorities on
the agenda as for 30: the stocktake page (agenda and suggestions), the meeting page, the action
log and the pack as a web page."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery_unit.models import Role, User
from priorities.indicators.models import Actual, Indicator, TrajectoryPoint
from priorities.models import Likelihood, Priority
from stocktakes.models import Action, Stocktake
from tests.conftest import make_round


def build(size: int) -> tuple[User, Stocktake]:
    analyst = User.objects.create(username=f"analyst{size}", role=Role.UNIT_STAFF)
    on_agenda, off_agenda = [], []
    for number in range(size * 2):
        lead = User.objects.create(username=f"lead{size}-{number}", role=Role.PRIORITY_LEAD)
        priority = Priority.objects.create(
            title=f"Priority {number}",
            slug=f"priority-{size}-{number}",
            aspiration="An aspiration.",
            lead=lead,
        )
        periods = [date(2025, month, 1) for month in range(1, 7)]
        for code in range(2):
            indicator = Indicator.objects.create(
                priority=priority,
                code=f"P{size}-{number}-{code}",
                name="An indicator",
                direction="lower",
                baseline_value=Decimal(100),
                baseline_period=periods[0],
                target_value=Decimal(50),
                target_period=periods[-1],
            )
            TrajectoryPoint.objects.bulk_create(
                TrajectoryPoint(indicator=indicator, period=p, value=100 - 5 * i)
                for i, p in enumerate(periods)
            )
            Actual.objects.bulk_create(
                Actual(indicator=indicator, period=p, value=100 - 3 * i)
                for i, p in enumerate(periods)
            )
        (on_agenda if number < size else off_agenda).append(priority)
    everyone = on_agenda + off_agenda
    make_round(dict.fromkeys(everyone, Likelihood.GREEN), by=analyst, day=date(2026, 9, 1))
    make_round(dict.fromkeys(everyone, Likelihood.AMBER_RED), by=analyst, day=date(2026, 10, 1))
    earlier = Stocktake.plan(
        title="Earlier", date=date(2026, 6, 1), priorities=on_agenda, by=analyst
    )
    for item in earlier.agenda.all():
        Action.agree(
            item=item,
            description="Act.",
            owner=item.priority.lead,
            due_date=date(2026, 7, 1),
            by=analyst,
        )
    stocktake = Stocktake.plan(
        title="Now", date=date(2026, 12, 1), priorities=on_agenda, by=analyst
    )
    for item in stocktake.agenda.all():
        Action.agree(
            item=item, description="Next.", owner=analyst, due_date=date(2027, 1, 1), by=analyst
        )
    Stocktake.objects.filter(pk=stocktake.pk).update(status=Stocktake.Status.PACK_ISSUED)
    return analyst, stocktake


PAGES = {
    "stocktake": lambda s: s.get_absolute_url(),
    "meeting": lambda s: reverse("stocktakes:meeting", args=[s.pk]),
    "action log": lambda s: reverse("stocktakes:actions") + "?status=open",
    "pack as a web page": lambda s: reverse("stocktakes:pack_preview", args=[s.pk]),
}

# Each count is the session and the user (2), the session's idle-expiry refresh (3), then the
# page's own. The stocktake page: the stocktake, its agenda, chairs, attendees, issued packs, the
# latest generation, the suggestions (the last two agreed rounds, their overall judgements and
# levels, every priority's standing, when each was last discussed, the priority reviews that have
# reported), the add form's priorities. The suggestions are kept in the shared cache
# (stocktakes/suggestions.py): on this first request 17 more for the two latest agreed rounds' ids,
# the stamps, the reads that miss and the writes of the suggestions and of every priority's
# standing; 3 fewer than without the cache once they are kept (tests/test_queries.py). The pack: the
# agenda, the delivery report, indicators with their trajectories and actuals, the plans'
# milestones and risks, open actions, chairs.
PINNED = {"stocktake": 36, "meeting": 9, "action log": 8, "pack as a web page": 23}


@pytest.mark.parametrize("page", PAGES)
def test_stocktake_pages_take_the_same_queries_for_3_and_30_priorities(db, client, page):
    counts = []
    for size in (3, 30):
        analyst, stocktake = build(size)
        client.force_login(analyst)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PAGES[page](stocktake))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries for 3, {counts[1]} for 30"
    assert counts[0] == PINNED[page], f"{page} takes {counts[0]} queries; pinned at {PINNED[page]}"
