"""Unit staff create and edit priorities; a lead edits the description of their own."""

import pytest
from django.urls import reverse

from priorities.models import Priority


def form_data(priority=None, **overrides) -> dict:
    data = {
        "title": "Street cleanliness",
        "code": "sc",
        "aspiration": "Cleaner streets in every ward.",
        "status": "active",
        "lead": "",
        "analyst": "",
        "cabinet_member": "Cllr Patel",
        "services": "Waste, Parks",
        "version": priority.version if priority else "",
    }
    return data | overrides


def test_unit_staff_adds_a_priority(client_for, unit_staff, priority_lead):
    response = client_for(unit_staff).post(
        reverse("priorities:create"),
        form_data(lead=priority_lead.pk, service_staff=[priority_lead.pk]),
    )
    created = Priority.objects.get(title="Street cleanliness")
    assert response["Location"] == created.get_absolute_url()
    assert (created.slug, created.code, created.lead) == ("street-cleanliness", "SC", priority_lead)
    assert list(created.service_staff.all()) == [priority_lead]


def test_a_slug_is_never_taken_twice(client_for, unit_staff, priority):
    client_for(unit_staff).post(reverse("priorities:create"), form_data(title=priority.title))
    assert Priority.objects.filter(title=priority.title).count() == 2
    assert Priority.objects.filter(slug="temporary-accommodation-2").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter the priority&#x27;s title"),
        ({"code": "1X"}, "Code must be letters and digits"),
        (
            {
                "start_date_0": "1",
                "start_date_1": "4",
                "start_date_2": "2026",
                "end_date_0": "1",
                "end_date_1": "4",
                "end_date_2": "2025",
            },
            "End date must be on or after the start date",
        ),
        ({"status": "abandoned"}, "Select a valid choice"),
    ],
)
def test_bad_priority_input_changes_nothing(client_for, unit_staff, overrides, message):
    response = client_for(unit_staff).post(reverse("priorities:create"), form_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Priority.objects.exists()


def test_own_lead_edits_only_the_description(client_for, priority_lead, priority):
    client = client_for(priority_lead)
    form = client.get(reverse("priorities:edit", args=[priority.slug])).content.decode()
    assert 'name="aspiration"' in form
    assert 'name="title"' not in form
    response = client.post(
        reverse("priorities:edit", args=[priority.slug]),
        form_data(priority, aspiration="Halve it.", title="Hijacked"),
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert (priority.aspiration, priority.title, priority.version) == (
        "Halve it.",
        "Temporary Accommodation",
        2,
    )


@pytest.mark.parametrize("role", ["other_lead", "leadership", "administrator"])
def test_others_cannot_edit_a_priority(request, client_for, priority, role):
    client = client_for(request.getfixturevalue(role))
    url = reverse("priorities:edit", args=[priority.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(priority, aspiration="No.")).status_code == 403
    priority.refresh_from_db()
    assert priority.aspiration == "Fewer households in temporary accommodation."


def test_stale_priority_edit_is_refused(client_for, unit_staff, priority_lead, priority):
    url = reverse("priorities:edit", args=[priority.slug])
    client_for(priority_lead).post(url, form_data(priority, aspiration="The lead's words."))
    response = client_for(unit_staff).post(url, form_data(priority, aspiration="The unit's words."))
    assert response.status_code == 409
    html = response.content.decode()
    assert "The unit&#x27;s words." in html
    assert "The lead&#x27;s words." in html
    priority.refresh_from_db()
    assert priority.aspiration == "The lead's words."


def test_after_a_stale_refusal_saving_again_goes_through(client_for, unit_staff, priority):
    url = reverse("priorities:edit", args=[priority.slug])
    first = form_data(priority, aspiration="First.", status="paused")
    client_for(unit_staff).post(url, first)
    stale = client_for(unit_staff).post(url, form_data(priority, aspiration="Second."))
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "Paused" in html, "Every field the other person saved is shown"
    assert 'name="version" value="2"' in html
    again = client_for(unit_staff).post(url, form_data(priority, aspiration="Second.", version=2))
    assert again.status_code == 302
    priority.refresh_from_db()
    assert (priority.aspiration, priority.version) == ("Second.", 3)
