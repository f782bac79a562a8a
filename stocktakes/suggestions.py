"""Which priorities the unit might put on a stocktake's agenda, and why, from the data: a rating
that fell, indicators off trajectory, a long time since the chairs last discussed it.

Milestones missed join the reasons once delivery plans have milestones (``plans.Milestone``).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Prefetch

from priorities.indicators import Indicator, State
from priorities.models import Priority, Rating
from stocktakes.models import AgendaItem, Stocktake
from stocktakes.packs import LIKELIHOOD_ORDER

# A priority not discussed at a stocktake for this long is due a look.
NOT_DISCUSSED_WEEKS = 12


@dataclass(frozen=True)
class Suggestion:
    priority: Priority
    reasons: list[str]


def _fell(ratings: list[Rating]) -> str | None:
    if len(ratings) < 2:
        return None
    latest, previous = ratings[0], ratings[1]
    if LIKELIHOOD_ORDER.index(latest.likelihood) > LIKELIHOOD_ORDER.index(previous.likelihood):
        return (
            f"Rating fell to {latest.get_likelihood_display()} from "
            f"{previous.get_likelihood_display()}"
        )
    return None


def suggest(stocktake: Stocktake, *, today: date | None = None) -> list[Suggestion]:
    """Active priorities not on the agenda with at least one reason, those with most reasons
    first. Four queries, whatever the number of priorities."""
    on_agenda = stocktake.agenda.filter(priority__isnull=False).values("priority_id")
    last_discussed = dict(
        AgendaItem.objects.filter(stocktake__date__lt=stocktake.date, priority__isnull=False)
        .values("priority_id")
        .annotate(last=Max("stocktake__date"))
        .values_list("priority_id", "last")
    )
    priorities = (
        Priority.objects.filter(status=Priority.Status.ACTIVE)
        .exclude(pk__in=on_agenda)
        .select_related("lead")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.with_latest()),
            Prefetch("ratings", queryset=Rating.objects.order_by("-rated_at", "-pk")),
        )
        .order_by("title")
    )
    suggestions = []
    for priority in priorities:
        reasons = []
        fell = _fell(list(priority.ratings.all()))
        if fell:
            reasons.append(fell)
        indicators = list(priority.indicators.all())
        off = sum(indicator.reading(today).state == State.OFF for indicator in indicators)
        if off:
            reasons.append(f"Off trajectory: {off} of {len(indicators)} indicators")
        last = last_discussed.get(priority.pk)
        if last is None:
            reasons.append("Not discussed at a stocktake yet")
        else:
            weeks = (stocktake.date - last).days // 7
            if weeks >= NOT_DISCUSSED_WEEKS:
                reasons.append(f"Last discussed {weeks} weeks before this stocktake")
        if reasons:
            suggestions.append(Suggestion(priority, reasons))
    return sorted(suggestions, key=lambda s: -len(s.reasons))
