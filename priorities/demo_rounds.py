"""The demo council's assessment rounds: six monthly agreed rounds, the latest with a moderation
that changed two ratings and leads' self-assessments (one two steps from the unit's view), and a
round in progress with some ratings proposed and some still drafts."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from assessment.models import SCALE_LEVELS, Scale
from priorities.rounds.models import Round, RoundEntry, SelfAssessment

LIKELIHOOD = [value for value, _ in SCALE_LEVELS[Scale.LIKELIHOOD]]
CHALLENGE = [value for value, _ in SCALE_LEVELS[Scale.CHALLENGE]]

RATIONALES = {
    "red": "Data well off trajectory and no credible plan to recover yet; needs urgent and "
    "decisive action from the Chief Executive and the lead.",
    "amber_red": "Off trajectory for three months; the plan names the right interventions but the "
    "delivery chain below the service manager is not yet engaged.",
    "amber_green": "Broadly on trajectory, with gaps in the performance data and one weak link in "
    "the delivery chain that needs attention.",
    "green": "On trajectory for six months with a good plan, clear ownership and data reviewed "
    "monthly.",
}
AREA_RATIONALES = {
    "challenge": "Demand is driven largely from outside the council; partners hold key levers.",
    "planning": "Judged on the delivery plan, the programme board's minutes and how the data is "
    "used at the monthly performance meeting.",
    "capacity": "Judged from the delivery chain workshop and interviews with service managers.",
    "stage": "Judged from what has changed on the ground and whether results show in the data.",
}


def _shift(value: str, steps: int) -> str:
    index = min(max(LIKELIHOOD.index(value) + steps, 0), len(LIKELIHOOD) - 1)
    return LIKELIHOOD[index]


def _values(history: list[str], index: int, round_number: int, rounds: int) -> dict[str, str]:
    """Ratings of every area for one priority in one round, consistent with its overall
    likelihood: planning a little better than the overall, capacity a little worse."""
    likelihood = history[round_number]
    return {
        "challenge": CHALLENGE[(index + 2) % len(CHALLENGE)],
        "planning": _shift(likelihood, 1 if index % 3 == 0 else 0),
        "capacity": _shift(likelihood, -1 if index % 4 == 1 else 0),
        "stage": str(min(4, 1 + (round_number * 3) // rounds + index % 2)),
        "likelihood": likelihood,
    }


def _fill(entry: RoundEntry, values: dict[str, str], previous: dict[str, str], by) -> None:
    fields = {}
    for judgement in entry.scorecard.judgements.select_related("area"):
        key = judgement.area.key
        level = values[key]
        rationale = RATIONALES[level] if key == "likelihood" else AREA_RATIONALES[key]
        changed = previous.get(key) not in (None, level)
        fields[judgement.area_id] = {
            "level": level,
            "rationale": rationale,
            "change_reason": "The latest data and the stocktake's decisions moved the judgement."
            if changed
            else "",
        }
    entry.scorecard.save_draft(fields, by=by, version=entry.scorecard.version)


def build_rounds(priorities, histories: list[list[str]], *, analyst, unit_leader, today) -> None:
    """Idempotent: nothing is added if the demo's rounds are there."""
    if Round.objects.exists():
        return
    rounds = len(histories[0])
    with transaction.atomic():
        previous: dict[int, dict[str, str]] = {}
        for number in range(rounds):
            months_ago = rounds - number
            day = today - timedelta(days=30 * months_ago + 3)
            moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
            round_ = Round.open_round(
                name=f"{day:%B %Y} assessment", date=day, by=unit_leader, priorities=priorities
            )
            Round.objects.filter(pk=round_.pk).update(opened_at=moment)
            entries = {e.priority_id: e for e in round_.entries.select_related("scorecard")}
            for index, priority in enumerate(priorities):
                values = _values(histories[index % len(histories)], index, number, rounds)
                entry = entries[priority.pk]
                _fill(entry, values, previous.get(priority.pk, {}), analyst)
                entry.status = RoundEntry.Status.PROPOSED
                entry.proposed_by, entry.proposed_at = analyst, moment
                entry.save(update_fields=["status", "proposed_by", "proposed_at"])
                previous[priority.pk] = values
                if number == rounds - 1 and priority.lead:
                    # The leads' own views: most near the unit's, one two steps more hopeful.
                    steps = 2 if index == 0 else (1 if index % 3 == 1 else 0)
                    SelfAssessment.record(
                        entry,
                        level=_shift(values["likelihood"], steps),
                        rationale="The service sees the new prevention team starting to work; "
                        "the figures will follow within two quarters.",
                        by=priority.lead,
                        version=0,
                    )
            round_.start_moderation(by=unit_leader)
            if number == rounds - 1:
                _moderate(round_, priorities, unit_leader)
            round_.agree(by=unit_leader)
            Round.objects.filter(pk=round_.pk).update(
                moderation_started_at=moment + timedelta(days=2),
                agreed_at=moment + timedelta(days=3),
            )
        _round_in_progress(priorities, histories, analyst, unit_leader, today)


def _moderate(round_: Round, priorities, panel_member) -> None:
    """The panel changed two ratings in the latest agreed round."""
    changes = [
        (
            priorities[2],
            "likelihood",
            -1,
            "Collection has slipped for two months running; the "
            "panel judged Amber-green too generous next to similar priorities.",
        ),
        (
            priorities[0],
            "capacity",
            1,
            "The delivery chain workshop found the frontline teams "
            "engaged; capacity is stronger than proposed.",
        ),
    ]
    for priority, key, steps, reason in changes:
        entry = round_.entries.get(priority=priority)
        judgement = entry.scorecard.judgements.select_related("area").get(area__key=key)
        entry.challenge(
            judgement,
            level=_shift(judgement.level, steps),
            reason=reason,
            by=panel_member,
            seen=judgement.level,
        )


def _round_in_progress(priorities, histories, analyst, unit_leader, today) -> None:
    """This month's round: half the priorities proposed, the rest drafts."""
    round_ = Round.open_round(
        name=f"{today:%B %Y} assessment", date=today, by=unit_leader, priorities=priorities
    )
    rounds = len(histories[0])
    for index, entry in enumerate(round_.entries.select_related("scorecard").order_by("pk")):
        values = _values(histories[index % len(histories)], index, rounds - 1, rounds)
        # The drafts start from what was agreed last time, after moderation: a rating the panel
        # changed is not a change this analyst made, so it needs no reason to be proposed again.
        agreed = entry.previous_agreed()
        if agreed is not None:
            values = values | {j.area.key: j.level for j in agreed.scorecard.judgements.all()}
        if index % 2 == 0:
            _fill(entry, values, values, analyst)
            entry.status = RoundEntry.Status.PROPOSED
            entry.proposed_by, entry.proposed_at = analyst, timezone.now()
            entry.save(update_fields=["status", "proposed_by", "proposed_at"])
