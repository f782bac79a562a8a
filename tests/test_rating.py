"""Unit staff rate a priority's likelihood of delivery; the history is kept; nobody else rates."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from delivery_unit.models import Role, User
from priorities.models import Likelihood, Priority, Rating, StaleRating


def rate_url(priority) -> str:
    return reverse("priorities:rate", kwargs={"slug": priority.slug})


def test_unit_staff_rates_priority_without_javascript(client_for, unit_staff, priority):
    response = client_for(unit_staff).post(
        rate_url(priority),
        {"likelihood": "amber_green", "rationale": "Broadly on trajectory.", "based_on": ""},
        follow=True,
    )
    assert response.redirect_chain == [(priority.get_absolute_url(), 302)]
    rating = priority.latest_rating()
    assert (rating.likelihood, rating.rationale, rating.rated_by) == (
        "amber_green",
        "Broadly on trajectory.",
        unit_staff,
    )
    assert "Rating saved." in response.content.decode()


def test_unit_staff_rates_priority_with_htmx_gets_the_rating_region(
    client_for, unit_staff, rated_priority
):
    previous = rated_priority.latest_rating()
    response = client_for(unit_staff).post(
        rate_url(rated_priority),
        {"likelihood": "green", "rationale": "Recovered.", "based_on": previous.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="rating"'), "Only the swapped region comes back"
    assert '<div hx-swap-oob="innerHTML:#rating-status">' in html, "The status is announced"
    assert "<html" not in html
    assert "Rating saved: Green." in html
    # The history keeps both judgements, newest first.
    assert html.index("Recovered.") < html.index("Off trajectory.")
    assert list(
        rated_priority.ratings.values_list("likelihood", flat=True).order_by("rated_at")
    ) == [
        "amber_red",
        "green",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"likelihood": "green", "rationale": ""}, "Enter the rationale for the rating"),
        ({"likelihood": "green", "rationale": "   \n "}, "Enter the rationale for the rating"),
        ({"rationale": "Fine."}, "Select the likelihood of delivery"),
        (
            {"likelihood": "amber", "rationale": "Fine."},
            "Select the likelihood of delivery from the four ratings",
        ),
        ({"likelihood": "green", "rationale": "x" * 5001}, "5,000 characters or fewer"),
        (
            {"likelihood": "green", "rationale": "Fine.", "based_on": "abc"},
            "This page is out of date",
        ),
    ],
    ids=[
        "empty rationale",
        "blank rationale",
        "no rating",
        "unknown rating",
        "too long",
        "tampered",
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_rating_gets_a_clear_message_and_changes_nothing(
    client_for, unit_staff, priority, data, message, htmx
):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_for(unit_staff).post(rate_url(priority), data, headers=headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not Rating.objects.exists()


def test_stale_rating_is_refused_and_keeps_what_the_rater_wrote(client_for, unit_staff, priority):
    colleague = User.objects.create(username="colleague", role=Role.UNIT_STAFF, first_name="Kim")
    # Both open the form on an unrated priority; the colleague saves first.
    priority.rate(likelihood="red", rationale="Colleague's view.", by=colleague, based_on=None)

    response = client_for(unit_staff).post(
        rate_url(priority),
        {"likelihood": "green", "rationale": "My careful rationale.", "based_on": ""},
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Kim rated this priority Red while you were writing" in html
    assert "My careful rationale." in html, "What the rater wrote is kept in the form"
    assert list(priority.ratings.values_list("rationale", flat=True)) == ["Colleague's view."]
    # The form now carries the rating the rater has seen, so saving again goes through.
    latest = priority.latest_rating()
    assert f'name="based_on" value="{latest.pk}"' in html


def test_rate_refuses_a_stale_base_in_the_model(priority, unit_staff):
    first = priority.rate(likelihood="red", rationale="One.", by=unit_staff, based_on=None)
    priority.rate(likelihood="amber_red", rationale="Two.", by=unit_staff, based_on=first.pk)
    with pytest.raises(StaleRating):
        priority.rate(likelihood="green", rationale="Three.", by=unit_staff, based_on=first.pk)
    assert priority.ratings.count() == 2


@pytest.mark.parametrize("role", ["priority_lead", "other_lead", "leadership", "administrator"])
def test_forged_rating_post_by_a_role_without_rights_is_refused(
    request, client_for, priority, role
):
    user = request.getfixturevalue(role)
    response = client_for(user).post(
        rate_url(priority), {"likelihood": "green", "rationale": "Forged.", "based_on": ""}
    )
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_priority_page_shows_the_form_only_to_unit_staff(
    client_for, unit_staff, priority_lead, priority
):
    assert "Save rating" in client_for(unit_staff).get(priority.get_absolute_url()).content.decode()
    assert (
        "Save rating"
        not in client_for(priority_lead).get(priority.get_absolute_url()).content.decode()
    )


def test_rating_without_csrf_token_is_refused(unit_staff, priority):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(unit_staff)
    response = client.post(rate_url(priority), {"likelihood": "green", "rationale": "No token."})
    assert response.status_code == 403
    assert not Rating.objects.exists()


class TestRatingFormFuzz(HypothesisTestCase):
    """Whatever arrives in the POST, the answer is a clear 4xx or a saved rating, never a 500."""

    @classmethod
    def setUpTestData(cls):
        cls.analyst = User.objects.create(username="fuzz-analyst", role=Role.UNIT_STAFF)
        cls.priority = Priority.objects.create(title="Fuzz", slug="fuzz", aspiration="Fuzz.")

    @settings(max_examples=60, deadline=None)
    @given(
        likelihood=st.one_of(st.sampled_from(Likelihood.values), st.text(max_size=30)),
        rationale=st.text(max_size=300),
        based_on=st.one_of(st.just(""), st.text(max_size=12), st.integers().map(str)),
    )
    def test_rating_post_never_errors(self, likelihood, rationale, based_on):
        self.client.force_login(self.analyst)
        before = Rating.objects.count()
        response = self.client.post(
            rate_url(self.priority),
            {"likelihood": likelihood, "rationale": rationale, "based_on": based_on},
        )
        assert response.status_code in {302, 409, 422}
        saved = Rating.objects.count() - before
        assert saved == (1 if response.status_code == 302 else 0)
        if response.status_code == 422:
            assert "There is a problem" in response.content.decode()
