"""Reminders and the weekly digest (rhythm/reminders.py): what is due to whom and when, each
reminder sent once however often the sender runs (and when two run at once), the digest's
contents for each role, each person's choice, nobody deactivated or without an address, both
parts of the email with links that work from outside, and one message read back from a real
SMTP server on loopback."""

import email
import email.policy
import io
import re
import socket
import threading
from datetime import date
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from delivery_unit.models import Role, User
from plans.models import Milestone
from rhythm import reminders
from rhythm.models import ReminderChoice, ReminderPreference, SentMessage
from rhythm.owing import Owed, owed_by
from rhythm.reminders import Kind, digest_of, digest_week, reminders_due, send_reminders
from stocktakes.models import Action
from tests.conftest import make_user

SITE = "https://delivery.example.gov.uk"
# Monday 7 April 2025, the digest's day; Wednesday the 9th is not.
MONDAY = date(2025, 4, 7)
WEDNESDAY = date(2025, 4, 9)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.COUNCIL_NAME = "London Borough of Northfield"
    settings.REMINDER_WORKING_DAYS_BEFORE = 3
    settings.REMINDER_DIGEST_WEEKDAY = 0


def owed(person, key: str, due: date, what: str = "", kind: str = "action") -> Owed:
    return Owed(
        key=f"{key}:{due.isoformat()}",
        kind=kind,
        what=what or f"Thing {key}",
        due=due,
        person=person,
        url=f"/stocktakes/actions/{key}/",
        priority=None,
        service="",
    )


# Deciding, without a database


def test_a_reminder_goes_within_three_working_days_of_the_due_date_across_a_weekend():
    person = User(pk=1, username="someone")
    friday = date(2025, 4, 4)
    items = [
        owed(person, "wed", date(2025, 4, 9)),  # three working days after Friday
        owed(person, "thu", date(2025, 4, 10)),  # four
    ]
    due = reminders_due(items, today=friday, days_before=3, sent=set())
    assert [(r.owed.key, r.kind) for r in due] == [("wed:2025-04-09", Kind.BEFORE_DUE)]


def test_easter_is_not_counted_as_working_days():
    person = User(pk=1, username="someone")
    # Thursday 17 April 2025; Good Friday and Easter Monday are bank holidays, so Thursday the
    # 24th is three working days away and Friday the 25th four.
    items = [owed(person, "a", date(2025, 4, 24)), owed(person, "b", date(2025, 4, 25))]
    due = reminders_due(items, today=date(2025, 4, 17), days_before=3, sent=set())
    assert [r.owed.key for r in due] == ["a:2025-04-24"]


def test_an_overdue_thing_gets_its_own_reminder_once_and_not_when_long_late():
    person = User(pk=1, username="someone")
    yesterday = owed(person, "late", date(2025, 4, 8))
    long_ago = owed(person, "old", date(2025, 2, 3))
    due = reminders_due([yesterday, long_ago], today=WEDNESDAY, days_before=3, sent=set())
    assert [(r.owed.key, r.kind) for r in due] == [("late:2025-04-08", Kind.OVERDUE)]
    sent = {(Kind.OVERDUE, "late:2025-04-08", date(2025, 4, 8))}
    assert reminders_due([yesterday], today=WEDNESDAY, days_before=3, sent=sent) == []
    # The reminder before it was due is another reminder: it does not stop the overdue one.
    before = {(Kind.BEFORE_DUE, "late:2025-04-08", date(2025, 4, 8))}
    assert len(reminders_due([yesterday], today=WEDNESDAY, days_before=3, sent=before)) == 1


