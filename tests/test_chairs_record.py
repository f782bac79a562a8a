"""The chairs see the record of their own stocktake: after the meeting its page leads with each
item's decisions, the actions agreed (owner, due date, status, progress, overdue marked) and the
follow-up note as sent; their home page lists the latest notes and the overdue actions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from delivery_unit.models import User
from stocktakes.follow_up import save_note, send_note
from stocktakes.models import Action
from tests.test_stocktakes import _held


@pytest.fixture
def actions(stocktake, unit_staff, priority_lead, other_lead):
    """The stocktake held, its chairs' record: two actions on the first item (one overdue), one
    overdue on the second, one done."""
    _held(stocktake, unit_staff)
    first, second = stocktake.ordered_agenda()
    today = date.today()
    made = {}
    for key, item, owner, due in [
        ("overdue", first, priority_lead, today - timedelta(days=3)),
        ("later", first, priority_lead, today + timedelta(days=30)),
        ("other", second, other_lead, today - timedelta(days=3)),
        ("done", second, other_lead, today - timedelta(days=3)),
    ]:
        description = {"other": "Other lead's", "done": "Done"}.get(key, key.title())
        made[key] = Action.agree(
            item=item, description=description, owner=owner, due_date=due, by=unit_staff
        )
    Action.objects.filter(pk=made["done"].pk).update(status=Action.Status.DONE)
    return made


def _record_and_send(stocktake, unit_staff, leadership, actions):
    stocktake.chairs.add(leadership)
    User.objects.filter(pk=leadership.pk).update(email="chief@example.org")
    item = stocktake.ordered_agenda().first()
    item.decisions = "Fund two more prevention officers.\nReport back in January."
    item.save(update_fields=["decisions"])
    Action.objects.filter(pk=actions["later"].pk).update(
        status=Action.Status.IN_PROGRESS, progress="Draft paper with finance."
    )
    note = save_note(
        stocktake, body="Thank you all.\n\nTwo actions agreed.", by=unit_staff, version=0
    )
    return send_note(note, by=unit_staff)


def test_the_chief_executive_reads_the_held_stocktakes_decisions_actions_and_note(
    client_for, unit_staff, leadership, actions, stocktake
):
    note = _record_and_send(stocktake, unit_staff, leadership, actions)
    html = client_for(leadership).get(stocktake.get_absolute_url()).content.decode()
    record = html.index("What the meeting decided")
    assert record < html.index("The pack"), "the page leads with its record"
    assert "Fund two more prevention officers." in html and "Report back in January." in html
    assert "No decision recorded." in html, "the second item recorded none"
    for words in ("Overdue</a>", "Later</a>", "Other lead&#x27;s</a>"):
        assert words in html
    assert "Draft paper with finance." in html and "In progress" in html
    later_row = html[html.index("Later</a>") :].split("</tr>")[0]
    overdue_row = html[html.index("Overdue</a>") :].split("</tr>")[0]
    assert "govuk-tag--red" in overdue_row and "govuk-tag--red" not in later_row
    assert "Thank you all." in html and "Two actions agreed." in html
    pdf_url = reverse("stocktakes:follow_up_file", args=[stocktake.pk, "pdf"])
    assert pdf_url in html
    assert client_for(leadership).get(pdf_url).content == bytes(note.pdf)


def test_before_the_note_is_sent_the_record_says_so(
    client_for, unit_staff, leadership, actions, stocktake
):
    html = client_for(leadership).get(stocktake.get_absolute_url()).content.decode()
    assert "What the meeting decided" in html
    assert "The unit has not sent the follow-up note yet." in html
    assert reverse("stocktakes:follow_up_file", args=[stocktake.pk, "pdf"]) not in html


def test_a_stocktake_not_yet_held_has_no_record(client_for, leadership, stocktake):
    html = client_for(leadership).get(stocktake.get_absolute_url()).content.decode()
    assert "What the meeting decided" not in html


def test_the_record_loads_in_a_fixed_number_of_queries(
    client_for,
    unit_staff,
    leadership,
    actions,
    stocktake,
    priority_lead,
    django_assert_max_num_queries,
):
    _record_and_send(stocktake, unit_staff, leadership, actions)
    client = client_for(leadership)
    client.get(stocktake.get_absolute_url())
    item = stocktake.ordered_agenda().first()
    with django_assert_max_num_queries(15) as few:
        client.get(stocktake.get_absolute_url())
    for number in range(10):
        Action.agree(
            item=item,
            description=f"More {number}",
            owner=priority_lead,
            due_date=date.today() + timedelta(days=number),
            by=unit_staff,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(stocktake.get_absolute_url())


def test_leaderships_home_lists_the_latest_notes_and_overdue_actions_of_their_stocktakes(
    client_for, unit_staff, leadership, actions, stocktake
):
    _record_and_send(stocktake, unit_staff, leadership, actions)
    html = client_for(leadership).get(reverse("home")).content.decode()
    notes = html.index("Follow-up notes from your stocktakes")
    overdue = html.index("Actions overdue from your stocktakes")
    assert stocktake.title in html[notes:overdue]
    listed = html[overdue:].split("</ul>")[0]
    assert "Overdue</a>" in listed and "Other lead&#x27;s</a>" in listed
    assert "Later</a>" not in listed and "Done" not in listed
