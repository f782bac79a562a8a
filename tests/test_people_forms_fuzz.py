"""Whatever arrives in the people forms, the answer is a saved change or the form again with its
errors, never a 500, and a refused post saves nothing."""

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from delivery_unit.models import HandedOver, Role, User
from priorities.models import Priority

TEXT = st.text(max_size=60)
ROLES = st.one_of(st.sampled_from(Role.values), TEXT)


class TestPeopleFormsFuzz(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create(username="fuzz-admin", role=Role.ADMINISTRATOR)
        cls.lead = User.objects.create(username="fuzz-lead", role=Role.PRIORITY_LEAD)
        cls.other = User.objects.create(username="fuzz-other", role=Role.PRIORITY_LEAD)
        Priority.objects.create(title="Fuzz", slug="fuzz", aspiration="Fuzz.", lead=cls.lead)

    @settings(max_examples=40, deadline=None)
    @given(first=TEXT, last=TEXT, email=st.one_of(st.emails(), TEXT), title=TEXT, role=ROLES)
    def test_adding_a_person_never_errors(self, first, last, email, title, role):
        self.client.force_login(self.admin)
        before = User.objects.count()
        response = self.client.post(
            reverse("people:add"),
            {
                "first_name": first,
                "last_name": last,
                "email": email,
                "job_title": title,
                "role": role,
            },
        )
        assert response.status_code in {200, 302}
        if response.status_code == 200:
            assert User.objects.count() == before
            assert b"There is a problem" in response.content

    @settings(max_examples=40, deadline=None)
    @given(
        successor=st.one_of(st.sampled_from(["", "nobody", "0", "-1"]), TEXT),
        leave=st.sampled_from(["", "on", "x"]),
        confirm=st.booleans(),
    )
    def test_a_hand_over_post_never_errors(self, successor, leave, confirm):
        self.client.force_login(self.admin)
        data = {"to_priority_lead": successor, "leave_unowned": leave}
        if confirm:
            data["confirm"] = "yes"
        response = self.client.post(reverse("people:hand_over", kwargs={"pk": self.lead.pk}), data)
        assert response.status_code in {200, 302}
        if response.status_code == 200:
            assert not HandedOver.objects.exists()
            assert Priority.objects.get().lead == self.lead
