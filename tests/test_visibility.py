"""Every list shows exactly what its pages let a person open.

Walks each demo user (one or more of every role) and anyone not signed in over every object of
each listed model in the demo council, and checks that an object is in
``Model.objects.visible_to(user)`` exactly when ``user.has_perm(<its view perm>, obj)``.
"""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from delivery_unit.models import Role, User
from delivery_unit.rules import listed_perms
from plans.models import DeliveryPlan
from priorities.models import Priority
from priorities.rounds.models import Round, RoundEntry
from reviews.models import Review
from stocktakes.models import Action, AgendaItem, Stocktake

LISTED = {
    "priorities.view_priority": Priority,
    "priorities.view_round": Round,
    "priorities.view_roundentry": RoundEntry,
    "plans.view_deliveryplan": DeliveryPlan,
    "reviews.list_review": Review,
    "stocktakes.view_stocktake": Stocktake,
    "stocktakes.view_action": Action,
    "stocktakes.view_decisions": AgendaItem,
}


@pytest.fixture
def demo(db):
    call_command("load_demo", not_production=True, stdout=io.StringIO())


def people() -> list:
    return [*User.objects.order_by("username"), AnonymousUser()]


def test_every_listed_permission_is_walked():
    assert set(LISTED) == listed_perms()


def test_the_demo_has_every_role_to_walk(demo):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(is_unit_leader=True).exists()


def test_a_row_is_listed_exactly_when_the_rule_lets_the_user_see_it(demo):
    disagreements, walked = [], {}
    for perm, model in LISTED.items():
        objects = list(model.objects.order_by("pk"))
        assert objects, f"The demo has no {model._meta.verbose_name_plural} to walk."
        shown = 0
        for user in people():
            listed = set(model.objects.visible_to(user).values_list("pk", flat=True))
            for obj in objects:
                may_see = user.has_perm(perm, obj)
                shown += may_see
                if (obj.pk in listed) != may_see:
                    disagreements.append((perm, user.get_username() or "anonymous", str(obj)))
        walked[perm] = shown
    assert disagreements == []
    # Every list shows something to someone (anonymous visitors see nothing).
    assert all(walked.values()), walked


def test_lists_hide_rows_from_some_signed_in_roles_and_show_them_to_others(demo):
    """The walk covers rules that tell roles apart, not only everyone-or-no-one rules."""
    unit, lead = User.objects.get(username="analyst"), User.objects.get(username="lead")
    assert Round.objects.visible_to(unit).count() > Round.objects.visible_to(lead).count() > 0
    assert Review.objects.visible_to(unit).count() > Review.objects.visible_to(lead).count()
    assert Action.objects.visible_to(unit).count() > Action.objects.visible_to(lead).count() > 0
    assert Stocktake.objects.visible_to(lead).count() == 0 < Stocktake.objects.count()
