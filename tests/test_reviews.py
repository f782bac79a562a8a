"""Priority reviews: the phases and who moves them, terms of reference and sign-off, responses to
recommendations and their progress, the follow-up that closes a review, the lists and the
priority page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from delivery_unit.workflow import TransitionRefused
from reviews.models import (
    FieldworkEntry,
    Hypothesis,
    Phase,
    ProgressNote,
    Recommendation,
    Review,
)
from reviews.report import issue_report
from tests.reviews_setup import START, commission, fill, move, write_terms

# The phases


def test_a_new_review_is_in_scoping_with_five_phases_and_its_lead_on_the_team(review, unit_staff):
    assert review.status == Review.Status.SCOPING
    assert [p.phase for p in review.ordered_phases()] == list(Phase.values)
    assert review.phase(Phase.SCOPING).actual_start is not None
    assert list(review.team.values_list("user", "role")) == [(unit_staff.pk, "Review lead")]


def test_fieldwork_waits_for_the_commissioner_to_sign_off_the_terms(review, unit_staff):
    with pytest.raises(TransitionRefused, match="signs off the terms"):
        review.advance(by=unit_staff)
    review.refresh_from_db()
    assert review.status == Review.Status.SCOPING


def test_only_the_commissioner_signs_off_the_terms(review, unit_staff, leadership):
    with pytest.raises(TransitionRefused, match="Only the person who commissioned"):
        review.sign_off_terms(by=unit_staff)
    review.sign_off_terms(by=leadership)
    review.refresh_from_db()
    assert review.terms_signed_off_by == leadership
    assert review.terms_signed_off_at is not None
    with pytest.raises(TransitionRefused, match="already signed off"):
        review.sign_off_terms(by=leadership)


def test_terms_without_scope_or_questions_cannot_be_signed_off(
    priority, leadership, unit_staff, media_root
):
    review = commission(priority, commissioner=leadership, lead=unit_staff)
    with pytest.raises(TransitionRefused, match="scope and at least one question"):
        review.sign_off_terms(by=leadership)


def test_signed_off_terms_stay_as_signed(review, unit_staff, leadership):
    review.sign_off_terms(by=leadership)
    review.refresh_from_db()
    with pytest.raises(TransitionRefused, match="stay as signed"):
        review.edit_terms(
            scope="Changed.",
            questions="New?",
            out_of_scope="",
            hypotheses=[],
            by=unit_staff,
            version=review.version,
        )
    review.refresh_from_db()
    assert review.scope == "From first contact to settled accommodation."
    assert review.hypotheses.count() == 2


def test_each_move_ends_one_phase_and_starts_the_next_on_the_day(review, unit_staff, leadership):
    review.sign_off_terms(by=leadership)
    review.advance(by=unit_staff, today=date(2026, 9, 20))
    review.refresh_from_db()
    assert review.status == Review.Status.FIELDWORK
    assert review.phase(Phase.SCOPING).actual_end == date(2026, 9, 20)
    assert review.phase(Phase.FIELDWORK).actual_start == date(2026, 9, 20)
    # Scoping was planned to end on 14 September: six days late.
    assert review.phase(Phase.SCOPING).lateness() == 6
    assert [p.phase for p in review.late_phases(date(2026, 9, 20))] == [Phase.SCOPING]


def test_a_phase_still_running_after_its_planned_end_is_late(review):
    scoping = review.phase(Phase.SCOPING)
    assert scoping.lateness(START + timedelta(days=13)) == 0
    assert scoping.lateness(START + timedelta(days=20)) == 7


def test_a_phase_not_started_is_late_once_its_planned_end_has_passed(review):
    fieldwork = review.phase(Phase.FIELDWORK)
    assert fieldwork.lateness(START + timedelta(days=30)) == 0
    assert fieldwork.lateness(START + timedelta(days=40)) == 6


def test_reporting_moves_to_follow_up_only_by_issuing_the_report(
    filled_review, unit_staff, leadership
):
    review = move(filled_review, Review.Status.REPORTING, unit_staff, leadership)
    with pytest.raises(TransitionRefused, match="Issue the report"):
        review.advance(by=unit_staff)
    issue_report(review, by=unit_staff)
    review.refresh_from_db()
    assert review.status == Review.Status.FOLLOW_UP
    follow_up = review.phase(Phase.FOLLOW_UP)
    # About six months after the report, by default.
    assert follow_up.planned_start - review.phase(Phase.REPORTING).actual_end == timedelta(182)


def test_the_report_is_not_issued_before_the_reporting_phase(filled_review, unit_staff):
    with pytest.raises(TransitionRefused, match="reporting phase"):
        issue_report(filled_review, by=unit_staff)
    assert not filled_review.reports.exists()


def test_a_review_closes_only_when_every_recommendation_is_followed_up(reported_review, unit_staff):
    recommendation = reported_review.recommendations.get()
    with pytest.raises(TransitionRefused, match="1 still to do"):
        reported_review.close(summary="Done.", by=unit_staff)
    recommendation.record_follow_up(
        done="Rota in place.", effect="Prevention up 20%.", by=unit_staff, version=1
    )
    reported_review.close(summary="Most done.", by=unit_staff)
    reported_review.refresh_from_db()
    assert reported_review.status == Review.Status.CLOSED
    assert reported_review.phase(Phase.FOLLOW_UP).actual_end is not None
    with pytest.raises(TransitionRefused):
        reported_review.advance(by=unit_staff)


def test_follow_up_is_recorded_only_in_follow_up(filled_review, unit_staff):
    recommendation = filled_review.recommendations.get()
    with pytest.raises(TransitionRefused, match="in follow-up"):
        recommendation.record_follow_up(done="x", effect="", by=unit_staff, version=1)


def test_follow_up_due_when_its_planned_date_comes(reported_review):
    planned = reported_review.phase(Phase.FOLLOW_UP).planned_start
    assert not reported_review.follow_up_is_due(planned - timedelta(days=1))
    assert reported_review.follow_up_is_due(planned)
    assert list(Review.objects.follow_up_due(planned)) == [reported_review]
    assert not Review.objects.follow_up_due(planned - timedelta(days=1)).exists()


def test_every_change_to_a_review_is_in_its_history(review, leadership):
    review.sign_off_terms(by=leadership)
    latest = review.history.latest()
    assert latest.history_user == leadership
    assert latest.history_change_reason == "Terms of reference signed off"


# Recommendations: responses and progress


def test_responses_before_the_report_are_refused(filled_review, leadership):
    recommendation = filled_review.recommendations.get()
    with pytest.raises(TransitionRefused, match="once the report is issued"):
        recommendation.respond(response="accepted", reason="", by=leadership, version=1)


@pytest.mark.parametrize("response", ["partly_accepted", "rejected"])
def test_partly_accepted_or_rejected_needs_a_reason(reported_review, leadership, response):
    recommendation = reported_review.recommendations.get()
    with pytest.raises(TransitionRefused, match="reason"):
        recommendation.respond(response=response, reason=" ", by=leadership, version=1)
    recommendation.respond(response=response, reason="Cost.", by=leadership, version=1)
    recommendation.refresh_from_db()
    assert recommendation.response == response
    assert recommendation.responded_by == leadership


def test_a_response_is_given_once(reported_review, leadership):
    recommendation = reported_review.recommendations.get()
    recommendation.respond(response="accepted", reason="", by=leadership, version=1)
    with pytest.raises(TransitionRefused, match="already"):
        recommendation.respond(response="rejected", reason="No.", by=leadership, version=2)


def test_awaiting_is_not_a_response(reported_review, leadership):
    recommendation = reported_review.recommendations.get()
    with pytest.raises(TransitionRefused):
        recommendation.respond(response="awaiting", reason="", by=leadership, version=1)


def test_only_accepted_recommendations_make_progress(reported_review, leadership, priority_lead):
    recommendation = reported_review.recommendations.get()
    with pytest.raises(TransitionRefused, match="accepted"):
        recommendation.note_progress(
            implementation="in_progress", note="Started.", by=priority_lead, version=1
        )
    recommendation.respond(response="rejected", reason="Cost.", by=leadership, version=1)
    with pytest.raises(TransitionRefused, match="accepted"):
        recommendation.note_progress(
            implementation="in_progress", note="Started.", by=priority_lead, version=2
        )
    assert not Recommendation.objects.open().exists()


def test_progress_is_noted_and_done_closes_the_recommendation(
    reported_review, leadership, priority_lead
):
    recommendation = reported_review.recommendations.get()
    recommendation.respond(response="accepted", reason="", by=leadership, version=1)
    recommendation.note_progress(
        implementation="in_progress", note="Rota drafted.", by=priority_lead, version=2
    )
    assert Recommendation.objects.open().count() == 1
    recommendation.note_progress(
        implementation="done", note="Rota running.", by=priority_lead, version=3
    )
    assert not Recommendation.objects.open().exists()
    assert list(ProgressNote.objects.order_by("pk").values_list("note", flat=True)) == [
        "Rota drafted.",
        "Rota running.",
    ]


def test_a_stale_edit_of_a_recommendation_is_refused(reported_review, unit_staff, leadership):
    from delivery_unit.versioning import Stale

    recommendation = reported_review.recommendations.get()
    recommendation.respond(response="accepted", reason="", by=leadership, version=1)
    with pytest.raises(Stale):
        recommendation.edit({"text": "Lost?"}, findings=[], by=unit_staff, version=1)
    recommendation.refresh_from_db()
    assert recommendation.text.startswith("Protect mornings")


def test_every_version_of_a_recommendation_is_kept(reported_review, unit_staff, leadership):
    recommendation = reported_review.recommendations.get()
    recommendation.edit(
        {"text": "Protect two mornings a week."},
        findings=recommendation.findings.all(),
        by=unit_staff,
        version=1,
    )
    recommendation.respond(response="accepted", reason="", by=leadership, version=2)
    texts = list(recommendation.history.order_by("history_date").values_list("text", flat=True))
    assert texts[0].startswith("Protect mornings")
    assert texts[-1] == "Protect two mornings a week."
    reasons = list(
        recommendation.history.order_by("history_date")[1:].values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == ["Edited", "Response: accepted"]


# Through the views: who may do what


def test_unit_staff_commission_a_review(client_for, unit_staff, leadership, priority, media_root):
    response = client_for(unit_staff).post(
        reverse("reviews:create"),
        {
            "priority": priority.pk,
            "title": "A review",
            "reason": "Off track.",
            "commissioned_by": leadership.pk,
            "lead": unit_staff.pk,
            "scoping_start_0": "1",
            "scoping_start_1": "9",
            "scoping_start_2": "2026",
            "scoping_end_0": "14",
            "scoping_end_1": "9",
            "scoping_end_2": "2026",
        },
    )
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    assert review.phase(Phase.SCOPING).planned_end == date(2026, 9, 14)
    assert review.commissioned_by == leadership


def test_a_review_needs_a_priority_or_a_topic(client_for, unit_staff, leadership, media_root):
    response = client_for(unit_staff).post(
        reverse("reviews:create"),
        {
            "title": "A review",
            "reason": "x",
            "commissioned_by": leadership.pk,
            "lead": unit_staff.pk,
            "scoping_end_0": "1",
            "scoping_end_1": "1",
            "scoping_end_2": "2026",
            "scoping_start_0": "2",
            "scoping_start_1": "1",
            "scoping_start_2": "2026",
        },
    )
    assert response.status_code == 422
    assert b"Select the priority under review, or name a topic" in response.content
    assert b"The scoping end must be on or after its start" in response.content
    assert not Review.objects.exists()


def test_the_commissioner_signs_off_through_the_page(client_for, review, leadership, unit_staff):
    url = reverse("reviews:sign_off", kwargs={"pk": review.pk})
    assert client_for(unit_staff).post(url).status_code == 403
    assert client_for(leadership).post(url).status_code == 302
    review.refresh_from_db()
    assert review.terms_signed_off


def test_a_refused_move_says_why_and_changes_nothing(client_for, review, unit_staff):
    response = client_for(unit_staff).post(
        reverse("reviews:advance", kwargs={"pk": review.pk}), follow=True
    )
    assert b"signs off the terms of reference before fieldwork starts" in response.content
    review.refresh_from_db()
    assert review.status == Review.Status.SCOPING


def test_someone_from_the_service_on_the_team_logs_fieldwork(
    client_for, filled_review, service_member
):
    team = filled_review.team.order_by("pk")
    response = client_for(service_member).post(
        reverse("reviews:fieldwork", kwargs={"pk": filled_review.pk}),
        {
            "kind": "visit",
            "who_or_where": "Wood Green front door",
            "chain_link": "Frontline",
            "date_0": "3",
            "date_1": "10",
            "date_2": "2026",
            "present": [team[0].pk, team[1].pk],
            "notes": "Queues from 9am.",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b"Visit with Wood Green front door added to the log." in response.content
    # The partial: no page around it, and the form ready for the next entry.
    assert b"<html" not in response.content
    assert b"Add to the fieldwork log" in response.content
    entry = FieldworkEntry.objects.get(who_or_where="Wood Green front door")
    assert entry.recorded_by == service_member
    assert entry.present.count() == 2


def test_bad_fieldwork_is_refused_with_messages_and_nothing_saved(
    client_for, filled_review, unit_staff
):
    before = FieldworkEntry.objects.count()
    response = client_for(unit_staff).post(
        reverse("reviews:fieldwork", kwargs={"pk": filled_review.pk}),
        {"kind": "phone", "who_or_where": "", "notes": "", "date_0": "31", "date_1": "2"},
    )
    assert response.status_code == 422
    assert b"Enter who was interviewed or where was visited" in response.content
    assert b"Enter the notes of the interview or visit" in response.content
    assert FieldworkEntry.objects.count() == before


@pytest.mark.parametrize("who", ["other_lead", "leadership", "administrator"])
def test_fieldwork_notes_are_not_shown_outside_the_team(client_for, filled_review, request, who):
    user = request.getfixturevalue(who)
    for name in ["fieldwork", "evidence", "findings", "report"]:
        response = client_for(user).get(reverse(f"reviews:{name}", kwargs={"pk": filled_review.pk}))
        assert response.status_code == 404
    page = client_for(user).get(filled_review.get_absolute_url())
    assert page.status_code == 200
    assert b"Mrs A" not in page.content
    assert b"Fieldwork log" not in page.content


def test_terms_with_bad_input_change_nothing(client_for, review, unit_staff):
    response = client_for(unit_staff).post(
        reverse("reviews:terms", kwargs={"pk": review.pk}),
        {"version": review.version, "scope": "", "questions": ""},
    )
    assert response.status_code == 422
    assert b"Enter the scope of the review" in response.content
    review.refresh_from_db()
    assert review.scope.startswith("From first contact")


def test_stale_terms_are_refused_keeping_what_was_typed(client_for, review, unit_staff):
    url = reverse("reviews:terms", kwargs={"pk": review.pk})
    data = {"version": review.version, "scope": "Mine.", "questions": "Q?", "hypotheses": "H"}
    assert client_for(unit_staff).post(url, data).status_code == 302
    response = client_for(unit_staff).post(url, data | {"scope": "Theirs lost?"})
    assert response.status_code == 409
    assert b"Theirs lost?" in response.content
    assert b"The version saved meanwhile" in response.content
    review.refresh_from_db()
    assert review.scope == "Mine."
    assert list(Hypothesis.objects.values_list("text", flat=True)) == ["H"]


def test_response_form_needs_a_reason_for_rejection(client_for, reported_review, leadership):
    recommendation = reported_review.recommendations.get()
    url = reverse(
        "reviews:respond", kwargs={"pk": reported_review.pk, "recommendation": recommendation.pk}
    )
    response = client_for(leadership).post(url, {"version": 1, "response": "rejected"})
    assert response.status_code == 422
    assert b"Enter the reason it was partly accepted or rejected" in response.content
    response = client_for(leadership).post(
        url, {"version": 1, "response": "rejected", "reason": "Too costly."}
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.response == "rejected"


def test_the_owner_notes_progress_and_another_lead_cannot(
    client_for, reported_review, leadership, priority_lead, other_lead
):
    recommendation = reported_review.recommendations.get()
    recommendation.respond(response="accepted", reason="", by=leadership, version=1)
    url = reverse(
        "reviews:progress", kwargs={"pk": reported_review.pk, "recommendation": recommendation.pk}
    )
    data = {"version": 2, "implementation": "in_progress", "note": "Rota drafted."}
    assert client_for(other_lead).post(url, data).status_code == 404
    assert client_for(priority_lead).post(url, data).status_code == 302
    stale = client_for(priority_lead).post(url, data | {"note": "Second note."})
    assert stale.status_code == 409
    assert b"Second note." in stale.content
    assert ProgressNote.objects.count() == 1


def test_follow_up_page_records_each_recommendation_and_closes(
    client_for, reported_review, unit_staff
):
    recommendation = reported_review.recommendations.get()
    url = reverse("reviews:follow_up", kwargs={"pk": reported_review.pk})
    close = reverse("reviews:close", kwargs={"pk": reported_review.pk})
    refused = client_for(unit_staff).post(close, {"summary": "Done."})
    assert refused.status_code == 409
    assert b"1 still to do" in refused.content
    empty = client_for(unit_staff).post(
        url, {"recommendation": recommendation.pk, f"r{recommendation.pk}-version": 1}
    )
    assert empty.status_code == 422
    assert b"Enter what was done" in empty.content
    saved = client_for(unit_staff).post(
        url,
        {
            "recommendation": recommendation.pk,
            f"r{recommendation.pk}-version": 1,
            f"r{recommendation.pk}-done": "Rota running.",
            f"r{recommendation.pk}-effect": "Preventions up.",
        },
    )
    assert saved.status_code == 302
    assert client_for(unit_staff).post(close, {"summary": "Done."}).status_code == 302
    reported_review.refresh_from_db()
    assert reported_review.status == Review.Status.CLOSED


def test_follow_up_of_an_unknown_recommendation_is_not_found(
    client_for, reported_review, unit_staff
):
    url = reverse("reviews:follow_up", kwargs={"pk": reported_review.pk})
    assert client_for(unit_staff).post(url, {"recommendation": "x"}).status_code == 404
    assert client_for(unit_staff).post(url, {"recommendation": "999"}).status_code == 404


# Lists, the priority page and the register


def test_unit_list_shows_phase_lateness_open_recommendations_and_follow_up_due(
    client_for, reported_review, unit_staff
):
    planned = reported_review.phase(Phase.FOLLOW_UP).planned_start
    reported_review.phases.filter(phase=Phase.FOLLOW_UP).update(
        planned_start=date.today() - timedelta(days=1)
    )
    response = client_for(unit_staff).get(reverse("reviews:list"))
    content = response.content.decode()
    assert "Follow-up due" in content
    assert "Late</strong> Scoping" in content or "Late</strong> Fieldwork" in content
    row = response.context["rows"][0]
    assert row["review"].open_recommendation_count == 1
    assert planned is not None


def test_leadership_sees_issued_reports_in_the_list(
    client_for, reported_review, filled_review, leadership, other_lead, priority
):
    from tests.reviews_setup import commission

    commission(priority, commissioner=leadership, lead=reported_review.lead, title="Not yet")
    response = client_for(leadership).get(reverse("reviews:list"))
    assert [row["review"] for row in response.context["rows"]] == [reported_review]
    assert (
        reverse("reviews:issued_report", kwargs={"pk": reported_review.pk, "number": 1})
        in response.content.decode()
    )
    assert client_for(other_lead).get(reverse("reviews:list")).context["rows"] == []


def test_priority_page_lists_its_reviews_and_open_recommendations(
    client_for, reported_review, unit_staff, other_lead, priority
):
    page = client_for(unit_staff).get(priority.get_absolute_url()).content.decode()
    assert reported_review.title in page
    assert "Protect mornings for prevention work" in page
    # Another lead reads the issued report? No: the recommendation is not listed for them.
    other = client_for(other_lead).get(priority.get_absolute_url()).content.decode()
    assert reported_review.title in other
    assert "Protect mornings for prevention work" not in other


def test_register_filters_priorities_under_review(
    client_for, filled_review, other_priority, unit_staff, priority
):
    url = reverse("priorities:register")

    def shown(**params) -> list:
        """The register's rows on its (first and only) page: (priority, standing) pairs."""
        return list(client_for(unit_staff).get(url, params).context["page"].object_list)

    assert [p.pk for p, _ in shown(review="under_review")] == [priority.pk]
    assert len(shown()) == 2
    Review.objects.filter(pk=filled_review.pk).update(status="closed")
    assert shown(review="under_review") == []
    assert [p.pk for p, _ in shown(review="reviewed")] == [priority.pk]


