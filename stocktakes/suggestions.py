"""Which priorities the unit might put on a stocktake's agenda, and why, from the data: a rating
that fell between the last two agreed assessment rounds, indicators off trajectory, a long time
since the chairs last discussed it, a priority review that has reported since the chairs last
discussed the priority (its report goes to them, often at a stocktake).

Milestones missed join the reasons once delivery plans have milestones (``plans.Milestone``).
"""

from dataclasses import dataclass
from datetime import date
from typing import cast

from django.db.models import Max, Min
from django.utils import timezone

from assessment.models import Challenge, Judgement, Level
from delivery_unit.stamps import digest, kept, stamp
from priorities.indicators.kept import figures_stamp
from priorities.models import Priority
from priorities.register import NO_INDICATORS, standings
from priorities.rounds.models import Round, RoundEntry
from reviews.models import IssuedReport, Review
from stocktakes.models import AgendaItem, Stocktake

# A priority not discussed at a stocktake for this long is due a look.
NOT_DISCUSSED_WEEKS = 12


@dataclass(frozen=True)
class Suggestion:
    priority: Priority
    reasons: list[str]


def _falls() -> dict[int, str]:
    """Priorities whose overall likelihood fell from the agreed round before the latest to the
    latest: three small queries (the rounds, their overall judgements, the levels' order), not
    the whole delivery report, which this page does not show."""
    rounds = list(Round.objects.agreed().newest_first()[:2])
    overall = {
        (row["scorecard__entry__round_id"], row["scorecard__entry__priority_id"]): row
        for row in Judgement.objects.filter(
            area__is_overall=True,
            scorecard__entry__round__in=rounds,
            scorecard__entry__status=RoundEntry.Status.AGREED,
        ).values("scorecard__entry__round_id", "scorecard__entry__priority_id", "area_id", "level")
    }
    levels = {
        (level.area_id, level.value): level
        for level in Level.objects.filter(
            area__is_overall=True, area__framework__rounds__in=rounds
        ).distinct()
    }
    if len(rounds) < 2:
        return {}
    latest, previous = rounds
    falls = {}
    for (round_id, priority_id), now in overall.items():
        before = overall.get((previous.pk, priority_id))
        if round_id != latest.pk or before is None:
            continue
        now_level = levels.get((now["area_id"], now["level"]))
        before_level = levels.get((before["area_id"], before["level"]))
        if now_level and before_level and now_level.position < before_level.position:
            falls[priority_id] = (
                f"Rating fell to {now_level.label} from {before_level.label} in {latest.name}"
            )
    return falls


def _reported(stocktake: Stocktake, candidates, last_discussed: dict) -> dict[int, str]:
    """Priorities with a review (not yet closed) whose report was first issued before this
    stocktake and after the chairs last discussed the priority: one query."""
    reported: dict[int, str] = {}
    reviews = (
        Review.objects.filter(priority__in=candidates, reports__isnull=False)
        .exclude(status=Review.Status.CLOSED)
        .annotate(first_issued=Min("reports__issued_at"))
        .order_by("first_issued", "pk")
    )
    for review in reviews:
        issued = timezone.localdate(review.first_issued)
        last = last_discussed.get(review.priority_id)
        if issued <= stocktake.date and (last is None or issued > last):
            reported.setdefault(
                cast(int, review.priority_id),  # reviews of the candidates: never None
                f"Priority review reported on {issued:%-d %B %Y}: {review.title}",
            )
    return reported


# Changed whenever what is kept (Suggestion) changes shape. Every `migrate`, so every release, also
# empties the cache (delivery_unit.apps), as does every `flush`.
_KEPT_VERSION = 2


def suggest(stocktake: Stocktake, *, today: date | None = None) -> list[Suggestion]:
    """Active priorities not on the agenda with at least one reason, those with most reasons
    first. Kept in the shared cache under the stocktake and its date, the day, the two latest
    agreed rounds, the figures' stamp and a stamp of everything else the reasons are drawn from
    (delivery_unit.stamps): judgements and their amendments, agenda items and stocktakes (what
    is on this agenda, when each priority was last discussed), priorities (active or not, their
    titles), reviews and their reports. Four queries from the cache; otherwise a fixed number,
    whatever the number of priorities, and the cache's write."""
    today = today or timezone.localdate()
    rounds = list(Round.objects.agreed().newest_first().values_list("pk", flat=True)[:2])
    written = stamp(
        Judgement.history.model,
        Challenge,
        AgendaItem.history.model,
        Stocktake.history.model,
        Priority.history.model,
        Review.history.model,
        IssuedReport,
    )
    made_from = digest(stocktake.date, rounds, figures_stamp(today), written)
    return kept(
        f"suggestions:{_KEPT_VERSION}:{stocktake.pk}",
        made_from,
        lambda: _suggest(stocktake, today),
    )


def _suggest(stocktake: Stocktake, today: date) -> list[Suggestion]:
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
    # Every priority's standing, kept in the shared cache while the figures are unchanged.
    standing_of = standings(today)
    reported = _reported(stocktake, candidates, last_discussed)
    suggestions = []
    for priority in priorities:
        reasons = []
        if priority.pk in falls:
            reasons.append(falls[priority.pk])
        if priority.pk in reported:
            reasons.append(reported[priority.pk])
        # Watch (perverse) indicators warn; they never put a priority off trajectory.
        found = standing_of.get(priority.pk, NO_INDICATORS)
        if found.off:
            counted = found.on + found.off + found.no_data
            reasons.append(f"Off trajectory: {found.off} of {counted} indicators")
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
