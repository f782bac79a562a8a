"""What each role may do, asked of the rules directly (each app's ``rules.py``).

One test per role over the same small world: a priority led by ``priority_lead`` with an agreed
round and one in progress, its draft plan, a stocktake with an action the lead owns, and a
review whose report has been issued. The access matrix checks the same decisions page by page.
"""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from delivery_unit.models import Role
from priorities.models import Likelihood
from stocktakes.models import Action, Stocktake
from tests.conftest import make_round, make_user


@pytest.fixture
def world(stocktake, rated_priority, other_priority, reported_review, unit_staff, priority_lead):
    in_progress = make_round(
        {rated_priority: Likelihood.AMBER_GREEN},
        by=unit_staff,
        day=date(2026, 11, 1),
        status="open",
    )
    agreed = rated_priority.round_entries.get(round__status="agreed")
    first = stocktake.ordered_agenda()[0]
    action = Action.agree(
        item=first,
        description="Bring the leasing deal to Cabinet",
        owner=priority_lead,
        due_date=date(2026, 12, 1),
        by=unit_staff,
    )
    return {
        "priority": rated_priority,
        "other_priority": other_priority,
        "round in progress": in_progress,
        "agreed round": agreed.round,
        "entry in progress": in_progress.entries.get(),
        "agreed entry": agreed,
        "plan": rated_priority.plan,
        "draft": rated_priority.plan.versions.get(),
        "stocktake": stocktake,
        "action": action,
        "review": reported_review,
    }


# Each check: (permission, the world's object or None).
CHECKS = [
    ("priorities.view_priority", "priority"),
    ("priorities.change_priority", "priority"),
    ("priorities.describe_priority", "priority"),
    ("priorities.describe_priority", "other_priority"),
    ("priorities.enter_data", "priority"),
    ("priorities.import_data", None),
    ("priorities.view_rounds_in_progress", None),
    ("priorities.view_round", "round in progress"),
    ("priorities.view_round", "agreed round"),
    ("priorities.view_roundentry", "entry in progress"),
    ("priorities.rate_roundentry", "entry in progress"),
    ("priorities.add_selfassessment", "entry in progress"),
    ("priorities.moderate_round", None),
    ("priorities.amend_roundentry", "agreed entry"),
    ("assessment.change_framework", None),
    ("plans.view_deliveryplan", "plan"),
    ("plans.change_planversion", "draft"),
    ("plans.submit_planversion", "draft"),
    ("plans.comment_planversion", "draft"),
    ("stocktakes.view_stocktake_list", None),
    ("stocktakes.view_stocktake", "stocktake"),
    ("stocktakes.change_stocktake", "stocktake"),
    ("stocktakes.view_every_action", None),
    ("stocktakes.view_action", "action"),
    ("stocktakes.change_action", "action"),
    ("reviews.view_review", "review"),
    ("reviews.list_review", "review"),
    ("reviews.view_fieldwork", "review"),
    ("reviews.view_issued_report", "review"),
    ("reviews.add_review", None),
    ("priorities.support_priorities", None),
    ("priorities.follow_portfolio", None),
]


def allowed(user, world) -> set[tuple[str, str | None]]:
    return {
        (perm, key)
        for perm, key in CHECKS
        if user.has_perm(perm, world[key] if key is not None else None)
    }


def test_anonymous_visitors_may_do_nothing(world):
    assert allowed(AnonymousUser(), world) == set()


def test_unit_staff_run_the_cycle_but_do_not_write_plans_or_agree_rounds(world, unit_staff):
    assert allowed(unit_staff, world) == {
        ("priorities.view_priority", "priority"),
        ("priorities.change_priority", "priority"),
        ("priorities.describe_priority", "priority"),
        ("priorities.describe_priority", "other_priority"),
        ("priorities.enter_data", "priority"),
        ("priorities.import_data", None),
        ("priorities.view_rounds_in_progress", None),
        ("priorities.view_round", "round in progress"),
        ("priorities.view_round", "agreed round"),
        ("priorities.view_roundentry", "entry in progress"),
        ("priorities.rate_roundentry", "entry in progress"),
        ("plans.view_deliveryplan", "plan"),
        ("plans.comment_planversion", "draft"),
        ("stocktakes.view_stocktake_list", None),
        ("stocktakes.view_stocktake", "stocktake"),
        ("stocktakes.change_stocktake", "stocktake"),
        ("stocktakes.view_every_action", None),
        ("stocktakes.view_action", "action"),
        ("stocktakes.change_action", "action"),
        ("reviews.view_review", "review"),
        ("reviews.list_review", "review"),
        ("reviews.view_fieldwork", "review"),
        ("reviews.view_issued_report", "review"),
        ("reviews.add_review", None),
    }


def test_the_unit_leader_also_moderates_and_amends_agreed_ratings(world, unit_staff, unit_leader):
    extra = allowed(unit_leader, world) - allowed(unit_staff, world)
    assert extra == {
        ("priorities.moderate_round", None),
        ("priorities.amend_roundentry", "agreed entry"),
    }
    assert allowed(unit_staff, world) - allowed(unit_leader, world) == set()


