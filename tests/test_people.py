"""Managing people: adding a person, changing their details and role, the Unit Leader,
deactivating a leaver (their sessions end at once) and handing over what they held, in one
transaction, every change recorded and shown on their page."""

from dataclasses import replace
from datetime import date

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse

from delivery_unit import holdings as registry
from delivery_unit.history import edits
from delivery_unit.holdings import HandOverRefused, hand_over, held_by
from delivery_unit.models import HandedOver, Role, User
from delivery_unit.signin import OIDCBackend
from plans.models import DeliveryPlan, Milestone, Risk
from priorities.models import Priority
from reviews.models import FieldworkEntry, Recommendation, TeamMember
from stocktakes.models import Action, Stocktake
from tests.conftest import make_user
from tests.reviews_setup import commission

# Foreign keys and many-to-many fields to the user that record who did something, or who was
# there: never handed over. Every other relation to the user must be a registered holding.
RECORDS = {
    "assessment.challenge.made_by",
    "assessment.framework.created_by",
    "assessment.scorecard.updated_by",
    "delivery_unit.handedover.by",
    "delivery_unit.handedover.person",
    "delivery_unit.handedover.successor",
    "plans.comment.author",
    "plans.plansection.updated_by",
    "plans.planversion.created_by",
    "plans.planversion.decided_by",
    "plans.planversion.submitted_by",
    "priorities.actual.entered_by",
    "priorities.actualimport.created_by",
    "priorities.round.agreed_by",
    "priorities.round.moderation_started_by",
    "priorities.round.opened_by",
    "priorities.roundentry.proposed_by",
    "priorities.selfassessment.assessed_by",
    "priorities.trajectoryrevision.changed_by",
    "reviews.evidence.uploaded_by",
    "reviews.fieldworkentry.recorded_by",
    "reviews.issuedreport.issued_by",
    "reviews.progressnote.by",
    "reviews.recommendation.responded_by",
    "reviews.review.created_by",
    "reviews.review.terms_signed_off_by",
    "stocktakes.action.created_by",
    "stocktakes.action.updated_by",
    "stocktakes.agendaitem.recorded_by",
    "stocktakes.followupnote.sent_by",
    "stocktakes.followupnote.updated_by",
    "stocktakes.issuedpack.issued_by",
    "stocktakes.packgeneration.requested_by",
    "stocktakes.stocktake.created_by",
    "notes.issuednote.issued_by",
    "notes.monthlynote.created_by",
    "notes.monthlynote.updated_by",
    # A person's own: their calendar feed, their choice of reminders and what was sent to them
    # stay theirs (a successor has their own).
    "forward_look.calendarfeed.person",
    "rhythm.reminderpreference.person",
    "rhythm.sentmessage.person",
}


def _relations_to_user() -> set[str]:
    found = set()
    for model in apps.get_models():
        if model.__module__.startswith(("django.", "simple_history", "axes")):
            continue
        if model._meta.label_lower.startswith(("auth.", "admin.")) or "historical" in (
            model._meta.model_name
        ):
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.ManyToManyField)
                and field.related_model is User
                and not field.auto_created
            ):
                found.add(f"{model._meta.label_lower}.{field.name}")
    return found


def test_every_relation_to_a_person_is_a_holding_or_a_record():
    holdings = {".".join(field) for holding in registry.holdings() for field in holding.fields}
    relations = _relations_to_user()
    unclassified = relations - holdings - RECORDS
    assert not unclassified, (
        f"Register these as holdings (handed over) or list them as records: {sorted(unclassified)}"
    )
    assert not (holdings & RECORDS)
    assert relations >= RECORDS, f"No longer relations to the user: {sorted(RECORDS - relations)}"


@pytest.fixture
def leaver(db) -> User:
    return User.objects.create(
        username="sam",
        first_name="Sam",
        last_name="Leaver",
        email="sam.leaver@example.org",
        role=Role.UNIT_STAFF,
    )


