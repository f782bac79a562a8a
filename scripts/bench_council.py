"""The benchmark's council, and the files it imports. Import only after django.setup().

1x is the demo council as `load_demo` builds it: 8 priorities, each with 3 or 4 indicators
(trajectories and three years of monthly or quarterly data, with gaps, revisions and provisional
figures), 6 monthly ratings, a delivery plan (6 of the 8 written), and 2 stocktakes of 3 and 4
agenda items. 10x is `load_demo --scale 10`: 80 priorities of that same shape (about 250
indicators and 7,500 actuals), the two unit staff following 10 times as many priorities. Depth per
priority (ratings, data, plan history) does not grow with the scale: a bigger council has more
priorities, not longer histories.

The one thing `load_demo` does not scale is stocktakes, so at scale N the benchmark adds N - 1
earlier copies of each demo stocktake, each with every copy of its agenda's priorities (3N and 4N
items): at 10x, 20 stocktakes, 18 of them with 30 or 40 items. The stocktake page and the pack are
timed on the newest 4N-item one (at 1x, the demo's own 4-item one).
"""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from delivery_unit.models import User
from priorities.indicators.imports import COLUMNS, actuals_for_export, export_rows
from priorities.indicators.models import Actual, Indicator
from priorities.models import Priority
from stocktakes.models import Stocktake

PRIORITY = "temporary-accommodation"
INDICATOR = "TA-01"
DEMO_STOCKTAKES = [
    # title, days from today, demo slugs on the agenda (as load_demo plans them)
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
    """What the benchmark visits: a unit analyst, a priority, its first indicator and the
    larger stocktake."""

    analyst: User
    priority: Priority
    indicator: Indicator
    stocktake: Stocktake


def build_council(scale: int) -> Council:
    """Fill an empty, migrated database with the council at ``scale`` times the demo."""
    call_command("load_demo", scale=scale, not_production=True, stdout=io.StringIO())
    analyst = User.objects.get(username="analyst")
    stocktake = _stocktakes(scale, analyst) or Stocktake.objects.get(title=DEMO_STOCKTAKES[1][0])
    # Fresh bulk inserts: give the planner the row counts production would have.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Council(
        analyst=analyst,
        priority=Priority.objects.get(slug=PRIORITY),
        indicator=Indicator.objects.get(code=INDICATOR),
        stocktake=stocktake,
    )


def the_council() -> Council:
    """The council already built in this database (the largest stocktake is the newest of the
    most agenda items, as _stocktakes makes it)."""
    from django.db.models import Count

    stocktake = (
        Stocktake.objects.annotate(items=Count("agenda")).order_by("-items", "-date", "-pk").first()
    )
    return Council(
        analyst=User.objects.get(username="analyst"),
        priority=Priority.objects.get(slug=PRIORITY),
        indicator=Indicator.objects.get(code=INDICATOR),
        stocktake=stocktake,
    )


def _stocktakes(scale: int, analyst: User) -> Stocktake | None:
    """Copies 2..N of each demo stocktake, a quarter apart before the demo's, each taking in
    every copy of the demo agenda's priorities; the newest of the larger ones (None at 1x)."""
    slugs = {slug for *_, agenda in DEMO_STOCKTAKES for slug in agenda}
    copies = {slug: [slug] + [f"{slug}-{copy}" for copy in range(2, scale + 1)] for slug in slugs}
    by_slug = Priority.objects.in_bulk(
        [s for names in copies.values() for s in names], field_name="slug"
    )
    today = timezone.localdate()
    larger = None
    with transaction.atomic():
        for copy in range(2, scale + 1):
            for title, days, agenda in DEMO_STOCKTAKES:
                stocktake = Stocktake.plan(
                    title=f"{title} {copy}",
                    date=today + timedelta(days=days - 91 * (copy - 1)),
                    priorities=[by_slug[name] for slug in agenda for name in copies[slug]],
                    by=analyst,
                )
                if copy == 2 and agenda is DEMO_STOCKTAKES[1][2]:
                    larger = stocktake
    return larger


# Import files --------------------------------------------------------------------------------


def new_rows_file(rows: int) -> bytes:
    """``rows`` rows for periods before any data the council has: every indicator back-filled,
    the same number of periods each, in the import's format."""
    indicators = list(Indicator.objects.order_by("code"))
    earliest = Actual.objects.aggregate(first=Min("period"))["first"]
    per_indicator = -(-rows // len(indicators))
    lines = []
    for indicator in indicators:
        scheme = indicator.periods
        period = scheme.start(earliest)
        for _ in range(per_indicator):
            period = scheme.shift(period, -1)
            as_at = scheme.end(period) + timedelta(days=5)
            value = Decimal(indicator.pk * 10 + period.month)
            label = indicator.period_code(period)
            lines.append([indicator.code, label, value, "Back-filled", as_at, "no", ""])
    return _csv(lines[:rows])


def revised_rows_file(rows: int) -> bytes:
    """The latest ``rows`` actuals as the export writes them, each value raised by one: a file
    exported, edited and imported again."""
    latest = actuals_for_export().order_by("-period", "indicator__code")[:rows]
    lines = []
    for line in export_rows(latest):
        line[2] += 1
        lines.append(line)
    if len(lines) != rows:
        raise ValueError(f"The council has {len(lines)} actuals, fewer than {rows}.")
    return _csv(lines)


def _csv(lines: list[list]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    writer.writerows(lines)
    return text.getvalue().encode()


# What the benchmark visits -------------------------------------------------------------------


def page_paths(council: Council) -> dict[str, str]:
    """Every main page, by name, as the unit analyst opens it."""
    from django.urls import reverse

    from priorities.rounds.models import Round

    agreed = Round.objects.agreed().newest_first().first()
    in_progress = Round.objects.filter(status=Round.Status.OPEN).first()
    slug = council.priority.slug
    return {
        "home": reverse("home"),
        "register": reverse("priorities:register"),
        "delivery report": reverse("assessment:report"),
        "priority": council.priority.get_absolute_url(),
        "indicator": reverse("priorities:indicator", kwargs={"code": council.indicator.code}),
        "data grid": reverse("priorities:data", kwargs={"slug": slug}),
        "plan": reverse("plans:detail", kwargs={"slug": slug}),
        "stocktakes": reverse("stocktakes:list"),
        "stocktake": council.stocktake.get_absolute_url(),
        "moderation": reverse("assessment:moderation", kwargs={"pk": agreed.pk}),
        "rating": reverse("assessment:entry", kwargs={"pk": in_progress.pk, "slug": slug}),
        "rating history": reverse("priorities:rating_history", kwargs={"slug": slug}),
        "action log": reverse("stocktakes:actions"),
    }


def describe_council() -> str:
    from plans.models import PlanSection, PlanVersion
    from priorities.rounds.models import RoundEntry
    from stocktakes.models import Action, AgendaItem

    return (
        f"{Priority.objects.count()} priorities, {Indicator.objects.count()} indicators, "
        f"{Actual.objects.count()} actuals ({Actual.history.count()} history rows), "
        f"{RoundEntry.objects.count()} round ratings, "
        f"{PlanVersion.objects.count()} plan versions ({PlanSection.history.count()} section "
        "history rows), "
        f"{Stocktake.objects.count()} stocktakes with {AgendaItem.objects.count()} agenda items, "
        f"{Action.objects.count()} actions"
    )