def test_the_digest_has_everything_late_and_the_next_fortnight_in_date_order():
    person = User(pk=1, username="someone")
    items = [
        owed(person, "later", date(2025, 4, 22)),  # beyond the fortnight
        owed(person, "soon", date(2025, 4, 21)),  # the fortnight's last day
        owed(person, "today", MONDAY),
        owed(person, "late2", date(2025, 3, 3)),
        owed(person, "late1", date(2025, 4, 4)),
    ]
    digest = digest_of(items, today=MONDAY)
    assert [i.key.split(":")[0] for i in digest.late] == ["late2", "late1"]
    assert [i.key.split(":")[0] for i in digest.coming] == ["today", "soon"]
    assert not digest_of([items[0]], today=MONDAY)


def test_the_digest_goes_on_monday_or_the_first_working_day_after_a_bank_holiday():
    assert digest_week(MONDAY, 0) == MONDAY
    assert digest_week(WEDNESDAY, 0) is None
    # Monday 25 August 2025 was the summer bank holiday: the digest goes on the Tuesday.
    assert digest_week(date(2025, 8, 25), 0) is None
    assert digest_week(date(2025, 8, 26), 0) == date(2025, 8, 25)
    assert digest_week(date(2025, 8, 27), 0) is None
    # A digest day set to Wednesday.
    assert digest_week(WEDNESDAY, 2) == WEDNESDAY


# Sending, with Django's locmem mail


@pytest.fixture
def lead(db) -> User:
    return make_user("helen", Role.PRIORITY_LEAD, email="helen@example.org", last_name="Murray")


def test_each_reminder_is_sent_once_across_runs_with_both_parts_and_absolute_links(lead):
    items = [
        owed(lead, "1", date(2025, 4, 10), what="Report the voids"),
        owed(lead, "2", date(2025, 4, 8), what="Open the hub"),
    ]

    first = send_reminders(today=WEDNESDAY, owed=items)
    second = send_reminders(today=WEDNESDAY, owed=items)

    assert (first.reminders, second.reminders) == (1, 0)
    (message,) = mail.outbox
    assert message.to == ["helen@example.org"]
    assert message.subject == (
        "2 things you owe: 1 overdue and 1 due soon (London Borough of Northfield)"
    )
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "Open the hub" in message.body and "1 working day late" in message.body
    assert f"{SITE}/stocktakes/actions/1/" in message.body
    assert f"{SITE}{reverse('rhythm:reminder_settings')}" in message.body
    assert "London Borough of Northfield" in message.body
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    assert f'<a href="{SITE}/stocktakes/actions/2/">Open the hub</a>' in html
    assert sorted(SentMessage.objects.values_list("kind", "key")) == [
        (Kind.BEFORE_DUE, "1:2025-04-10"),
        (Kind.OVERDUE, "2:2025-04-08"),
    ]
    # The next day the one due soon is still due soon, and nothing is sent again; the day
    # after its date it is overdue, which is a reminder of its own.
    send_reminders(today=date(2025, 4, 10), owed=items)
    assert len(mail.outbox) == 1
    send_reminders(today=date(2025, 4, 11), owed=items)
    assert [m.subject for m in mail.outbox][1].startswith("Overdue: Report the voids")


def test_a_moved_due_date_is_a_new_reminder(lead):
    send_reminders(today=WEDNESDAY, owed=[owed(lead, "1", date(2025, 4, 10))])
    send_reminders(today=WEDNESDAY, owed=[owed(lead, "1", date(2025, 4, 11))])
    assert len(mail.outbox) == 2


def test_digest_only_gets_the_digest_and_no_reminders(lead, client_for):
    ReminderPreference.objects.create(person=lead, choice=ReminderChoice.DIGEST_ONLY)
    items = [owed(lead, "1", date(2025, 4, 8)), owed(lead, "2", date(2025, 4, 9))]

    outcome = send_reminders(today=MONDAY, owed=items)
    send_reminders(today=date(2025, 4, 8), owed=items)
    send_reminders(today=WEDNESDAY, owed=items)

    assert (outcome.reminders, outcome.digests) == (0, 1)
    (digest,) = mail.outbox
    assert digest.subject.startswith("Your week from 7 April: 2 due in the next fortnight")
    assert "You get the weekly digest." in digest.body
    assert not SentMessage.objects.exclude(kind=Kind.DIGEST).exists()


