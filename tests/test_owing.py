"""What each person owes (rhythm/owing.py): every kind, due against overdue across the council's
calendar, deactivated people, each role's home page, the unit's page and its filters, and the
number of queries whatever the council's size."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery_unit.models import Role, User
from plans.models import DeliveryPlan, Milestone, Risk
from priorities.indicators.models import Actual
from priorities.models import Priority
from priorities.rounds.models import Round
from reviews.models import Review
from rhythm.owing import Owed, month_end_working_day, owed_by, owed_by_everyone
from stocktakes.models import Action
from tests.conftest import make_round, make_user

# Tuesday 22 April 2025: Good Friday (18th) and Easter Monday (21st) were bank holidays.
AFTER_EASTER = date(2025, 4, 22)


def _keys(items: list[Owed]) -> list[str]:
    return [item.key for item in items]


def _of_kind(items: list[Owed], kind: str) -> list[Owed]:
    return [item for item in items if item.kind == kind]


@pytest.fixture
def service_staff(db, priority) -> User:
    person = make_user("officer2", Role.SERVICE_STAFF, job_title="Data officer")
    priority.service_staff.add(person)
    return person


def _actual(indicator, period: date, by) -> None:
    Actual.objects.create(indicator=indicator, period=period, value=Decimal(3000), entered_by=by)


def _milestone(priority, *, owner, due: date, status: str = "not_started") -> Milestone:
    version = priority.plan.versions.order_by("-number").first()
    return Milestone.objects.create(
        plan_version=version,
        title="Open the new hub",
        owner=owner,
        due=due,
        status=status,
        done_on=due if status == "done" else None,
    )


def _action(stocktake, *, owner, due: date, by, status: str = "not_started") -> Action:
    item = stocktake.agenda.order_by("position").first()
    action = Action.agree(
        item=item, description="Report the voids", owner=owner, due_date=due, by=by
    )
    if status != "not_started":
        Action.objects.filter(pk=action.pk).update(status=status)
    return action


# Data


def test_data_is_owed_for_each_ended_period_after_the_latest_actual(indicator, priority_lead):
    _actual(indicator, date(2025, 1, 1), priority_lead)
    items = owed_by(priority_lead, today=date(2025, 4, 10))
    assert _keys(items) == ["data:TA-01:2025-02-01", "data:TA-01:2025-03-01"]
    february, march = items
    # February closes on Friday the 28th; twenty working days later is Friday 28 March.
    assert february.due == date(2025, 3, 28)
    assert february.what == "Data for TA-01 Households in temporary accommodation, Feb 2025"
    assert february.url == (
        reverse("priorities:data", kwargs={"slug": "temporary-accommodation"})
        + f"?until=2025-02#cell-{indicator.pk}-2025-02"
    )
    assert february.priority == indicator.priority and february.person == priority_lead
    # March closes on Monday the 31st: twenty working days skip Good Friday and Easter Monday.
    assert march.due == date(2025, 4, 30)


def test_data_due_and_overdue_across_a_weekend(indicator, priority_lead):
    _actual(indicator, date(2025, 1, 1), priority_lead)
    (on_the_day,) = [i for i in owed_by(priority_lead, today=date(2025, 3, 28)) if i.due]
    assert not on_the_day.is_overdue(date(2025, 3, 28))
    assert on_the_day.working_days_late(date(2025, 3, 28)) == 0
    # Saturday and Sunday are not working days: on Monday it is one working day late.
    assert on_the_day.is_overdue(date(2025, 3, 31))
    assert on_the_day.working_days_late(date(2025, 3, 29)) == 0
    assert on_the_day.working_days_late(date(2025, 3, 31)) == 1


def test_a_period_not_yet_ended_is_not_owed(indicator, priority_lead):
    _actual(indicator, date(2025, 3, 1), priority_lead)
    assert owed_by(priority_lead, today=date(2025, 4, 30)) == []
    assert _keys(owed_by(priority_lead, today=date(2025, 5, 1))) == ["data:TA-01:2025-04-01"]


def test_with_no_actual_data_is_owed_from_the_baseline(indicator, priority_lead):
    keys = _keys(owed_by(priority_lead, today=date(2025, 3, 3)))
    assert keys == ["data:TA-01:2025-01-01", "data:TA-01:2025-02-01"]


def test_service_staff_owe_the_data_they_enter_and_unit_staff_do_not(
    indicator, priority_lead, service_staff, unit_staff
):
    _actual(indicator, date(2025, 2, 1), priority_lead)
    today = date(2025, 4, 1)
    assert _keys(owed_by(service_staff, today=today)) == ["data:TA-01:2025-03-01"]
    assert owed_by(unit_staff, today=today) == []
    everyone = owed_by_everyone(today=today)
    assert {(i.key, i.person) for i in everyone} == {
        ("data:TA-01:2025-03-01", priority_lead),
        ("data:TA-01:2025-03-01", service_staff),
    }


def test_a_priority_that_is_not_active_owes_no_data(indicator, priority_lead):
    Priority.objects.filter(pk=indicator.priority_id).update(status=Priority.Status.PAUSED)
    assert owed_by(priority_lead, today=date(2025, 6, 1)) == []


# Milestones and risks


def test_milestones_not_done_are_owed_by_their_owner(priority, priority_lead, other_lead):
    mine = _milestone(priority, owner=priority_lead, due=date(2026, 11, 20))
    _milestone(priority, owner=priority_lead, due=date(2026, 11, 21), status="done")
    theirs = _milestone(priority, owner=other_lead, due=date(2026, 11, 22))
    today = date(2026, 11, 24)
    (item,) = _of_kind(owed_by(priority_lead, today=today), "milestone")
    assert item.key == f"milestone:{mine.pk}:2026-11-20"
    assert item.url.endswith("/plan/#section-milestones")
    assert item.is_overdue(today) and item.working_days_late(today) == 2
    assert _keys(_of_kind(owed_by(other_lead, today=today), "milestone")) == [
        f"milestone:{theirs.pk}:2026-11-22"
    ]


def test_a_milestone_with_no_owner_is_owed_by_the_lead_and_the_writers(
    priority, priority_lead, service_staff
):
    priority.plan.writers.add(service_staff)
    milestone = _milestone(priority, owner=None, due=date(2026, 12, 15))
    for person in (priority_lead, service_staff):
        items = _of_kind(owed_by(person, today=date(2026, 12, 1)), "milestone")
        assert _keys(items) == [f"milestone:{milestone.pk}:2026-12-15"]
        assert not items[0].is_overdue(date(2026, 12, 1))


def test_open_risks_are_reviewed_monthly_by_the_plan_s_people(
    priority, priority_lead, service_staff
):
    priority.plan.writers.add(service_staff)
    version = priority.plan.versions.get()
    risk = Risk.objects.create(
        plan_version=version, description="Landlords leave", likelihood=3, impact=4
    )
    # Made in an earlier month: this month's review is owed.
    Risk.history.filter(id=risk.pk).update(history_date=timezone.make_aware(datetime(2026, 10, 5)))
    today = date(2026, 11, 10)
    due = month_end_working_day(today)
    assert due == date(2026, 11, 30)
    for person in (priority_lead, service_staff):
        (item,) = _of_kind(owed_by(person, today=today), "risk")
        assert item.key == f"risk:{priority.plan.pk}:2026-11-30"
        assert item.url.endswith("#section-risks")
    # Changing a risk this month is its review.
    Risk.history.filter(id=risk.pk).update(history_date=timezone.make_aware(datetime(2026, 11, 3)))
    assert _of_kind(owed_by(priority_lead, today=today), "risk") == []
    # A closed risk is not reviewed.
    Risk.history.filter(id=risk.pk).update(history_date=timezone.make_aware(datetime(2026, 10, 3)))
    Risk.objects.filter(pk=risk.pk).update(status=Risk.Status.CLOSED)
    assert _of_kind(owed_by(priority_lead, today=today), "risk") == []


def test_the_month_s_last_working_day_skips_a_weekend_and_a_bank_holiday():
    assert month_end_working_day(date(2026, 5, 4)) == date(2026, 5, 29)  # 31st a Sunday
    # 31 August 2026 is the summer bank holiday (a Monday).
    assert month_end_working_day(date(2026, 8, 10)) == date(2026, 8, 28)


# Self-assessments, actions, recommendations


def test_a_self_assessment_is_owed_in_an_open_round_only(
    client_for, priority, priority_lead, unit_staff, other_lead
):
    round_ = make_round(
        {priority: "amber_green"}, by=unit_staff, day=date(2026, 12, 31), status="open"
    )
    (item,) = _of_kind(owed_by(priority_lead), "self_assessment")
    assert item.due == date(2026, 12, 31)
    assert item.url == reverse(
        "assessment:self_assessment", kwargs={"pk": round_.pk, "slug": priority.slug}
    )
    # The form is the lead's alone: the unit follows it at the priority's rating.
    entry_url = reverse("assessment:entry", kwargs={"pk": round_.pk, "slug": priority.slug})
    assert item.url_for_others == entry_url
    page = client_for(unit_staff).get(reverse("rhythm:owed")).content.decode()
    assert f'href="{entry_url}"' in page and f'href="{item.url}"' not in page
    assert client_for(unit_staff).get(entry_url).status_code == 200
    assert owed_by(other_lead) == []
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.MODERATION)
    assert _of_kind(owed_by(priority_lead), "self_assessment") == []


def test_open_actions_are_owed_by_their_owner(stocktake, priority_lead, unit_staff):
    open_one = _action(stocktake, owner=priority_lead, due=date(2025, 4, 17), by=unit_staff)
    _action(stocktake, owner=priority_lead, due=date(2025, 4, 16), by=unit_staff, status="done")
    (item,) = _of_kind(owed_by(priority_lead, today=AFTER_EASTER), "action")
    assert item.key == f"action:{open_one.pk}:2025-04-17"
    assert item.url == open_one.get_absolute_url()
    # Due on Thursday 17 April: Good Friday and Easter Monday are not working days.
    assert item.working_days_late(AFTER_EASTER) == 1
    assert item.working_days_late(date(2025, 4, 18)) == 0


def test_an_action_owner_tied_to_nothing_else_owes_it_and_the_untied_ask_one_query(
    stocktake, unit_staff
):
    """What ties a person to anything owed is read first, in one query: an analyst who owns an
    action (and leads, staffs, writes and owns nothing else) owes it; one tied to nothing owes
    nothing, at the cost of that one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = make_user("analyst2", Role.UNIT_STAFF)
    action = _action(stocktake, owner=other, due=date(2025, 4, 17), by=unit_staff)
    assert _keys(owed_by(other, today=AFTER_EASTER)) == [f"action:{action.pk}:2025-04-17"]
    with CaptureQueriesContext(connection) as queries:
        assert owed_by(unit_staff, today=AFTER_EASTER) == []
    assert len(queries) == 1