@pytest.fixture
def world(leaver, priority, unit_staff, other_lead, leadership):
    """The leaver holds one or more of every kind of holding."""
    rough = Priority.objects.create(
        title="Rough sleeping", slug="rough-sleeping", aspiration="Nobody out.", lead=leaver
    )
    rough.analyst = leaver
    rough.portfolio_holder = leaver
    rough.save()
    rough.service_staff.add(leaver)
    draft = DeliveryPlan.start(rough, by=leaver)
    draft.plan.writers.add(leaver)
    Milestone.objects.create(plan_version=draft, title="Open the hub", owner=leaver, due="2027-1-1")
    Risk.objects.create(
        plan_version=draft, description="Staff leave", likelihood=2, impact=3, owner="Sam Leaver"
    )
    led = commission(rough, commissioner=leaver, lead=leaver, title="Rough sleeping review")
    Recommendation.objects.create(
        review=led, text="Open earlier.", owner=leaver, due_date=date(2027, 3, 1)
    )
    # On another review's team, present at its fieldwork: they stay on that team as its record.
    other = commission(priority, commissioner=leadership, lead=unit_staff)
    place = TeamMember.objects.create(review=other, user=leaver, role="Analyst")
    entry = FieldworkEntry.objects.create(
        review=other,
        kind="interview",
        who_or_where="Outreach team",
        date=date(2026, 9, 20),
        notes="Said.",
        recorded_by=unit_staff,
    )
    entry.present.add(place)
    stocktake = Stocktake.plan(
        title="Homelessness stocktake", date=date(2026, 12, 10), priorities=[rough], by=unit_staff
    )
    stocktake.chairs.add(leaver)
    stocktake.attendees.add(leaver)
    item = stocktake.agenda.get()
    Action.agree(
        item=item, description="Count again.", owner=leaver, due_date="2027-01-01", by=unit_staff
    )
    return {"priority": rough, "led_review": led, "other_review": other, "stocktake": stocktake}


@pytest.fixture
def successors(unit_leader, other_lead, leadership) -> dict[str, User]:
    """Someone who may take over each kind."""
    return {
        "priority_lead": other_lead,
        "priority_analyst": unit_leader,
        "priority_service_staff": other_lead,
        "plan_writer": other_lead,
        "milestone_owner": other_lead,
        "risk_owner": other_lead,
        "review_lead": unit_leader,
        "review_commissioner": unit_leader,
        "review_team": unit_leader,
        "recommendation_owner": unit_leader,
        "action_owner": unit_leader,
        "stocktake_chair": leadership,
        "stocktake_attendee": other_lead,
        "agenda_lead": unit_leader,
        "portfolio": make_user("ruth", Role.CABINET_MEMBER),
    }


def test_the_leaver_holds_every_kind_of_holding(world, leaver):
    assert {held.holding.key for held in held_by(leaver)} == {h.key for h in registry.holdings()}


def test_hand_over_moves_every_kind_in_one_go(
    world, leaver, successors, administrator, unit_leader, other_lead, leadership
):
    moved = hand_over(leaver, successors, by=administrator)

    rough = Priority.objects.get(pk=world["priority"].pk)
    assert (rough.lead, rough.analyst) == (other_lead, unit_leader)
    assert rough.portfolio_holder == successors["portfolio"]
    assert list(rough.service_staff.all()) == [other_lead]
    assert list(rough.plan.writers.all()) == [other_lead]
    assert Milestone.objects.get().owner == other_lead
    assert Milestone.objects.get().history.first().history_user == administrator
    assert Risk.objects.get().owner == str(other_lead)
    led = world["led_review"]
    led.refresh_from_db()
    assert (led.lead, led.commissioned_by) == (unit_leader, unit_leader)
    assert set(led.team.values_list("user", flat=True)) == {unit_leader.pk}
    assert Recommendation.objects.get().owner == unit_leader
    # The other review's team: the successor joins in the leaver's role; the leaver stays, as
    # they were present at fieldwork.
    team = dict(world["other_review"].team.values_list("user", "role"))
    assert team[unit_leader.pk] == "Analyst" and leaver.pk in team
    stocktake = world["stocktake"]
    assert list(stocktake.chairs.all()) == [leadership]
    assert leaver not in stocktake.attendees.all()
    assert stocktake.agenda.get().lead_attending == unit_leader
    assert Action.objects.get().owner == unit_leader
    # Every item recorded on the leaver, naming the successor.
    given = HandedOver.objects.filter(person=leaver, by=administrator)
    assert given.count() == moved == 16
    assert given.get(what="Lead of Rough sleeping").successor == other_lead
    assert {held.holding.key for held in held_by(leaver)} == {"review_team"}


def test_hand_over_rolls_back_whole_on_an_error(world, leaver, successors, administrator):
    before = {held.holding.key: [i.pk for i in held.items] for held in held_by(leaver)}
    last = registry.holdings()[-1]

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    registry.register_holding(replace(last, give=fail))
    try:
        with pytest.raises(RuntimeError):
            hand_over(leaver, successors, by=administrator)
    finally:
        registry.register_holding(last)

    after = {held.holding.key: [i.pk for i in held.items] for held in held_by(leaver)}
    assert after == before
    assert not HandedOver.objects.exists()
    assert Priority.objects.get(pk=world["priority"].pk).lead == leaver