def test_nothing_goes_to_a_deactivated_person_or_one_without_an_address(lead, other_lead):
    lead.is_active = False
    lead.save()
    other_lead.email = ""
    other_lead.save()
    items = [owed(lead, "1", MONDAY), owed(other_lead, "2", MONDAY)]

    outcome = send_reminders(today=MONDAY, owed=items)

    assert (outcome.reminders, outcome.digests) == (0, 0)
    assert mail.outbox == []
    assert not SentMessage.objects.exists()


def test_nothing_goes_at_a_weekend(lead):
    assert send_reminders(today=date(2025, 4, 5), owed=[owed(lead, "1", MONDAY)]).people == set()
    assert mail.outbox == []


def test_a_failed_send_leaves_no_record_and_the_next_run_sends_it(lead, monkeypatch):
    items = [owed(lead, "1", date(2025, 4, 10))]

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("The mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        outcome = send_reminders(today=WEDNESDAY, owed=items)
    assert outcome.failed == 1
    assert not SentMessage.objects.exists()

    assert send_reminders(today=WEDNESDAY, owed=items).reminders == 1
    assert len(mail.outbox) == 1


# The digest for each role, from what they really owe (rhythm.owing)


@pytest.fixture
def people(priority, indicator, stocktake, unit_staff, priority_lead, leadership, other_lead):
    for person in (unit_staff, priority_lead, leadership, other_lead):
        person.email = f"{person.username}@example.org"
        person.save()
    officer = make_user("officer", Role.SERVICE_STAFF, email="officer@example.org")
    priority.service_staff.add(officer)
    version = priority.plan.versions.order_by("-number").first()
    Milestone.objects.create(
        plan_version=version, title="Open the new hub", owner=priority_lead, due=date(2025, 4, 15)
    )
    item = stocktake.agenda.order_by("position").first()
    Action.agree(
        item=item,
        description="Report the voids",
        owner=unit_staff,
        due_date=date(2025, 4, 9),
        by=unit_staff,
    )
    Action.agree(
        item=item,
        description="Write to the minister",
        owner=leadership,
        due_date=date(2025, 3, 28),
        by=unit_staff,
    )
    return {
        "unit_staff": unit_staff,
        "lead": priority_lead,
        "officer": officer,
        "leadership": leadership,
        "other_lead": other_lead,
    }


def test_each_role_s_digest_holds_what_they_owe(people):
    outcome = send_reminders(today=MONDAY)

    by_person = {
        message.to[0]: message for message in mail.outbox if "Your week" in message.subject
    }
    # The other lead owes nothing: no digest.
    assert sorted(by_person) == [
        "analyst@example.org",
        "chief@example.org",
        "lead@example.org",
        "officer@example.org",
    ]
    assert outcome.digests == 4
    lead, officer = by_person["lead@example.org"].body, by_person["officer@example.org"].body
    # The lead: the indicator's data late since January, and their milestone.
    assert "Households in temporary accommodation" in lead and "Open the new hub" in lead
    data_url = f"{SITE}{reverse('priorities:data', args=['temporary-accommodation'])}"
    assert data_url in lead
    # The service manager enters the same data, and owes no milestone.
    assert "Households in temporary accommodation" in officer
    assert "Open the new hub" not in officer
    # The analyst owes an action due on Wednesday; the Chief Executive one that is late.
    analyst = by_person["analyst@example.org"].body
    chief = by_person["chief@example.org"].body
    assert "Report the voids" in analyst and "Late (" not in analyst
    assert "Write to the minister" in chief and "Late (1)" in chief
    for email_address, message in by_person.items():
        person = User.objects.get(email=email_address)
        for item in owed_by(person, today=MONDAY):
            if item.due <= date(2025, 4, 21):
                assert item.what in message.body
                assert reminders.absolute(item.url) in message.alternatives[0][0]
    # A week later nothing new goes for last week's digest.
    count = len(mail.outbox)
    send_reminders(today=MONDAY)
    assert len(mail.outbox) == count


# Two senders at once


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_once():
    lead = User.objects.create(username="helen", role=Role.PRIORITY_LEAD, email="helen@example.org")
    items = [owed(lead, str(n), date(2025, 4, 8 + n)) for n in range(3)]
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(send_reminders(today=MONDAY, owed=items))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Either thread may win each message, but each goes once.
    assert len(outcomes) == 2
    assert sum(o.reminders for o in outcomes) == 1
    assert sum(o.digests for o in outcomes) == 1
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == [
        "3 things you owe",
        "Your week from 7 April",
    ]
    assert SentMessage.objects.filter(kind=Kind.DIGEST).count() == 1
    assert SentMessage.objects.exclude(kind=Kind.DIGEST).count() == 3


# The command and the task worker


def test_the_command_sends_and_reports_and_can_queue(lead, monkeypatch):
    items = [owed(lead, "1", date(2025, 4, 10))]
    monkeypatch.setattr("rhythm.owing.owed_by_everyone", lambda today: items)
    out = io.StringIO()

    call_command("send_reminders", "--date", "2025-04-09", stdout=out)
    call_command("send_reminders", "--date", "2025-04-09", "--queue", stdout=out)

    assert out.getvalue().splitlines()[0] == "1 reminder email and 0 digests sent."
    assert out.getvalue().splitlines()[1].startswith("Queued for the task worker: ")
    # The immediate backend ran the queued task, which found it sent already.
    assert len(mail.outbox) == 1


def test_the_task_returns_its_counts(lead, monkeypatch):
    from rhythm.tasks import send_reminders_task

    monkeypatch.setattr(
        "rhythm.owing.owed_by_everyone", lambda today: [owed(lead, "1", date(2025, 4, 10))]
    )
    result = send_reminders_task.enqueue("2025-04-09")
    assert result.return_value == {"reminders": 1, "digests": 0, "failed": 0}


def test_the_command_refuses_a_date_it_cannot_read(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a date"):
        call_command("send_reminders", "--date", "9 April")


# A real SMTP server on loopback


class Keep:
    """An aiosmtpd handler that keeps each message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_reminder_is_delivered_by_smtp_and_read_back(lead, settings):
    handler = Keep()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
            }
        }
        outcome = send_reminders(
            today=WEDNESDAY, owed=[owed(lead, "7", date(2025, 4, 10), what="Report the voids")]
        )
    finally:
        controller.stop()

    assert outcome.reminders == 1
    (message,) = handler.messages
    assert message["To"] == "helen@example.org"
    assert message["Subject"] == ("Due tomorrow: Report the voids (London Borough of Northfield)")
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert f"{SITE}/stocktakes/actions/7/" in text.get_content()
    assert "Due Thursday 10 April 2025" in text.get_content()
    assert f'<a href="{SITE}/stocktakes/actions/7/">Report the voids</a>' in html.get_content()
    assert SentMessage.objects.get().key == "7:2025-04-10"


# The page where each person chooses


def _checked(page: str) -> list[str]:
    return re.findall(r'value="(\w+)"\s+checked', page)


def test_a_person_chooses_digest_only_on_their_settings_page(
    lead, client_for, django_assert_max_num_queries
):
    client = client_for(lead)
    url = reverse("rhythm:reminder_settings")
    with django_assert_max_num_queries(7):
        page = client.get(url).content.decode()
    assert _checked(page) == ["digest_and_reminders"]
    assert "3 working days before a thing is due" in page

    response = client.post(url, {"choice": "digest_only"})

    assert response.status_code == 302 and response["Location"] == url
    assert ReminderPreference.objects.get(person=lead).choice == ReminderChoice.DIGEST_ONLY
    page = client.get(url).content.decode()
    assert "Saved: you will get the weekly digest only" in page
    assert _checked(page) == ["digest_only"]
    client.post(url, {"choice": "digest_and_reminders"})
    assert ReminderPreference.objects.get(person=lead).choice == ReminderChoice.DIGEST_AND_REMINDERS


def test_a_choice_that_is_not_offered_is_refused_with_an_error_summary(lead, client_for):
    response = client_for(lead).post(reverse("rhythm:reminder_settings"), {"choice": "every_hour"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and "govuk-error-summary" in page
    assert "Select one of the choices" in page
    assert not ReminderPreference.objects.exists()


def test_the_page_says_when_there_is_no_address_to_send_to(client_for, db):
    person = make_user("noaddress", Role.SERVICE_STAFF)
    page = client_for(person).get(reverse("rhythm:reminder_settings")).content.decode()
    assert "You have no email address here" in page


def test_the_settings_page_lists_what_was_sent(lead, client_for):
    send_reminders(today=WEDNESDAY, owed=[owed(lead, "1", date(2025, 4, 10), what="Open the hub")])
    page = client_for(lead).get(reverse("rhythm:reminder_settings")).content.decode()
    assert "The latest 1 email sent to you" in page
    assert "Reminder before it is due" in page and "Open the hub, due 10 April 2025" in page


# The demo's month


def test_the_demo_month_records_reminders_and_digests_once_and_sends_nothing(people):
    from rhythm import demo_data

    created = demo_data.build({"officer": people["officer"]}, today=date(2025, 5, 1))

    assert created > 0
    assert demo_data.build({"officer": people["officer"]}, today=date(2025, 5, 1)) == 0
    assert mail.outbox == []
    sent = SentMessage.objects.all()
    assert sent.filter(kind=Kind.OVERDUE, person=people["leadership"]).exists()
    # Digests on the Mondays of April 2025 (and Tuesday the 22nd, after Easter Monday).
    weeks = set(sent.filter(kind=Kind.DIGEST).values_list("week", flat=True))
    assert weeks == {date(2025, 4, 7), date(2025, 4, 14), date(2025, 4, 21), date(2025, 4, 28)}
    assert set(
        sent.filter(kind=Kind.DIGEST, week=date(2025, 4, 21)).values_list(
            "sent_at__date", flat=True
        )
    ) == {date(2025, 4, 22)}
    # The service manager chose the digest only.
    officer = sent.filter(person=people["officer"])
    assert officer.exists() and not officer.exclude(kind=Kind.DIGEST).exists()


def test_the_home_page_links_to_the_settings(lead, client_for):
    page = client_for(lead).get(reverse("home")).content.decode()
    assert f'href="{reverse("rhythm:reminder_settings")}"' in page


# Settings


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "REMINDER_DIGEST_DAY",
            "Mondays",
            "REMINDER_DIGEST_DAY='mondays' is not a day of the week",
        ),
        (
            "REMINDER_WORKING_DAYS_BEFORE",
            "0",
            "REMINDER_WORKING_DAYS_BEFORE='0' must be at least 1",
        ),
    ],
)
def test_a_reminder_setting_that_cannot_be_meant_stops_start_up(name, value, message):
    from tests.test_settings import PRODUCTION, manage

    result = manage("check", **(PRODUCTION | {name: value}))
    assert result.returncode != 0
    assert message in result.stderr


def test_the_digest_day_is_named_in_words():
    from tests.test_settings import PRODUCTION, manage

    script = "from django.conf import settings; print(settings.REMINDER_DIGEST_WEEKDAY)"
    result = manage("shell", "-c", script, **(PRODUCTION | {"REMINDER_DIGEST_DAY": "Wednesday"}))
    assert result.stdout.strip().splitlines()[-1] == "2", result.stderr