def test_review_list_queries_do_not_grow_with_reviews(
    client_for, priority, leadership, unit_staff, media_root, django_assert_max_num_queries
):
    client = client_for(unit_staff)
    client.get(reverse("priorities:register"))
    commission(priority, commissioner=leadership, lead=unit_staff, title="One")
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("reviews:list"))
    for number in range(8):
        commission(priority, commissioner=leadership, lead=unit_staff, title=f"R{number}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("reviews:list"))


def test_review_page_query_count_is_pinned(
    client_for, reported_review, unit_staff, django_assert_max_num_queries
):
    client = client_for(unit_staff)
    client.get(reverse("reviews:list"))
    with django_assert_max_num_queries(16):
        response = client.get(reported_review.get_absolute_url())
    assert response.status_code == 200


def test_priority_page_reviews_take_the_same_queries_for_1_and_6_reviews(
    client_for, priority, leadership, unit_staff, media_root
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(unit_staff)
    client.get(priority.get_absolute_url())
    counts = []
    for number in range(6):
        review = commission(priority, commissioner=leadership, lead=unit_staff, title=f"R{number}")
        write_terms(review, unit_staff)
        fill(review, unit_staff, unit_staff)
        if number in (0, 5):
            with CaptureQueriesContext(connection) as queries:
                client.get(priority.get_absolute_url())
            counts.append(len(queries))
    assert counts[0] == counts[1]


def test_demo_has_a_reported_review_with_follow_up_due_and_one_in_fieldwork(db, media_root):
    import io

    from django.core.management import call_command

    call_command("load_demo", not_production=True, stdout=io.StringIO())
    ta = Review.objects.get(priority__slug="temporary-accommodation")
    assert ta.status == Review.Status.FOLLOW_UP
    assert ta.follow_up_is_due()
    assert ta.reports.count() == 1
    assert ta.terms_signed_off_by.username == "chief"
    # Fieldwork ran a week over, and the phases after it followed late.
    late = [p.phase for p in ta.late_phases()]
    assert late[0] == Phase.FIELDWORK
    assert Phase.SCOPING not in late
    assert sorted(ta.recommendations.values_list("response", flat=True)) == [
        "accepted",
        "accepted",
        "partly_accepted",
    ]
    assert ta.fieldwork.count() == 4
    assert (media_root / ta.evidence.get().file.name).exists()
    send = Review.objects.get(priority__slug="special-educational-needs")
    assert send.status == Review.Status.FIELDWORK
    assert send.fieldwork.count() == 2
    call_command("load_demo", not_production=True, stdout=io.StringIO())
    assert Review.objects.count() == 2


def test_fieldwork_names_a_link_of_the_priority_delivery_chain(
    client_for, filled_review, unit_staff, priority
):
    from plans.models import ChainLink

    version = priority.plan.versions.order_by("-number").first()
    frontline = ChainLink.add(
        version,
        {"position": 3, "name": "Housing options officers", "role": "Frontline"},
        by=unit_staff,
    )
    url = reverse("reviews:fieldwork", kwargs={"pk": filled_review.pk})
    page = client_for(unit_staff).get(url)
    assert page.context["form"].fields["link"].queryset.get() == frontline
    response = client_for(unit_staff).post(
        url,
        {"kind": "visit", "who_or_where": "Front door", "link": frontline.pk, "notes": "Busy."}
        | {"date_0": "3", "date_1": "10", "date_2": "2026"},
    )
    assert response.status_code == 302
    entry = FieldworkEntry.objects.get(who_or_where="Front door")
    assert entry.link == frontline
    # The words stay if the plan's chain changes.
    frontline.remove(by=unit_staff, version=frontline.version)
    entry.refresh_from_db()
    assert entry.link is None
    assert entry.chain_link == "Housing options officers, Frontline"


def test_without_a_chain_in_the_plan_the_link_is_typed(client_for, filled_review, unit_staff):
    page = client_for(unit_staff).get(reverse("reviews:fieldwork", kwargs={"pk": filled_review.pk}))
    assert "link" not in page.context["form"].fields
    assert b"Link of the delivery chain" in page.content
