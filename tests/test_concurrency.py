"""Two people saving at the same moment: one wins, the other is told, nothing is lost."""

import threading

import pytest
from django.db import connection

from delivery_unit.models import Role, User
from delivery_unit.versioning import Stale
from plans.models import DeliveryPlan, PlanSection
from priorities.models import Priority
from priorities.rounds.models import Round, RoundEntry


def race(*actions) -> list[str]:
    """Run the actions at the same moment in threads, each with its own database connection."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action):
        try:
            barrier.wait()
            action()
            outcomes.append("saved")
        except Stale:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_analysts_rating_at_once_one_is_refused():
    from datetime import date

    one = User.objects.create(username="one", role=Role.UNIT_STAFF)
    two = User.objects.create(username="two", role=Role.UNIT_STAFF)
    Priority.objects.create(title="Recycling", slug="recycling", aspiration="More.")
    round_ = Round.open_round(name="Round", date=date(2026, 12, 1), by=one)
    entry = round_.entries.get()
    area = entry.scorecard.judgements.get(area__key="likelihood").area_id

    def rate(by, level):
        fresh = RoundEntry.objects.select_related("scorecard", "round").get(pk=entry.pk)
        return lambda: fresh.save_draft({area: {"level": level}}, by=by, version=1)

    outcomes = race(rate(one, "green"), rate(two, "red"))

    assert outcomes == ["refused", "saved"]
    judgement = entry.scorecard.judgements.get(area_id=area)
    assert judgement.level in {"green", "red"}
    assert judgement.history.filter(history_type="~").count() == 1, "Exactly one change"


@pytest.mark.django_db(transaction=True)
def test_two_writers_saving_one_section_at_once_one_is_refused():
    lead = User.objects.create(username="lead", role=Role.PRIORITY_LEAD)
    officer = User.objects.create(username="officer", role=Role.PRIORITY_LEAD)
    priority = Priority.objects.create(
        title="Recycling", slug="recycling", aspiration="More.", lead=lead
    )
    draft = DeliveryPlan.start(priority, by=lead)
    draft.plan.writers.add(officer)
    section = draft.sections.get(key="risks")

    def save(text, by):
        fresh = PlanSection.objects.select_related("plan_version").get(pk=section.pk)
        return lambda: fresh.revise(text=text, by=by, version=1)

    outcomes = race(save("Lead's.", lead), save("Officer's.", officer))

    assert outcomes == ["refused", "saved"]
    section.refresh_from_db()
    assert section.version == 2
    assert section.text in {"Lead's.", "Officer's."}
    edits = section.history.exclude(history_type="+")
    assert edits.count() == 1, "Exactly one revision is recorded"
    assert edits.get().text == section.text