def test_hand_over_refuses_nobody_where_an_owner_is_needed(
    world, leaver, successors, administrator
):
    with pytest.raises(HandOverRefused, match="Stocktake actions they own must each have someone"):
        hand_over(leaver, successors | {"action_owner": None}, by=administrator)
    assert Action.objects.get().owner == leaver


def test_hand_over_refuses_a_successor_of_the_wrong_role(
    world, leaver, successors, administrator, other_lead
):
    with pytest.raises(HandOverRefused, match="cannot take over priorities they analyse"):
        hand_over(leaver, successors | {"priority_analyst": other_lead}, by=administrator)
    assert not HandedOver.objects.exists()


def _hand_over_form(successors: dict[str, User]) -> dict[str, str]:
    return {f"to_{key}": str(person.pk) for key, person in successors.items()}


def test_the_hand_over_pages_check_then_give(
    world, leaver, successors, administrator, client_for, other_lead
):
    client = client_for(administrator)
    url = reverse("people:hand_over", kwargs={"pk": leaver.pk})
    page = client.get(url)
    assert b"Rough sleeping review" in page.content
    data = _hand_over_form(successors)

    check = client.post(url, data)
    assert check.status_code == 200
    assert b"Check the hand-over" in check.content
    assert Priority.objects.get(pk=world["priority"].pk).lead == leaver

    done = client.post(url, data | {"confirm": "yes"})
    assert done.status_code == 302
    assert Priority.objects.get(pk=world["priority"].pk).lead == other_lead
    their_page = client.get(reverse("people:detail", kwargs={"pk": other_lead.pk}))
    assert b"Lead of Rough sleeping" in their_page.content
    assert b'<td class="govuk-table__cell">Sam Leaver</td>' in their_page.content


def test_leaving_something_with_nobody_must_be_confirmed(world, leaver, successors, administrator):
    from django.test import Client

    client = Client()
    client.force_login(administrator)
    url = reverse("people:hand_over", kwargs={"pk": leaver.pk})
    required = client.post(url, _hand_over_form(successors) | {"to_action_owner": "nobody"})
    assert b"Choose someone who may take over stocktake actions they own" in required.content
    data = _hand_over_form(successors) | {"to_milestone_owner": "nobody"}
    refused = client.post(url, data | {"confirm": "yes"})
    assert refused.status_code == 200
    assert b"Confirm that milestones they own will be left without an owner" in refused.content
    assert Milestone.objects.get().owner == leaver

    client.post(url, data | {"leave_unowned": "on", "confirm": "yes"})
    assert Milestone.objects.get().owner is None
    given = HandedOver.objects.get(what="Owner of the milestone Open the hub (Rough sleeping)")
    assert given.successor is None


def test_a_deactivated_persons_session_is_refused_on_the_next_request(
    leaver, administrator, client_for
):
    theirs = client_for(leaver)
    assert theirs.get(reverse("home")).status_code == 200
    admin = client_for(administrator)

    response = admin.post(reverse("people:deactivate", kwargs={"pk": leaver.pk}))

    assert response.status_code == 302
    following = theirs.get(reverse("home"))
    assert following.status_code == 302
    assert following["Location"].startswith(reverse("login"))
    assert not any(
        str(s.get_decoded().get("_auth_user_id")) == str(leaver.pk) for s in Session.objects.all()
    )
    leaver.refresh_from_db()
    assert not leaver.is_active
    [change] = edits(leaver)[0].changes
    assert (change.name, change.before, change.after) == ("Active", "Yes", "No")
    assert edits(leaver)[0].who == administrator
    # The administrator's own session is untouched.
    assert admin.get(reverse("home")).status_code == 200


def test_single_sign_on_does_not_load_a_deactivated_person(leaver):
    assert OIDCBackend().get_user(leaver.pk) == leaver
    leaver.is_active = False
    leaver.save()
    assert OIDCBackend().get_user(leaver.pk) is None


def test_deactivating_with_holdings_goes_on_to_the_hand_over(world, leaver, administrator):
    from django.test import Client

    client = Client()
    client.force_login(administrator)
    confirm = client.get(reverse("people:deactivate", kwargs={"pk": leaver.pk}))
    assert b"Rough sleeping" in confirm.content
    response = client.post(reverse("people:deactivate", kwargs={"pk": leaver.pk}))
    assert response["Location"] == reverse("people:hand_over", kwargs={"pk": leaver.pk})