def test_open_recommendations_of_a_reported_review_are_owed(
    reported_review, priority_lead, unit_staff, leadership
):
    recommendation = reported_review.recommendations.get()
    (item,) = _of_kind(owed_by(priority_lead), "recommendation")
    assert item.key == f"recommendation:{recommendation.pk}:{recommendation.due_date}"
    assert item.url == recommendation.get_absolute_url()
    recommendation.__class__.objects.filter(pk=recommendation.pk).update(
        response="rejected", response_reason="Not affordable."
    )
    assert _of_kind(owed_by(priority_lead), "recommendation") == []


def test_recommendations_of_a_review_not_yet_reported_are_not_owed(filled_review, priority_lead):
    assert filled_review.status == Review.Status.ANALYSIS
    assert _of_kind(owed_by(priority_lead), "recommendation") == []


# Deactivated people


def test_a_deactivated_person_owes_nothing(
    indicator, stocktake, priority_lead, service_staff, unit_staff
):
    _action(stocktake, owner=priority_lead, due=date(2025, 4, 17), by=unit_staff)
    today = date(2025, 6, 1)
    assert owed_by(priority_lead, today=today)
    priority_lead.deactivate(by=unit_staff)
    assert owed_by(priority_lead, today=today) == []
    assert owed_by_everyone(today=today, person=priority_lead) == []
    people = {item.person for item in owed_by_everyone(today=today)}
    assert people == {service_staff}


