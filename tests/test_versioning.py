"""The one primitive for versioned edits and the one answer to a refused move, as every app
uses them: a stale save is refused with nothing written and the saved row to show; a refused
move answers 409 with the reason, in plans, reviews and stocktakes alike."""

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse

from delivery_unit.versioning import Stale, VersionedForm, save_versioned, version_field
from delivery_unit.workflow import TransitionRefused, answer_refused
from plans.models import PlanSection
from priorities.models import Priority
from stocktakes.models import Stocktake


def test_a_save_from_the_current_version_goes_through_and_counts(priority):
    save_versioned(priority, 1, {"aspiration": "Fewer, sooner."})
    priority.refresh_from_db()
    assert (priority.aspiration, priority.version) == ("Fewer, sooner.", 2)


def test_a_save_from_an_older_version_changes_nothing_and_carries_the_saved_row(priority):
    save_versioned(priority, 1, {"aspiration": "First."})
    late = Priority.objects.get(pk=priority.pk)
    with pytest.raises(Stale) as refused:
        save_versioned(late, 1, {"aspiration": "Second."})
    assert refused.value.current.aspiration == "First."
    assert refused.value.current.version == 2
    priority.refresh_from_db()
    assert (priority.aspiration, priority.version) == ("First.", 2)


def test_the_stale_error_says_who_saved_and_when(priority, priority_lead, unit_staff):
    section = PlanSection.objects.get(plan_version__plan__priority=priority, key="aspiration")
    section.revise(text="The lead's text.", by=priority_lead, version=section.version)
    late = PlanSection.objects.select_related("plan_version").get(pk=section.pk)
    with pytest.raises(Stale) as refused:
        late.revise(text="Mine.", by=unit_staff, version=1)
    assert refused.value.saved_by == priority_lead
    assert refused.value.saved_at == section.updated_at
    assert PlanSection.objects.get(pk=section.pk).text == "The lead's text."


class _NoteForm(VersionedForm):
    note = forms.CharField()


def test_a_rebased_form_keeps_what_was_typed_on_the_saved_version():
    form = _NoteForm({"note": "What I typed.", "version": "3"})
    assert form.is_valid()
    form.rebase(5, "Someone saved this meanwhile.")
    html = form.as_div()
    assert 'value="What I typed."' in html
    assert 'name="version" value="5"' in html
    assert form.non_field_errors() == ["Someone saved this meanwhile."]


@pytest.mark.parametrize("sent", [{}, {"version": ""}, {"version": "x"}, {"version": "-1"}])
def test_a_missing_or_mangled_version_asks_for_a_reload(sent):
    form = _NoteForm({"note": "Text."} | sent)
    assert not form.is_valid()
    assert form.errors["version"] == [
        "This page is out of date. Reload it and make your change again"
    ]


def test_a_form_that_also_creates_may_come_without_a_version():
    class CreateOrEdit(_NoteForm):
        version = version_field(required=False)

    form = CreateOrEdit({"note": "New."})
    assert form.is_valid() and form.cleaned_data["version"] is None


# Refused moves: one status code, one page, in every app.


def _refusals(priority, review, stocktake) -> list[tuple[str, str, str]]:
    """A move each app refuses in the state the fixtures leave it: (url, user fixture, why)."""
    return [
        (
            reverse("plans:start", args=[priority.slug]),
            "priority_lead",
            "Version 1 is still draft.",
        ),
        (
            reverse("reviews:advance", args=[review.pk]),
            "unit_staff",
            "The commissioner signs off the terms of reference before fieldwork starts.",
        ),
        (
            reverse("stocktakes:transition", args=[stocktake.pk, "held"]),
            "unit_staff",
            "A stocktake that is planning cannot become held.",
        ),
    ]


@pytest.mark.parametrize("app", [0, 1, 2], ids=["plans", "reviews", "stocktakes"])
def test_a_refused_move_answers_409_with_the_reason(
    request, client_for, priority, review, stocktake, app
):
    url, who, why = _refusals(priority, review, stocktake)[app]
    before = (review.status, stocktake.status, priority.plan.versions.count())
    response = client_for(request.getfixturevalue(who)).post(url)
    assert response.status_code == 409
    html = response.content.decode()
    assert why in html
    assert "That cannot be done now" in html
    review.refresh_from_db()
    stocktake.refresh_from_db()
    assert (review.status, stocktake.status, priority.plan.versions.count()) == before


def test_the_refusal_leads_back_to_our_own_page_only(client_for, unit_staff, stocktake):
    url = reverse("stocktakes:transition", args=[stocktake.pk, "held"])
    client = client_for(unit_staff)
    ours = client.post(url, headers={"referer": f"http://testserver/stocktakes/{stocktake.pk}/"})
    assert f'href="http://testserver/stocktakes/{stocktake.pk}/"' in ours.content.decode()
    theirs = client.post(url, headers={"referer": "https://elsewhere.example/phish"})
    assert "elsewhere.example" not in theirs.content.decode()
    assert 'href="/"' in theirs.content.decode()
    assert Stocktake.objects.get(pk=stocktake.pk).status == Stocktake.Status.PLANNING


def test_htmx_gets_the_reason_alone(rf: RequestFactory, unit_staff):
    request = rf.post("/anything/")
    request.user = unit_staff
    request.htmx = True
    response = answer_refused(request, TransitionRefused("Not now."))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Not now." in html
    assert "<html" not in html