def test_an_administrator_adds_a_person(administrator, client_for):
    client = client_for(administrator)
    data = {
        "first_name": "Jordan",
        "last_name": "Reid",
        "email": "Jordan.Reid@example.org",
        "job_title": "Temporary Accommodation Manager",
        "role": "priority_lead",
    }
    response = client.post(reverse("people:add"), data)

    person = User.objects.get(email="jordan.reid@example.org")
    assert response["Location"] == reverse("people:detail", kwargs={"pk": person.pk})
    assert (person.username, person.role, person.has_usable_password()) == (
        "jordan.reid@example.org",
        "priority_lead",
        False,
    )
    assert person.history.get().history_user == administrator

    again = client.post(reverse("people:add"), data)
    assert b"Someone else already has this email address" in again.content
    assert User.objects.filter(email="jordan.reid@example.org").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_name": ""}, "Enter their first name"),
        ({"email": "not an address"}, "Enter an email address in the correct format"),
        ({"role": "superuser"}, "Select one of the roles"),
        ({"last_name": "x" * 151}, "Last name must be 150 characters or fewer"),
    ],
)
def test_bad_input_adds_nobody(administrator, client_for, data, message):
    good = {"first_name": "A", "last_name": "B", "email": "a@example.org", "role": "leadership"}
    response = client_for(administrator).post(reverse("people:add"), good | data)
    assert response.status_code == 200
    assert message.encode() in response.content
    assert b"There is a problem" in response.content
    assert not User.objects.filter(email="a@example.org").exists()


def test_a_role_change_is_recorded_and_ends_being_unit_leader(
    unit_leader, administrator, client_for
):
    client = client_for(administrator)
    data = {
        "first_name": unit_leader.first_name,
        "last_name": "",
        "email": "tom@example.org",
        "job_title": unit_leader.job_title,
        "role": "leadership",
    }
    data["last_name"] = "Okafor"
    client.post(reverse("people:edit", kwargs={"pk": unit_leader.pk}), data)

    unit_leader.refresh_from_db()
    assert (unit_leader.role, unit_leader.is_unit_leader) == ("leadership", False)
    latest = edits(unit_leader)[0]
    assert latest.who == administrator
    assert {(c.name, c.before, c.after) for c in latest.changes} == {
        ("Role", "Unit staff", "Leadership"),
        ("Unit leader", "Yes", "No"),
        ("Email address", "Not set", "tom@example.org"),
        ("Last name", "Not set", "Okafor"),
    }
    page = client.get(reverse("people:detail", kwargs={"pk": unit_leader.pk}))
    assert b"Unit staff" in page.content and b"Leadership" in page.content


def test_marking_the_unit_leader_moves_the_mark(unit_leader, unit_staff, administrator, client_for):
    client = client_for(administrator)
    url = reverse("people:unit_leader", kwargs={"pk": unit_staff.pk})
    assert f"{unit_leader} is the Unit Leader now".encode() in client.get(url).content
    client.post(url)
    assert list(User.objects.filter(is_unit_leader=True)) == [unit_staff]
    [change] = edits(unit_leader)[0].changes
    assert (change.name, change.before, change.after) == ("Unit leader", "Yes", "No")


def test_only_unit_staff_can_be_the_unit_leader(priority_lead, administrator, client_for):
    url = reverse("people:unit_leader", kwargs={"pk": priority_lead.pk})
    assert client_for(administrator).post(url).status_code == 409
    assert not User.objects.filter(is_unit_leader=True).exists()


def test_an_administrator_cannot_deactivate_themselves_or_change_their_own_role(
    administrator, client_for
):
    client = client_for(administrator)
    url = reverse("people:deactivate", kwargs={"pk": administrator.pk})
    assert client.post(url).status_code == 403
    data = {"first_name": "A", "last_name": "B", "email": "admin@example.org", "role": "leadership"}
    response = client.post(reverse("people:edit", kwargs={"pk": administrator.pk}), data)
    assert b"You cannot change your own role" in response.content
    administrator.refresh_from_db()
    assert administrator.is_active and administrator.role == "administrator"


def test_reactivating_lets_them_sign_in_again(leaver, administrator, client_for):
    leaver.deactivate(by=administrator)
    client_for(administrator).post(reverse("people:reactivate", kwargs={"pk": leaver.pk}))
    leaver.refresh_from_db()
    assert leaver.is_active
    assert [e.changes[0].after for e in edits(leaver)[:2]] == ["Yes", "No"]


@pytest.mark.parametrize("extra", [3, 30])
def test_the_people_pages_read_in_a_fixed_number_of_queries(
    world, leaver, administrator, client_for, django_assert_max_num_queries, extra
):
    for number in range(extra):
        make_user(f"person{number}", Role.PRIORITY_LEAD)
    client = client_for(administrator)
    with django_assert_max_num_queries(8):
        client.get(reverse("people:list"))
    with django_assert_max_num_queries(30):
        client.get(reverse("people:detail", kwargs={"pk": leaver.pk}))
