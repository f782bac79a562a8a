"""Two people saving at the same moment: one wins, the other is told, nothing is lost."""

import threading

import pytest
from django.db import connection

from delivery_unit.models import Role, User
from plans.models import DeliveryPlan, StalePlan
from priorities.models import Priority, StaleRating


def race(*actions) -> list[str]:
    """Run the actions at the same moment in threads, each with its own database connection."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action):
        try:
            barrier.wait()
            action()
            outcomes.append("saved")
        except (StaleRating, StalePlan):
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
    one = User.objects.create(username="one", role=Role.UNIT_STAFF)
    two = User.objects.create(username="two", role=Role.UNIT_STAFF)
    priority = Priority.objects.create(title="Recycling", slug="recycling", aspiration="More.")

    outcomes = race(
        lambda: Priority.objects.get(pk=priority.pk).rate(
            likelihood="green", rationale="One.", by=one, based_on=None
        ),
        lambda: Priority.objects.get(pk=priority.pk).rate(
            likelihood="red", rationale="Two.", by=two, based_on=None
        ),
    )

    assert outcomes == ["refused", "saved"]
    assert priority.ratings.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_a_plan_at_once_one_is_refused():
    lead = User.objects.create(username="lead", role=Role.PRIORITY_LEAD)
    analyst = User.objects.create(username="analyst", role=Role.UNIT_STAFF)
    priority = Priority.objects.create(title="Recycling", slug="recycling", aspiration="More.")
    plan = DeliveryPlan.objects.create(priority=priority, body="Start.")

    outcomes = race(
        lambda: DeliveryPlan.objects.get(pk=plan.pk).revise(body="Lead's.", by=lead, version=1),
        lambda: DeliveryPlan.objects.get(pk=plan.pk).revise(
            body="Analyst's.", by=analyst, version=1
        ),
    )

    assert outcomes == ["refused", "saved"]
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan.body in {"Lead's.", "Analyst's."}
    assert plan.history.count() == 2, "The creation and exactly one revision"
