"""A person's own saves never conflict: the analyst types a reason and presses "Propose for
moderation" while the draft's autosave of that same text is still on its way. Whichever the
server takes first, the proposal goes in with what was typed, and neither request is refused."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from delivery_unit.models import Role, User
from priorities.models import Priority
from priorities.rounds.models import Round, RoundEntry

LEVELS = {
    "challenge": "high",
    "planning": "amber_green",
    "capacity": "amber_red",
    "stage": "2",
    "likelihood": "amber_red",
}


def together(*requests) -> list:
    """Send the requests at the same moment, each from its own thread and connection."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)

    def send(index, request):
        try:
            barrier.wait()
            responses[index] = request()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(index, request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


@pytest.mark.django_db(transaction=True)
def test_autosave_and_proposal_together_a_hundred_times_never_conflict():
    analyst = User.objects.create(username="tom", first_name="Tom", role=Role.UNIT_STAFF)
    Priority.objects.create(title="Recycling", slug="recycling", aspiration="More.")
    round_ = Round.open_round(name="December 2026", date=date(2026, 12, 1), by=analyst)
    entry = round_.entries.get()
    url = reverse("assessment:entry", kwargs={"pk": round_.pk, "slug": "recycling"})
    # One browser: the autosave (htmx) and the form's submit share the analyst's session.
    autosaver, submitter = Client(), Client()
    autosaver.force_login(analyst)
    submitter.cookies = autosaver.cookies

    statuses = []
    for attempt in range(100):
        entry.refresh_from_db()
        entry.scorecard.refresh_from_db()
        form = {"version": str(entry.scorecard.version)}
        for key, level in LEVELS.items():
            form[f"{key}-level"] = level
            form[f"{key}-rationale"] = f"Reason typed in attempt {attempt} for {key}."

        autosave, proposal = together(
            lambda form=form: autosaver.post(url, form, headers={"HX-Request": "true"}),
            lambda form=form: submitter.post(url, form | {"action": "propose"}),
        )

        statuses.append((autosave.status_code, proposal.status_code))
        assert proposal.status_code == 302, proposal.content.decode()[:2000]
        assert autosave.status_code == 200, autosave.content.decode()[:2000]
        entry.refresh_from_db()
        assert entry.status == RoundEntry.Status.PROPOSED
        assert entry.proposed_by == analyst
        likelihood = entry.scorecard.judgements.get(area__key="likelihood")
        assert likelihood.rationale == f"Reason typed in attempt {attempt} for likelihood."
        entry.withdraw()

    assert statuses == [(200, 302)] * 100


@pytest.mark.django_db(transaction=True)
def test_another_persons_save_meanwhile_is_still_refused():
    tom = User.objects.create(username="tom", first_name="Tom", role=Role.UNIT_STAFF)
    ann = User.objects.create(username="ann", first_name="Ann", role=Role.UNIT_STAFF)
    Priority.objects.create(title="Recycling", slug="recycling", aspiration="More.")
    round_ = Round.open_round(name="December 2026", date=date(2026, 12, 1), by=tom)
    url = reverse("assessment:entry", kwargs={"pk": round_.pk, "slug": "recycling"})
    clients = {}
    for person in (tom, ann):
        clients[person.username] = Client()
        clients[person.username].force_login(person)
    form = {"version": "1", "likelihood-level": "red", "likelihood-rationale": "Ann's view."}
    assert clients["ann"].post(url, form, headers={"HX-Request": "true"}).status_code == 200

    tom_form = form | {"likelihood-level": "green", "likelihood-rationale": "Tom's view."}
    response = clients["tom"].post(url, tom_form)

    assert response.status_code == 409
    assert "Ann saved these ratings while you were working" in response.content.decode()
    likelihood = round_.entries.get().scorecard.judgements.get(area__key="likelihood")
    assert likelihood.rationale == "Ann's view."
