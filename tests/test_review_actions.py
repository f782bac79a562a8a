"""Accepted recommendations become stocktake actions in one step, with the link kept both ways:
the action holds it (stocktakes sit above reviews) and the recommendation reaches its action."""

import pytest
from django.urls import reverse

from delivery_unit.workflow import TransitionRefused
from stocktakes.models import Action


def _url(recommendation) -> str:
    return reverse(
        "stocktakes:action_from_recommendation", kwargs={"recommendation": recommendation.pk}
    )


def _post(chosen, owner, **overrides) -> dict:
    return {
        "stocktake": chosen.pk,
        "description": "Protect mornings for prevention work.",
        "owner": owner.pk,
        "due_date_0": "31",
        "due_date_1": "3",
        "due_date_2": "2027",
    } | overrides


@pytest.fixture
def accepted(reported_review, leadership):
    recommendation = reported_review.recommendations.get()
    recommendation.respond(response="accepted", reason="", by=leadership, version=1)
    return recommendation


def test_an_accepted_recommendation_becomes_an_action_linked_both_ways(
    client_for, accepted, stocktake, unit_staff, priority_lead
):
    page = client_for(unit_staff).get(accepted.get_absolute_url())
    assert _url(accepted).encode() in page.content
    form = client_for(unit_staff).get(_url(accepted))
    assert form.status_code == 200
    assert form.context["form"].initial["description"] == accepted.text
    assert form.context["form"].initial["owner"] == accepted.owner

    response = client_for(unit_staff).post(_url(accepted), _post(stocktake, priority_lead))

    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == action.get_absolute_url()
    assert action.recommendation == accepted
    assert action.priority == accepted.review.priority
    # On the agenda of that stocktake, so it is tracked with its item.
    assert action.agenda_item.priority == accepted.review.priority
    assert action.history.get().history_change_reason == "From a priority review's recommendation"
    accepted.refresh_from_db()
    assert accepted.action == action
    recommendation_page = client_for(unit_staff).get(accepted.get_absolute_url())
    assert action.get_absolute_url().encode() in recommendation_page.content
    assert b"Stocktake action" in recommendation_page.content
    action_page = client_for(priority_lead).get(action.get_absolute_url())
    assert accepted.get_absolute_url().encode() in action_page.content


def test_a_recommendation_becomes_one_action_only(
    client_for, accepted, stocktake, unit_staff, priority_lead
):
    client_for(unit_staff).post(_url(accepted), _post(stocktake, priority_lead))
    again = client_for(unit_staff).post(_url(accepted), _post(stocktake, priority_lead))
    assert again.status_code == 302
    assert Action.objects.count() == 1
    with pytest.raises(TransitionRefused, match="already"):
        Action.from_recommendation(
            accepted,
            stocktake=stocktake,
            description="Again",
            owner=priority_lead,
            due_date=stocktake.date,
            by=unit_staff,
        )


@pytest.mark.parametrize("response", ["awaiting", "rejected"])
def test_only_accepted_recommendations_become_actions(
    client_for, reported_review, stocktake, unit_staff, priority_lead, leadership, response
):
    recommendation = reported_review.recommendations.get()
    if response == "rejected":
        recommendation.respond(response="rejected", reason="Cost.", by=leadership, version=1)
    page = client_for(unit_staff).get(recommendation.get_absolute_url())
    assert _url(recommendation).encode() not in page.content
    refused = client_for(unit_staff).post(_url(recommendation), _post(stocktake, priority_lead))
    assert refused.status_code == 409
    assert b"Only an accepted or partly accepted recommendation" in refused.content
    assert b"Make it a stocktake action</button>" not in refused.content
    assert not Action.objects.exists()


def test_bad_input_is_refused_with_messages_and_no_action(
    client_for, accepted, stocktake, unit_staff, priority_lead
):
    response = client_for(unit_staff).post(
        _url(accepted), _post(stocktake, priority_lead, description="", stocktake="x")
    )
    assert response.status_code == 422
    assert b"Enter the action" in response.content
    assert b"Select a stocktake from the list" in response.content
    assert not Action.objects.exists()


def test_the_next_stocktake_suggests_a_priority_whose_review_has_reported(
    reported_review, unit_staff, other_priority
):
    from datetime import date, timedelta

    from stocktakes.models import Stocktake
    from stocktakes.suggestions import suggest

    next_one = Stocktake.plan(
        title="Next stocktake",
        date=date.today() + timedelta(days=21),
        priorities=[other_priority],
        by=unit_staff,
    )
    reasons = {s.priority: s.reasons for s in suggest(next_one)}[reported_review.priority]
    issued = reported_review.reports.get().issued_at
    assert f"Priority review reported on {issued:%-d %B %Y}: {reported_review.title}" in reasons
    # Once the chairs have discussed the priority after the report, it is not suggested for it.
    held = Stocktake.plan(
        title="Held after the report",
        date=date.today() + timedelta(days=1),
        priorities=[reported_review.priority],
        by=unit_staff,
    )
    assert held.date < next_one.date
    after = {s.priority: s.reasons for s in suggest(next_one)}
    assert not any("Priority review" in r for r in after.get(reported_review.priority, []))


def test_the_unit_home_page_flags_reviews_with_follow_up_due(
    client_for, reported_review, unit_staff, leadership
):
    from datetime import date, timedelta

    from reviews.models import Phase

    page = client_for(unit_staff).get(reverse("home")).content.decode()
    assert "follow-up due" not in page
    reported_review.phases.filter(phase=Phase.FOLLOW_UP).update(
        planned_start=date.today() - timedelta(days=1)
    )
    page = client_for(unit_staff).get(reverse("home")).content.decode()
    assert "Priority reviews with their follow-up due" in page
    assert reported_review.title in page
    assert "follow-up due" not in client_for(leadership).get(reverse("home")).content.decode()


def test_a_review_is_linked_to_the_stocktake_decision_that_commissioned_it(
    client_for, review, stocktake, unit_staff, other_lead
):
    from stocktakes.models import Stocktake

    url = reverse("stocktakes:review_prompted_by", kwargs={"review": review.pk})
    item = stocktake.agenda.get(priority=review.priority)
    item.record(
        discussion="Families in B&B.",
        decisions="Commission a priority review of Temporary Accommodation",
        by=unit_staff,
        version=item.version,
    )
    # Only a stocktake that has been held has decisions to link.
    assert list(client_for(unit_staff).get(url).context["form"].fields["item"].queryset) == []
    Stocktake.objects.filter(pk=stocktake.pk).update(status=Stocktake.Status.HELD)
    assert client_for(other_lead).post(url, {"item": item.pk}).status_code == 403
    response = client_for(unit_staff).post(url, {"item": item.pk})
    assert response.status_code == 302
    assert list(review.prompted_by_items.all()) == [item]
    page = client_for(other_lead).get(review.get_absolute_url()).content.decode()
    assert "Commissioned at Housing stocktake" in page
    assert "Commission a priority review of Temporary Accommodation" in page
