"""The forward look: events gathered from every source, the filters, who sees what, the calendar
page's views and query count, and each person's iCalendar feed read back with icalendar."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from delivery_unit.models import Role
from forward_look.events import Window, by_month, gather
from forward_look.models import CalendarFeed
from plans.models import Milestone
from priorities.indicators.models import Indicator
from priorities.models import Likelihood
from priorities.rounds.models import Round
from reviews.models import Phase
from stocktakes.models import Action, Stocktake
from tests.conftest import assess_plan, make_round, make_user
from tests.reviews_setup import commission

# September to December 2026: the reviews' phases (from 1 September), the stocktake fixture
# (10 December) and the dates set below all fall in it.
WINDOW = Window(date(2026, 9, 1), date(2026, 12, 1))


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _milestone(priority, owner, due: date, title: str = "Open the prevention hub") -> Milestone:
    return Milestone.objects.create(
        plan_version=priority.plan.versions.order_by("-number").first(),
        title=title,
        owner=owner,
        due=due,
    )


@pytest.fixture
def routines(
    priority,
    other_priority,
    indicator,
    stocktake,
    unit_staff,
    unit_leader,
    priority_lead,
    other_lead,
    leadership,
    media_root,
):
    """One of each routine in the window: an agreed round, an open one, the stocktake (at
    10:00), a review, monthly data, a milestone and an action of each lead."""
    agreed = Round.objects.get()  # the rated_priority fixture's, as at 1 October 2026
    Round.objects.filter(pk=agreed.pk).update(
        opened_at=_at(date(2026, 9, 14)),
        moderation_started_at=_at(date(2026, 9, 21)),
        agreed_at=_at(date(2026, 9, 28)),
    )
    in_progress = make_round(
        {priority: Likelihood.GREEN}, by=unit_staff, day=date(2026, 11, 2), status="open"
    )
    Round.objects.filter(pk=in_progress.pk).update(opened_at=_at(date(2026, 10, 26)))
    Stocktake.objects.filter(pk=stocktake.pk).update(start_time=time(10), place="Room 1")
    review = commission(priority, commissioner=leadership, lead=unit_staff)
    _milestone(priority, priority_lead, date(2026, 10, 20))
    item = stocktake.agenda.get(priority=priority)
    own = Action.agree(
        item=item, description="Report on B&B use", owner=priority_lead,
        due_date=date(2026, 11, 5), by=unit_staff,
    )  # fmt: skip
    other = Action.agree(
        item=stocktake.agenda.get(priority=other_priority),
        description="Publish the collection plan",
        owner=other_lead,
        due_date=date(2026, 11, 6),
        by=unit_staff,
    )
    Indicator.objects.create(
        priority=other_priority,
        code="CT-01",
        name="In-year collection rate",
        unit="percent",
        direction="higher",
        frequency="quarterly",
        baseline_value=Decimal(94),
        baseline_period=date(2025, 4, 1),
        target_value=Decimal(96),
        target_period=date(2027, 1, 1),
    )
    return {
        "agreed": agreed,
        "in_progress": in_progress,
        "stocktake": stocktake,
        "review": review,
        "own_action": own,
        "other_action": other,
    }


def _uids(events) -> set[str]:
    return {event.uid for event in events}


# Gathering from each source


def test_unit_staff_see_every_kind_of_routine(routines, unit_staff, indicator):
    events = gather(unit_staff, WINDOW)
    uids = _uids(events)
    agreed, in_progress = routines["agreed"], routines["in_progress"]
    assert {
        f"round-{agreed.pk}-opened",
        f"round-{agreed.pk}-moderation",
        f"round-{agreed.pk}-agreed",
        f"round-{agreed.pk}-as-at",
        f"round-{in_progress.pk}-opened",
        f"round-{in_progress.pk}-as-at",
        f"stocktake-{routines['stocktake'].pk}",
        f"action-{routines['own_action'].pk}",
        f"action-{routines['other_action'].pk}",
    } <= uids
    assert {event.kind for event in events} == {
        "round", "stocktake", "review", "data", "milestone", "action",
    }  # fmt: skip
    by_uid = {event.uid: event for event in events}
    assert by_uid[f"round-{agreed.pk}-moderation"].day == date(2026, 9, 21)
    stocktake = by_uid[f"stocktake-{routines['stocktake'].pk}"]
    assert (stocktake.day, stocktake.at, stocktake.detail) == (
        date(2026, 12, 10),
        time(10),
        "Room 1",
    )


def test_review_phases_start_and_end_on_their_dates(routines, unit_staff):
    review = routines["review"]
    fieldwork = review.phases.get(phase=Phase.FIELDWORK)
    events = {e.uid: e for e in gather(unit_staff, WINDOW) if e.kind == "review"}
    start = events[f"review-phase-{fieldwork.pk}-start"]
    assert start.day == date(2026, 9, 15)
    assert start.detail == "Planned"
    assert events[f"review-phase-{fieldwork.pk}-end"].day == date(2026, 10, 5)
    assert start.url == reverse("reviews:detail", kwargs={"pk": review.pk})


def test_data_falls_due_in_working_days_after_each_period(routines, unit_staff, indicator):
    data = {e.uid: e for e in gather(unit_staff, WINDOW) if e.kind == "data"}
    # September 2026 closes on Wednesday 30 September; 20 working days later is 28 October.
    september = data[f"data-{indicator.pk}-2026-09"]
    assert september.day == date(2026, 10, 28)
    assert september.title == "TA-01 data for Sep 2026 due"
    # October closes on Saturday 31 October: 20 working days is 27 November.
    assert data[f"data-{indicator.pk}-2026-10"].day == date(2026, 11, 27)
    # The quarterly indicator: July to September 2026 (Q2) is due 28 October too.
    quarterly = Indicator.objects.get(code="CT-01")
    assert data[f"data-{quarterly.pk}-2026-07"].day == date(2026, 10, 28)
    assert all(WINDOW.start <= event.day <= WINDOW.end for event in data.values())


def test_milestones_keep_their_uid_from_one_plan_version_to_the_next(
    routines, unit_staff, priority, priority_lead
):
    before = [e for e in gather(unit_staff, WINDOW) if e.kind == "milestone"]
    version = priority.plan.versions.get()
    version.submit(by=priority_lead)
    version.refresh_from_db()
    assess_plan(version, unit_staff)
    version.return_for_revision(by=unit_staff, feedback="Say who runs the hub.")
    assert Milestone.objects.count() == 2
    after = [e for e in gather(unit_staff, WINDOW) if e.kind == "milestone"]
    assert [e.uid for e in after] == [e.uid for e in before]
    assert len(after) == 1


def test_events_come_in_date_order_with_timed_ones_last_in_their_day(routines, unit_staff):
    events = gather(unit_staff, WINDOW)
    assert [e.day for e in events] == sorted(e.day for e in events)


# Who sees what


def test_a_lead_sees_no_stocktake_and_no_round_in_progress(routines, priority_lead):
    events = gather(priority_lead, WINDOW)
    kinds = {event.kind for event in events}
    assert "stocktake" not in kinds
    assert not any(e.uid.startswith(f"round-{routines['in_progress'].pk}-") for e in events)
    # The agreed round is everyone's; the lead's own action is theirs; another's is not.
    assert f"round-{routines['agreed'].pk}-agreed" in _uids(events)
    assert f"action-{routines['own_action'].pk}" in _uids(events)
    assert f"action-{routines['other_action'].pk}" not in _uids(events)


def test_leadership_see_stocktakes_and_every_action_but_no_round_in_progress(routines, leadership):
    uids = _uids(gather(leadership, WINDOW))
    assert f"stocktake-{routines['stocktake'].pk}" in uids
    assert f"action-{routines['other_action'].pk}" in uids
    assert not any(uid.startswith(f"round-{routines['in_progress'].pk}-") for uid in uids)


def test_a_review_is_on_the_calendar_only_of_those_it_is_listed_for(routines, other_lead):
    # The review has not reported: another lead does not see it listed, so not its phases.
    assert not any(e.kind == "review" for e in gather(other_lead, WINDOW))


def test_nobody_signed_out_sees_anything(routines):
    from django.contrib.auth.models import AnonymousUser

    assert gather(AnonymousUser(), WINDOW) == []


# Filters


def test_the_priority_filter_keeps_that_priority_only(routines, unit_staff, other_priority):
    events = gather(unit_staff, WINDOW, priority=other_priority)
    assert {e.priority for e in events if e.priority} == {other_priority.title}
    assert f"action-{routines['other_action'].pk}" in _uids(events)
    # The stocktake has both priorities on its agenda; the rounds rated only the other one.
    assert f"stocktake-{routines['stocktake'].pk}" in _uids(events)
    assert not any(e.kind in {"round", "review", "milestone"} for e in events)


def test_the_person_filter_keeps_what_concerns_them(routines, unit_staff, other_lead):
    events = gather(unit_staff, WINDOW, person=other_lead)
    uids = _uids(events)
    assert f"action-{routines['other_action'].pk}" in uids
    assert f"action-{routines['own_action'].pk}" not in uids
    # Their priority is on the stocktake's agenda; its data is theirs to enter.
    assert f"stocktake-{routines['stocktake'].pk}" in uids
    assert {e.priority for e in events if e.kind == "data"} == {"Council tax collection"}
    assert not any(e.kind in {"milestone", "review", "round"} for e in events)


def test_unit_staff_take_part_in_every_round_and_stocktake(routines, unit_leader, unit_staff):
    kinds = {e.kind for e in gather(unit_leader, WINDOW, person=unit_staff)}
    assert {"round", "stocktake", "review", "data"} <= kinds


def test_a_month_grid_starts_on_monday_and_holds_each_day_once():
    months = by_month([], Window(date(2026, 9, 1), date(2026, 9, 1)))
    (september,) = months
    first_week = september.weeks[0]
    assert first_week[0] is None  # 31 August, a Monday, is not September's
    assert first_week[1] is not None and first_week[1].day == date(2026, 9, 1)
    days = [day.day for week in september.weeks for day in week if day is not None]
    assert days == [date(2026, 9, d) for d in range(1, 31)]


def test_the_window_runs_from_last_month_to_three_months_ahead():
    window = Window.around(date(2026, 12, 3))
    assert (window.start, window.end) == (date(2026, 11, 1), date(2027, 3, 31))
    assert len(window.months()) == 5


# The calendar page


@pytest.fixture
def upcoming(priority, priority_lead, unit_staff, stocktake):
    """Routines in the live window: a milestone and an action ten days from now, the
    stocktake in a fortnight at 09:30."""
    today = timezone.localdate()
    milestone = _milestone(priority, priority_lead, today + timedelta(days=10))
    Stocktake.objects.filter(pk=stocktake.pk).update(
        date=today + timedelta(days=14), start_time=time(9, 30)
    )
    action = Action.agree(
        item=stocktake.agenda.get(priority=priority),
        description="Report on B&B use",
        owner=priority_lead,
        due_date=today + timedelta(days=10),
        by=unit_staff,
    )
    return {"milestone": milestone, "action": action, "stocktake": stocktake}


def test_the_month_view_shows_a_table_per_month(client_for, unit_staff, upcoming):
    response = client_for(unit_staff).get(reverse("forward_look:calendar"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<table class="govuk-table app-month">') == 5
    assert "Open the prevention hub" in html
    assert reverse("forward_look:feed_page") in html


def test_the_list_view_has_a_heading_per_month_and_day(client_for, unit_staff, upcoming):
    response = client_for(unit_staff).get(reverse("forward_look:calendar"), {"view": "list"})
    html = response.content.decode()
    due = upcoming["milestone"].due
    assert "<table" not in html
    assert f'<h2 class="govuk-heading-m">{due:%B %Y}</h2>' in html
    assert f"{due:%A} {due.day} {due:%B}" in html
    assert "Open the prevention hub" in html


def test_a_lead_s_calendar_page_has_no_stocktake(client_for, priority_lead, upcoming):
    html = client_for(priority_lead).get(reverse("forward_look:calendar")).content.decode()
    assert "Report on B&amp;B use" in html
    assert "Housing stocktake" not in html


def test_a_filter_that_is_not_in_the_list_gets_an_error_summary(client_for, unit_staff):
    response = client_for(unit_staff).get(reverse("forward_look:calendar"), {"priority": "999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Select a priority from the list" in html


def test_the_calendar_loads_in_a_fixed_number_of_queries(
    client_for, unit_staff, upcoming, priority, other_priority, indicator,
    django_assert_max_num_queries,
):  # fmt: skip
    client = client_for(unit_staff)
    url = reverse("forward_look:calendar")
    # The session and user (2), the session's refresh that the tests' settings make on every
    # request (3), one query a source (6) and the filters' two lists (2).
    with django_assert_max_num_queries(13):
        client.get(url, {"view": "list"})
    # Many more of everything: still the same count.
    for number in range(10):
        _milestone(priority, None, timezone.localdate() + timedelta(days=number), f"Step {number}")
        lead = make_user(f"owner{number}", Role.PRIORITY_LEAD)
        Action.agree(
            item=upcoming["stocktake"].agenda.get(priority=other_priority),
            description=f"Action {number}",
            owner=lead,
            due_date=timezone.localdate() + timedelta(days=number),
            by=unit_staff,
        )
    # Two more: the chosen priority and person, checked against the lists offered.
    with django_assert_max_num_queries(15):
        response = client.get(url, {"priority": priority.pk, "person": unit_staff.pk})
    assert response.status_code == 200


# The feed


def _feed_url(feed: CalendarFeed) -> str:
    return feed.get_absolute_url()


def _events_of(client, feed) -> dict[str, icalendar.Event]:
    response = client.get(_feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def test_the_feed_reads_back_with_stable_uids_and_follows_a_changed_date(
    client, priority_lead, upcoming
):
    feed = CalendarFeed.issue(priority_lead)
    first = _events_of(client, feed)
    second = _events_of(client, feed)
    assert set(first) == set(second) and first
    milestone = upcoming["milestone"]
    uid = next(uid for uid, event in first.items() if "Open the prevention hub" in event["SUMMARY"])
    event = first[uid]
    assert event.decoded("DTSTART") == milestone.due  # an all-day date
    assert event.decoded("DTEND") == milestone.due + timedelta(days=1)
    assert "DTSTAMP" in event
    assert str(event["URL"]).startswith("http://testserver/")
    assert str(event["URL"]).endswith(
        reverse("plans:detail", kwargs={"slug": "temporary-accommodation"})
    )

    Milestone.objects.filter(pk=milestone.pk).update(due=milestone.due + timedelta(days=3))
    moved = _events_of(client, feed)
    assert set(moved) == set(first)
    assert moved[uid].decoded("DTSTART") == milestone.due + timedelta(days=3)


def test_the_feed_holds_what_concerns_its_person_only(client, priority_lead, other_lead, upcoming):
    events = _events_of(client, CalendarFeed.issue(priority_lead))
    summaries = " ".join(str(event["SUMMARY"]) for event in events.values())
    assert "Action due: Report on B&B use" in summaries
    assert "Stocktake" not in summaries  # a lead sees no stocktake, even one they attend
    assert _events_of(client, CalendarFeed.issue(other_lead)) == {}


def test_a_stocktake_in_the_feed_has_its_time(client, unit_staff, upcoming):
    events = _events_of(client, CalendarFeed.issue(unit_staff))
    stocktake = events[f"stocktake-{upcoming['stocktake'].pk}@forward-look.delivery-unit"]
    start = stocktake.decoded("DTSTART")
    assert isinstance(start, datetime)
    expected = timezone.localdate() + timedelta(days=14)
    assert (start.date(), start.time()) == (expected, time(9, 30))
    assert str(start.tzinfo) == "Europe/London"


def test_a_revoked_or_replaced_or_wrong_token_is_refused(client, priority_lead, upcoming):
    feed = CalendarFeed.issue(priority_lead)
    assert client.get(_feed_url(feed)).status_code == 200
    wrong = reverse("forward_look:feed", kwargs={"pk": feed.pk, "token": "0" * 64})
    assert client.get(wrong).status_code == 404
    replaced_url = _feed_url(feed)
    new = CalendarFeed.issue(priority_lead)
    assert client.get(replaced_url).status_code == 404
    assert client.get(_feed_url(new)).status_code == 200
    CalendarFeed.revoke_for(priority_lead)
    assert client.get(_feed_url(new)).status_code == 404


def test_a_deactivated_person_s_feed_is_refused(client, priority_lead, upcoming):
    feed = CalendarFeed.issue(priority_lead)
    priority_lead.is_active = False
    priority_lead.save()
    assert client.get(_feed_url(feed)).status_code == 404


def test_the_database_never_holds_the_feed_s_address(priority_lead):
    feed = CalendarFeed.issue(priority_lead)
    assert feed.token not in feed.secret and len(feed.token) == 64
    assert not CalendarFeed.objects.filter(secret=feed.token).exists()


def test_the_feed_loads_in_a_fixed_number_of_queries(
    client, unit_staff, upcoming, django_assert_max_num_queries
):
    feed = CalendarFeed.issue(unit_staff)
    with django_assert_max_num_queries(7):  # the feed, then one a source
        assert client.get(_feed_url(feed)).status_code == 200


# The feed's page


def test_a_person_starts_replaces_and_stops_their_feed(client_for, priority_lead):
    client = client_for(priority_lead)
    page = reverse("forward_look:feed_page")
    assert "Start your calendar feed" in client.get(page).content.decode()
    client.post(reverse("forward_look:feed_create"))
    first = CalendarFeed.live_for(priority_lead)
    assert first is not None
    assert f"http://testserver{first.get_absolute_url()}" in client.get(page).content.decode()
    # Starting again does not replace it: that asks first.
    client.post(reverse("forward_look:feed_create"))
    assert CalendarFeed.live_for(priority_lead) == first
    assert (
        "Give your feed a new address?"
        in client.get(reverse("forward_look:feed_replace")).content.decode()
    )
    client.post(reverse("forward_look:feed_replace"))
    second = CalendarFeed.live_for(priority_lead)
    assert second is not None and second != first
    client.post(reverse("forward_look:feed_revoke"))
    assert CalendarFeed.live_for(priority_lead) is None
    assert CalendarFeed.objects.filter(person=priority_lead, revoked_at__isnull=False).count() == 2


def test_replacing_or_stopping_no_feed_answers_404(client_for, priority_lead):
    client = client_for(priority_lead)
    assert client.post(reverse("forward_look:feed_replace")).status_code == 404
    assert client.get(reverse("forward_look:feed_revoke")).status_code == 404


def test_a_feed_number_beyond_any_row_answers_404(client):
    url = reverse("forward_look:feed", kwargs={"pk": 10**30, "token": "0" * 64})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("bad", [{"person": str(10**30)}, {"view": "year"}, {"priority": "x"}])
def test_any_bad_filter_gets_an_error_summary_not_a_500(client_for, unit_staff, bad):
    response = client_for(unit_staff).get(reverse("forward_look:calendar"), bad)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
