"""Whatever arrives in a review's forms, the answer is a saved change or a clear 4xx, never a
500, and a refused post saves nothing."""

from datetime import date

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from delivery_unit.models import Role, User
from priorities.models import Priority
from reviews.models import FieldworkEntry, Phase, Recommendation, Review

TEXT = st.text(max_size=60)
NUMBERISH = st.one_of(st.integers(-5, 40).map(str), st.text(max_size=6))


class TestReviewFormsFuzz(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.analyst = User.objects.create(username="fuzz-analyst", role=Role.UNIT_STAFF)
        cls.chief = User.objects.create(username="fuzz-chief", role=Role.LEADERSHIP)
        priority = Priority.objects.create(title="Fuzz", slug="fuzz", aspiration="Fuzz.")
        cls.review = Review.commission(
            by=cls.analyst,
            planned={Phase.SCOPING: (date(2026, 1, 1), date(2026, 1, 14))},
            priority=priority,
            title="Fuzz review",
            reason="Fuzz.",
            commissioned_by=cls.chief,
            lead=cls.analyst,
        )

    @settings(max_examples=40, deadline=None)
    @given(
        kind=st.one_of(st.sampled_from(["interview", "visit"]), TEXT),
        who=TEXT,
        day=NUMBERISH,
        month=NUMBERISH,
        year=st.one_of(st.sampled_from(["2026", "1", "99999"]), NUMBERISH),
        present=st.lists(NUMBERISH, max_size=3),
        notes=TEXT,
    )
    def test_fieldwork_post_never_errors(self, kind, who, day, month, year, present, notes):
        self.client.force_login(self.analyst)
        before = FieldworkEntry.objects.count()
        response = self.client.post(
            reverse("reviews:fieldwork", kwargs={"pk": self.review.pk}),
            {
                "kind": kind,
                "who_or_where": who,
                "date_0": day,
                "date_1": month,
                "date_2": year,
                "present": present,
                "notes": notes,
            },
        )
        assert response.status_code in {302, 422}
        if response.status_code == 422:
            assert FieldworkEntry.objects.count() == before

    @settings(max_examples=40, deadline=None)
    @given(
        title=TEXT,
        priority=NUMBERISH,
        lead=NUMBERISH,
        commissioned_by=NUMBERISH,
        start=st.tuples(NUMBERISH, NUMBERISH, NUMBERISH),
        end=st.tuples(NUMBERISH, NUMBERISH, NUMBERISH),
        version=NUMBERISH,
    )
    def test_review_edit_never_errors(
        self, title, priority, lead, commissioned_by, start, end, version
    ):
        self.client.force_login(self.analyst)
        before = Review.history.count()
        data = {
            "title": title,
            "reason": "Fuzz.",
            "priority": priority,
            "lead": lead,
            "commissioned_by": commissioned_by,
            "version": version,
        }
        for part, value in enumerate(start):
            data[f"scoping_start_{part}"] = value
        for part, value in enumerate(end):
            data[f"scoping_end_{part}"] = value
        response = self.client.post(reverse("reviews:edit", kwargs={"pk": self.review.pk}), data)
        assert response.status_code in {302, 409, 422}
        if response.status_code != 302:
            assert Review.history.count() == before

    @settings(max_examples=25, deadline=None)
    @given(recommendation=NUMBERISH, version=NUMBERISH, done=TEXT)
    def test_follow_up_post_never_errors(self, recommendation, version, done):
        self.client.force_login(self.analyst)
        before = Recommendation.history.count()
        response = self.client.post(
            reverse("reviews:follow_up", kwargs={"pk": self.review.pk}),
            {"recommendation": recommendation, "rX-version": version, "rX-done": done},
        )
        # The review has no recommendations: nothing to follow up, whatever is sent.
        assert response.status_code == 404
        assert Recommendation.history.count() == before
