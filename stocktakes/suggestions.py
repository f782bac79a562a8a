"""Which priorities the unit might put on a stocktake's agenda, and why, from the data: a rating
that fell between the last two agreed assessment rounds, indicators off trajectory, a long time
since the chairs last discussed it.

Milestones missed join the reasons once delivery plans have milestones (``plans.Milestone``).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from priorities.indicators import Indicator, State
from priorities.models import Priority
from priorities.report import delivery_report
from stocktakes.models import AgendaItem, Stocktake

# A priority not discussed at a stocktake for this long is due a look.
NOT_DISCUSSED_WEEKS = 12


@dataclass(frozen=True)
class Suggestion:
    priority: Priority
    reasons: list[str]


def _falls() -> dict[int, str]:
    """Priorities whose overall likelihood fell between the last two agreed rounds."""
    falls = {}
    for row in delivery_report().rows:
        change = row.overall.change
        if change and change.direction == "down":
            falls[row.priority.pk] = (
                f"Rating fell to {row.overall.judgement.label} from {change.before.label} "
                f"in {row.entry.round.name}"
            )
    return falls


def suggest(stocktake: Stocktake, *, today: date | None = None) -> list[Suggestion]:
    """Active priorities not on the agenda with at least one reason, those with most reasons
    first. A fixed number of queries, whatever the number of priorities."""
    falls = _falls()
    on_agenda = stocktake.agenda.filter(priority__isnull=False).values("priority_id")
    last_discussed = dict(
        AgendaItem.objects.filter(stocktake__date__lt=stocktake.date, priority__isnull=False)
        .values("priority_id")
        .annotate(last=Max("stocktake__date"))
        .values_list("priority_id", "last")
    )
    candidates = Priority.objects.filter(status=Priority.Status.ACTIVE).exclude(pk__in=on_agenda)
    priorities = candidates.select_related("lead").order_by("title")
    # Read by the same conditions rather than prefetched, so that the query runs (and is
    # counted) whether or not there is any candidate.
    indicators_of: dict[int, list[Indicator]] = {}
    for indicator in Indicator.objects.with_latest().filter(priority__in=candidates):
        indicators_of.setdefault(indicator.priority_id, []).append(indicator)
    suggestions = []
    for priority in priorities:
        reasons = []
        if priority.pk in falls:
            reasons.append(falls[priority.pk])
        indicators = indicators_of.get(priority.pk, [])
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
