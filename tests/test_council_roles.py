"""Service staff and cabinet members: the data migrations that give them their places, and the
start pages that are theirs."""

from importlib import import_module

from django.apps import apps
from django.urls import reverse

from delivery_unit.models import Role, User
from plans.models import DeliveryPlan
from priorities.models import Priority
from stocktakes.models import Stocktake
from tests.conftest import make_user

link_cabinet_members = import_module("priorities.migrations.0013_link_cabinet_members").link
service_staff_role = import_module("plans.migrations.0007_service_staff_role").service_staff


def _priority(slug: str, cabinet_member: str, **extra) -> Priority:
    return Priority.objects.create(
        title=slug.title(), slug=slug, aspiration="More.", cabinet_member=cabinet_member, **extra
    )


def test_a_cabinet_member_named_as_text_is_linked_where_exactly_one_person_matches(db):
    ruth = User.objects.create(
        username="ruth", first_name="Cllr Ruth", last_name="Okonjo", role=Role.CABINET_MEMBER
    )
    User.objects.create(username="ian1", first_name="Ian", last_name="Shaw")
    User.objects.create(username="ian2", first_name="Ian", last_name="Shaw")
    housing = _priority("housing", "Councillor RUTH  Okonjo, Cabinet Member for Housing")
    finance = _priority("finance", "Cllr Ian Shaw, Cabinet Member for Finance")
    waste = _priority("waste", "Cllr Dev Bhatt, Cabinet Member for Environment")

    link_cabinet_members(apps, None)

    housing.refresh_from_db()
    finance.refresh_from_db()
    waste.refresh_from_db()
    assert housing.portfolio_holder == ruth
    assert housing.cabinet_member_name == "Cllr Ruth Okonjo"
    # Two people of that name: nobody is guessed, and the text stays the cabinet member.
    assert finance.portfolio_holder is None
    assert finance.cabinet_member_name == "Cllr Ian Shaw, Cabinet Member for Finance"
    assert waste.portfolio_holder is None
    # The text is kept as it was typed.
    assert housing.cabinet_member == "Councillor RUTH  Okonjo, Cabinet Member for Housing"


def test_service_staff_who_carried_the_lead_role_get_their_own(priority, priority_lead):
    officer = make_user("officer", Role.PRIORITY_LEAD)
    writer = make_user("writer", Role.PRIORITY_LEAD)
    make_user("bystander", Role.PRIORITY_LEAD)
    priority.service_staff.add(officer, priority_lead)
    DeliveryPlan.objects.get(priority=priority).writers.add(writer)

    service_staff_role(apps, None)

    roles = dict(User.objects.values_list("username", "role"))
    assert roles["officer"] == roles["writer"] == Role.SERVICE_STAFF
    # A lead named as service staff elsewhere still leads; someone named nowhere is unchanged.
    assert roles["lead"] == roles["bystander"] == Role.PRIORITY_LEAD


def test_a_cabinet_member_s_home_page_is_their_portfolio(
    stocktake, rated_priority, other_priority, client_for
):
    councillor = make_user("ruth", Role.CABINET_MEMBER)
    Priority.objects.filter(pk=rated_priority.pk).update(portfolio_holder=councillor)
    item = stocktake.agenda.get(priority=rated_priority)
    item.decisions = "Lease 200 more homes.\\nReport back in March."
    item.save()
    other = stocktake.agenda.get(priority=other_priority)
    other.decisions = "Not theirs."
    other.save()
    client = client_for(councillor)

    planning = client.get(reverse("home")).content.decode()
    assert "Your portfolio" in planning and "Temporary Accommodation" in planning
    assert "Amber-red" in planning
    assert "Lease 200 more homes." not in planning  # the stocktake is not held yet

    Stocktake.objects.filter(pk=stocktake.pk).update(status=Stocktake.Status.HELD)
    held = client.get(reverse("home")).content.decode()
    assert "Lease 200 more homes." in held and "Report back in March." in held
    assert "Not theirs." not in held
    assert "Council tax collection" not in held


def test_service_staff_s_home_page_lists_their_priorities_and_plans(priority, client_for):
    officer = make_user("officer", Role.SERVICE_STAFF)
    priority.service_staff.add(officer)
    priority.plan.writers.add(officer)
    page = client_for(officer).get(reverse("home")).content.decode()
    assert "Priorities you enter data for" in page
    assert reverse("priorities:data", kwargs={"slug": priority.slug}) in page
    assert "Delivery plans you write" in page
    assert reverse("plans:detail", kwargs={"slug": priority.slug}) in page


def test_the_priority_page_names_the_cabinet_member(priority, client_for, unit_staff):
    councillor = make_user("ruth", Role.CABINET_MEMBER, last_name="Okonjo")
    response = client_for(unit_staff).post(
        reverse("priorities:edit", kwargs={"slug": priority.slug}),
        {
            "title": priority.title,
            "aspiration": priority.aspiration,
            "status": "active",
            "lead": priority.lead_id,
            "portfolio_holder": councillor.pk,
            "cabinet_member": "Someone typed",
            "version": "1",
            "start_date_0": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    priority.refresh_from_db()
    assert (priority.portfolio_holder, priority.cabinet_member) == (councillor, "")
    assert (
        str(councillor) in client_for(unit_staff).get(priority.get_absolute_url()).content.decode()
    )