def test_a_priority_lead_writes_their_plan_and_answers_for_their_priority(world, priority_lead):
    assert allowed(priority_lead, world) == {
        ("priorities.view_priority", "priority"),
        ("priorities.describe_priority", "priority"),
        ("priorities.enter_data", "priority"),
        ("priorities.import_data", None),
        ("priorities.view_round", "agreed round"),
        ("priorities.add_selfassessment", "entry in progress"),
        ("plans.view_deliveryplan", "plan"),
        ("plans.change_planversion", "draft"),
        ("plans.submit_planversion", "draft"),
        ("plans.comment_planversion", "draft"),
        ("stocktakes.view_action", "action"),
        ("stocktakes.change_action", "action"),
        ("reviews.view_review", "review"),
        ("reviews.list_review", "review"),
        ("reviews.view_issued_report", "review"),
    }


def test_another_lead_reads_what_is_agreed_and_changes_nothing_of_this_priority(world, other_lead):
    assert allowed(other_lead, world) == {
        ("priorities.view_priority", "priority"),
        ("priorities.describe_priority", "other_priority"),
        ("priorities.import_data", None),
        ("priorities.view_round", "agreed round"),
        ("plans.view_deliveryplan", "plan"),
        ("reviews.view_review", "review"),
    }


def test_leadership_reads_stocktakes_and_issued_reports_and_never_rates(world, leadership):
    assert allowed(leadership, world) == {
        ("priorities.view_priority", "priority"),
        ("priorities.view_round", "agreed round"),
        ("plans.view_deliveryplan", "plan"),
        ("stocktakes.view_stocktake_list", None),
        ("stocktakes.view_stocktake", "stocktake"),
        ("stocktakes.view_every_action", None),
        ("stocktakes.view_action", "action"),
        ("reviews.view_review", "review"),
        ("reviews.list_review", "review"),
        ("reviews.view_issued_report", "review"),
    }


def test_administrators_read_everything_and_edit_only_the_framework(world, administrator):
    assert allowed(administrator, world) == {
        ("priorities.view_priority", "priority"),
        ("priorities.view_rounds_in_progress", None),
        ("priorities.view_round", "round in progress"),
        ("priorities.view_round", "agreed round"),
        ("priorities.view_roundentry", "entry in progress"),
        ("assessment.change_framework", None),
        ("plans.view_deliveryplan", "plan"),
        ("stocktakes.view_stocktake_list", None),
        ("stocktakes.view_stocktake", "stocktake"),
        ("stocktakes.view_every_action", None),
        ("stocktakes.view_action", "action"),
        ("reviews.view_review", "review"),
        ("reviews.list_review", "review"),
        ("reviews.view_issued_report", "review"),
    }


def test_service_staff_on_the_review_team_read_its_fieldwork(world, service_member):
    assert allowed(service_member, world) == {
        ("priorities.view_priority", "priority"),
        ("priorities.view_round", "agreed round"),
        ("plans.view_deliveryplan", "plan"),
        ("reviews.view_review", "review"),
        ("reviews.list_review", "review"),
        ("reviews.view_fieldwork", "review"),
        ("reviews.view_issued_report", "review"),
    }


def test_service_staff_enter_their_priority_s_data_and_write_the_plan_they_are_added_to(world):
    officer = make_user("jordan", Role.SERVICE_STAFF, job_title="Temporary Accommodation Manager")
    world["priority"].service_staff.add(officer)
    world["plan"].writers.add(officer)
    assert allowed(officer, world) == {
        ("priorities.view_priority", "priority"),
        ("priorities.enter_data", "priority"),
        ("priorities.import_data", None),
        ("priorities.view_round", "agreed round"),
        ("priorities.support_priorities", None),
        ("plans.view_deliveryplan", "plan"),
        ("plans.change_planversion", "draft"),
        ("plans.comment_planversion", "draft"),
        ("reviews.view_review", "review"),
    }


def test_service_staff_named_on_nothing_read_only(world):
    officer = make_user("jordan", Role.SERVICE_STAFF)
    assert allowed(officer, world) == {
        ("priorities.view_priority", "priority"),
        ("priorities.view_round", "agreed round"),
        ("priorities.support_priorities", None),
        ("plans.view_deliveryplan", "plan"),
        ("reviews.view_review", "review"),
    }


def test_a_cabinet_member_reads_their_portfolio_and_its_decisions_and_never_rates(world):
    councillor = make_user("ruth", Role.CABINET_MEMBER, job_title="Cabinet Member for Housing")
    world["priority"].portfolio_holder = councillor
    world["priority"].save()
    assert allowed(councillor, world) == {
        ("priorities.view_priority", "priority"),
        ("priorities.view_round", "agreed round"),
        ("priorities.follow_portfolio", None),
        ("plans.view_deliveryplan", "plan"),
        ("reviews.view_review", "review"),
    }
    # The decisions about their portfolio's priorities, once the stocktake is held; not others'.
    stocktake = world["stocktake"]
    item = stocktake.agenda.get(priority=world["priority"])
    other_item = stocktake.agenda.get(priority=world["other_priority"])
    assert not councillor.has_perm("stocktakes.view_decisions", item)
    Stocktake.objects.filter(pk=stocktake.pk).update(status=Stocktake.Status.HELD)
    item.refresh_from_db()
    other_item.refresh_from_db()
    assert councillor.has_perm("stocktakes.view_decisions", item)
    assert not councillor.has_perm("stocktakes.view_decisions", other_item)