# Each role's home page


def _overdue_action(stocktake, owner, by) -> Action:
    return _action(stocktake, owner=owner, due=timezone.localdate() - timedelta(days=10), by=by)


def test_a_lead_s_home_page_leads_with_what_they_owe(client_for, indicator, priority_lead):
    response = client_for(priority_lead).get(reverse("home"))
    page = response.content.decode()
    assert page.index("What you owe") < page.index("Priorities you lead")
    first = owed_by(priority_lead)[0]
    assert first.key == "data:TA-01:2025-01-01"
    today = timezone.localdate()
    late = first.working_days_late(today)
    assert late > 200
    assert f'href="{first.url.replace("&", "&amp;")}"' in page
    assert (
        f"Data for TA-01 Households in temporary accommodation, Jan 2025</a>, due "
        f"{first.due:%-d %B %Y}: {late} working days late"
    ) in page
    assert "Overdue</strong>" in page


def test_service_staff_see_the_data_they_enter(client_for, indicator, service_staff):
    page = client_for(service_staff).get(reverse("home")).content.decode()
    assert "What you owe" in page
    assert "Data for TA-01 Households in temporary accommodation, Jan 2025" in page
    assert reverse("priorities:data", kwargs={"slug": indicator.priority.slug}) in page


@pytest.mark.parametrize("role", ["unit_staff", "leadership", "administrator", "other_lead"])
def test_every_role_s_home_page_shows_their_actions(
    role, request, client_for, stocktake, unit_staff
):
    person = request.getfixturevalue(role)
    action = _overdue_action(stocktake, person, unit_staff)
    page = client_for(person).get(reverse("home")).content.decode()
    assert "What you owe" in page
    assert (
        f'<a class="govuk-link" href="{action.get_absolute_url()}">Action: Report the voids</a>'
        in page
    )
    assert "working days late" in page or "working day late" in page


