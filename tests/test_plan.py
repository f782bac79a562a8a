"""A priority's own lead (and unit staff) edit its delivery plan; nothing anyone wrote is lost."""

import pytest
from django.urls import reverse

from plans.models import DeliveryPlan, StalePlan


def edit_url(priority) -> str:
    return reverse("plans:edit", kwargs={"slug": priority.slug})


def test_own_lead_edits_plan_and_history_keeps_before_and_after(
    client_for, priority_lead, priority
):
    response = client_for(priority_lead).post(
        edit_url(priority), {"body": "Weekly case review.", "version": "1"}, follow=True
    )
    assert response.status_code == 200
    assert "Delivery plan saved." in response.content.decode()
    plan = DeliveryPlan.objects.get(priority=priority)
    assert (plan.body, plan.version, plan.updated_by) == ("Weekly case review.", 2, priority_lead)
    bodies = list(plan.history.order_by("history_date").values_list("body", "history_user"))
    assert bodies[-1] == ("Weekly case review.", priority_lead.pk)
    assert any(body == "The first plan." for body, _ in bodies)


def test_unit_staff_may_edit_any_plan(client_for, unit_staff, priority):
    response = client_for(unit_staff).post(
        edit_url(priority), {"body": "Unit edit.", "version": "1"}
    )
    assert response.status_code == 302
    assert DeliveryPlan.objects.get(priority=priority).body == "Unit edit."


@pytest.mark.parametrize("role", ["other_lead", "leadership", "administrator"])
def test_other_roles_cannot_edit_plan(request, client_for, priority, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(edit_url(priority)).status_code == 403
    response = client.post(edit_url(priority), {"body": "Forged.", "version": "1"})
    assert response.status_code == 403
    assert DeliveryPlan.objects.get(priority=priority).body == "The first plan."


def test_other_lead_reads_plan_without_edit_link(client_for, other_lead, priority):
    response = client_for(other_lead).get(reverse("plans:detail", kwargs={"slug": priority.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The first plan." in html
    assert "Edit the plan" not in html


def test_stale_plan_save_is_refused_showing_both_versions(
    client_for, priority_lead, unit_staff, priority
):
    plan = DeliveryPlan.objects.get(priority=priority)
    plan.revise(body="The unit's version.", by=unit_staff, version=1)

    response = client_for(priority_lead).post(
        edit_url(priority), {"body": "The lead's version.", "version": "1"}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "saved this plan while you were editing" in html
    assert "The lead&#x27;s version." in html, "The editor's text stays in the form"
    assert "The unit&#x27;s version." in html, "The other change is shown"
    assert 'name="version" value="2"' in html
    assert DeliveryPlan.objects.get(priority=priority).body == "The unit's version."


def test_revise_refuses_a_stale_version_in_the_model(priority, unit_staff):
    plan = DeliveryPlan.objects.get(priority=priority)
    plan.revise(body="Two.", by=unit_staff, version=1)
    with pytest.raises(StalePlan):
        DeliveryPlan.objects.get(pk=plan.pk).revise(body="Lost?", by=unit_staff, version=1)
    assert DeliveryPlan.objects.get(pk=plan.pk).body == "Two."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "x" * 50001, "version": "1"}, "50,000 characters or fewer"),
        ({"body": "Text"}, "This page is out of date"),
        ({"body": "Text", "version": "abc"}, "This page is out of date"),
    ],
    ids=["too long", "no version", "bad version"],
)
def test_bad_plan_input_is_refused_with_a_message(
    client_for, priority_lead, priority, data, message
):
    response = client_for(priority_lead).post(edit_url(priority), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert DeliveryPlan.objects.get(priority=priority).body == "The first plan."


def test_plan_is_created_for_a_priority_that_had_none(client_for, unit_staff, other_priority):
    response = client_for(unit_staff).get(
        reverse("plans:detail", kwargs={"slug": other_priority.slug})
    )
    assert response.status_code == 200
    assert "No plan has been written yet." in response.content.decode()