def test_someone_who_owes_nothing_is_told_so(client_for, administrator):
    page = client_for(administrator).get(reverse("home")).content.decode()
    assert "Nothing is due from you at the moment." in page


# The unit's page and its filters


@pytest.fixture
def two_priorities(indicator, other_priority, other_lead, priority_lead):
    from priorities.indicators.models import Indicator

    Priority.objects.filter(pk=indicator.priority_id).update(
        services="Housing Demand, Temporary Accommodation"
    )
    Priority.objects.filter(pk=other_priority.pk).update(services="Revenues")
    Indicator.objects.create(
        priority=other_priority,
        code="CT-01",
        name="Council tax collected",
        unit="percentage",
        direction="higher",
        frequency="quarterly",
        baseline_value=Decimal(90),
        baseline_period=date(2025, 4, 1),
        target_value=Decimal(96),
        target_period=date(2027, 1, 1),
    )
    return indicator.priority, other_priority


def _owed_page(client, **query):
    response = client.get(reverse("rhythm:owed"), query)
    return response, response.content.decode()


def test_the_unit_sees_what_everyone_owes(client_for, unit_staff, two_priorities, other_lead):
    response, page = _owed_page(client_for(unit_staff))
    assert response.status_code == 200
    assert "Data for TA-01" in page and "Data for CT-01" in page
    assert str(other_lead) in page
    assert '<caption class="govuk-table__caption govuk-visually-hidden">' in page
    assert f'href="{reverse("rhythm:owed")}" aria-current="page">What everyone owes</a>' in page


def test_filter_by_priority(client_for, unit_staff, two_priorities):
    _housing, revenues = two_priorities
    _, page = _owed_page(client_for(unit_staff), priority=revenues.pk)
    assert "Data for CT-01" in page and "Data for TA-01" not in page
    assert "that match these filters" in page


def test_filter_by_person(client_for, unit_staff, two_priorities, priority_lead, stocktake):
    _action(stocktake, owner=unit_staff, due=date(2026, 1, 5), by=unit_staff)
    _, page = _owed_page(client_for(unit_staff), person=unit_staff.pk)
    assert "Action: Report the voids" in page
    assert "Data for TA-01" not in page and "Data for CT-01" not in page


def test_filter_by_service(client_for, unit_staff, two_priorities):
    _, page = _owed_page(client_for(unit_staff), service="Temporary Accommodation")
    assert "Data for TA-01" in page and "Data for CT-01" not in page
    assert '<option value="Revenues">Revenues</option>' in page


def test_a_bad_filter_gets_an_error_summary(client_for, unit_staff, two_priorities):
    response, page = _owed_page(client_for(unit_staff), person="999999", service="Nowhere")
    assert response.status_code == 422
    assert "govuk-error-summary" in page
    assert "Select a person from the list" in page
    assert "Select a service from the list" in page
    assert "Data for TA-01" not in page


def test_leads_are_refused_the_unit_s_page(client_for, priority_lead, leadership):
    for person in (priority_lead, leadership):
        client = client_for(person)
        assert client.get(reverse("rhythm:owed")).status_code == 403
        assert reverse("rhythm:owed") not in client.get(reverse("home")).content.decode()


# Queries


def _council(size: int, unit_staff, stocktake) -> None:
    """``size`` more priorities, each with a lead, service staff, an indicator owing data, a
    plan with a milestone and an open risk, a self-assessment asked, and an open action."""
    from priorities.indicators.models import Indicator

    for n in range(size):
        lead = make_user(f"lead-{size}-{n}", Role.PRIORITY_LEAD)
        staff = make_user(f"staff-{size}-{n}", Role.SERVICE_STAFF)
        priority = Priority.objects.create(
            title=f"Priority {size}-{n}",
            slug=f"priority-{size}-{n}",
            aspiration="More.",
            lead=lead,
            services="Housing",
        )
        priority.service_staff.add(staff)
        Indicator.objects.create(
            priority=priority,
            code=f"P{size}-{n}",
            name="Things",
            direction="higher",
            baseline_value=Decimal(1),
            baseline_period=date(2026, 1, 1),
            target_value=Decimal(2),
            target_period=date(2027, 3, 1),
        )
        version = DeliveryPlan.start(priority, by=lead)
        version.plan.writers.add(staff)
        Milestone.objects.create(
            plan_version=version, title="Hub", owner=None, due=date(2026, 12, 1)
        )
        Risk.objects.create(plan_version=version, description="Risk", likelihood=2, impact=2)
        make_round({priority: "green"}, by=unit_staff, day=date(2026, 12, 31), status="open")
        _action(stocktake, owner=lead, due=date(2026, 11, 1), by=unit_staff)
    # Risks last changed in an earlier month: this month's review is owed.
    Risk.history.update(history_date=timezone.now() - timedelta(days=40))


def test_the_number_of_queries_does_not_grow_with_the_council(
    django_assert_max_num_queries, unit_staff, stocktake, reported_review
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _council(1, unit_staff, stocktake)
    with CaptureQueriesContext(connection) as small:
        few = owed_by_everyone()
    _council(4, unit_staff, stocktake)
    assert len(small) <= 10
    with django_assert_max_num_queries(len(small)):
        many = owed_by_everyone()
    assert len(many) > len(few)
    assert {item.kind for item in many} == {
        "data",
        "milestone",
        "risk",
        "self_assessment",
        "action",
        "recommendation",
    }


def test_the_pages_take_a_fixed_number_of_queries(
    django_assert_max_num_queries, client_for, unit_staff, stocktake, reported_review
):
    _council(5, unit_staff, stocktake)
    lead = User.objects.get(username="lead-5-0")
    client = client_for(unit_staff)
    client.get(reverse("home"))  # the session, read once
    with django_assert_max_num_queries(18):
        assert client.get(reverse("rhythm:owed")).status_code == 200
    lead_client = client_for(lead)
    lead_client.get(reverse("home"))
    with django_assert_max_num_queries(22):
        page = lead_client.get(reverse("home")).content.decode()
    assert "Milestone for Priority 5-0: Hub" in page
