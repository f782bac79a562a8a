"""Reminders and the weekly digest: what to send each person, decided from what they owe
(``rhythm.owing``) and what they have already been sent, then sent once.

The decisions are pure functions over a list of ``Owed`` and the record of what was sent, so they
can be tested without a database. ``send_reminders`` runs them for everyone; it is safe to run
every hour and from several places at once:

- a reminder goes when a thing comes within ``REMINDER_WORKING_DAYS_BEFORE`` working days of its
  due date (the first run in that window sends it), and another when it becomes overdue (within
  ``OVERDUE_WINDOW`` working days of its due date, so that turning reminders on does not send a
  flood about things long late: those are in the digest);
- the digest goes on the first working day on or after ``REMINDER_DIGEST_DAY`` each week, with
  everything due in the next fortnight and everything late;
- nothing goes on a weekend or bank holiday, to anyone deactivated or without an email address,
  and no reminders (only the digest) to someone who chose "digest only";
- each message is recorded (``SentMessage``) in the transaction that sends it. The record's
  unique constraint makes a second sender's insert wait for the first and then fail, so it sends
  nothing; a send that fails rolls its record back, and the next run tries again.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from delivery_unit import workdays
from delivery_unit.models import User
from rhythm import owing
from rhythm.models import ReminderChoice, SentMessage
from rhythm.owing import Owed

logger = logging.getLogger(__name__)

Kind = SentMessage.Kind

# An overdue reminder goes only within this many working days of the due date: a thing already
# long late when reminders start (or when it is given to someone) is in their digest instead.
OVERDUE_WINDOW = 10
# The digest looks this far ahead.
FORTNIGHT = timedelta(days=14)


@dataclass(frozen=True)
class Reminder:
    owed: Owed
    kind: str  # Kind.BEFORE_DUE or Kind.OVERDUE


@dataclass(frozen=True)
class Digest:
    late: list[Owed]
    coming: list[Owed]

    def __bool__(self) -> bool:
        return bool(self.late or self.coming)


@dataclass
class Outcome:
    reminders: int = 0  # reminder emails sent (one may cover several things)
    digests: int = 0
    failed: int = 0
    people: set[int] = field(default_factory=set)

    def __str__(self) -> str:
        return (
            f"{self.reminders} reminder email{'s' if self.reminders != 1 else ''} and "
            f"{self.digests} digest{'s' if self.digests != 1 else ''} sent"
            + (f", {self.failed} failed (tried again next run)" if self.failed else "")
            + "."
        )


def _by_due(owed: Iterable[Owed]) -> list[Owed]:
    return sorted(owed, key=lambda item: (item.due, item.what, item.key))


def reminders_due(
    owed: Iterable[Owed],
    *,
    today: date,
    days_before: int,
    sent: set[tuple[str, str, date]],
) -> list[Reminder]:
    """The reminders one person is owed today: ``owed`` is what they owe, ``sent`` the
    (kind, key, due) of every reminder already sent to them."""
    horizon = workdays.add_working_days(today, days_before)
    reminders = []
    for item in _by_due(owed):
        if item.is_overdue(today):
            kind = Kind.OVERDUE
            if item.working_days_late(today) > OVERDUE_WINDOW:
                continue
        elif item.due <= horizon:
            kind = Kind.BEFORE_DUE
        else:
            continue
        if (kind, item.key, item.due) not in sent:
            reminders.append(Reminder(item, kind))
    return reminders


def digest_of(owed: Iterable[Owed], *, today: date) -> Digest:
    """Everything late, and everything due in the next fortnight, each in date order."""
    items = _by_due(owed)
    return Digest(
        late=[item for item in items if item.is_overdue(today)],
        coming=[
            item for item in items if not item.is_overdue(today) and item.due <= today + FORTNIGHT
        ],
    )


def digest_week(today: date, weekday: int) -> date | None:
    """The week (the date of its digest day) whose digest goes today, or None: the digest goes
    on the first working day on or after the digest day, so a bank holiday Monday moves it to
    the Tuesday."""
    week = today - timedelta(days=(today.weekday() - weekday) % 7)
    day = week
    while not workdays.is_working_day(day) and day < today:
        day += timedelta(days=1)
    return week if day == today and workdays.is_working_day(today) else None


def send_reminders(*, today: date | None = None, owed: list[Owed] | None = None) -> Outcome:
    """Send today's reminders and digests to everyone (``owed``, everything owed, is read from
    ``rhythm.owing`` unless given)."""
    today = today or timezone.localdate()
    outcome = Outcome()
    if not workdays.is_working_day(today):
        return outcome
    if owed is None:
        owed = owing.owed_by_everyone(today=today)
    by_person: dict[int, list[Owed]] = defaultdict(list)
    for item in owed:
        by_person[item.person.pk].append(item)
    people = (
        User.objects.filter(pk__in=by_person, is_active=True)
        .exclude(email="")
        .select_related("reminder_preference")
        .order_by("pk")
    )
    sent: dict[int, set[tuple[str, str, date]]] = defaultdict(set)
    earliest = min((item.due for item in owed), default=today)
    for person_id, kind, key, on in SentMessage.objects.filter(
        person__in=by_person, kind__in=[Kind.BEFORE_DUE, Kind.OVERDUE], due__gte=earliest
    ).values_list("person_id", "kind", "key", "due"):
        if on is not None:  # always, for a reminder (the table's check says so)
            sent[person_id].add((kind, key, on))
    week = digest_week(today, settings.REMINDER_DIGEST_WEEKDAY)
    for person in people:
        items = by_person[person.pk]
        if _wants_reminders(person):
            to_send = reminders_due(
                items,
                today=today,
                days_before=settings.REMINDER_WORKING_DAYS_BEFORE,
                sent=sent[person.pk],
            )
            if to_send:
                _count(outcome, "reminders", person, send_reminder(person, to_send, today=today))
        if week is not None:
            digest = digest_of(items, today=today)
            if digest:
                _count(outcome, "digests", person, send_digest(person, digest, week, today=today))
    return outcome


def _wants_reminders(person: User) -> bool:
    try:
        return person.reminder_preference.choice != ReminderChoice.DIGEST_ONLY
    except User.reminder_preference.RelatedObjectDoesNotExist:
        return True


def _count(outcome: Outcome, what: str, person: User, result: bool | None) -> None:
    if result is None:
        outcome.failed += 1
    elif result:
        setattr(outcome, what, getattr(outcome, what) + 1)
        outcome.people.add(person.pk)


def send_reminder(person: User, reminders: list[Reminder], *, today: date) -> bool | None:
    """One email about every reminder in ``reminders`` not already claimed by another sender.
    True if it went, False if there was nothing left to send, None if sending failed."""
    records = [
        SentMessage(
            person=person,
            kind=reminder.kind,
            key=reminder.owed.key,
            due=reminder.owed.due,
            what=reminder.owed.what[:300],
        )
        for reminder in reminders
    ]
    by_record = dict(zip((id(record) for record in records), reminders, strict=True))

    def message(claimed: list[SentMessage]) -> EmailMultiAlternatives:
        mine = [by_record[id(record)] for record in claimed]
        overdue = [_line(r.owed, today) for r in mine if r.kind == Kind.OVERDUE]
        soon = [_line(r.owed, today) for r in mine if r.kind == Kind.BEFORE_DUE]
        if len(mine) == 1:
            only = mine[0].owed
            subject = (
                f"Overdue: {only.what}" if overdue else f"Due {_day(only.due, today)}: {only.what}"
            )
        else:
            parts = [f"{len(overdue)} overdue"] if overdue else []
            parts += [f"{len(soon)} due soon"] if soon else []
            subject = f"{len(mine)} things you owe: {' and '.join(parts)}"
        return _email(
            person,
            subject,
            "rhythm/email/reminder",
            {"overdue": overdue, "soon": soon, "count": len(mine)},
        )

    return _claim_and_send(records, message)


def send_digest(person: User, digest: Digest, week: date, *, today: date) -> bool | None:
    """The week's digest, unless another sender sent it. As ``send_reminder``."""
    record = SentMessage(person=person, kind=Kind.DIGEST, week=week, what="Weekly digest")

    def message(claimed: list[SentMessage]) -> EmailMultiAlternatives:
        late = [_line(item, today) for item in digest.late]
        coming = [_line(item, today) for item in digest.coming]
        parts = [f"{len(late)} late"] if late else []
        parts += [f"{len(coming)} due in the next fortnight"] if coming else []
        return _email(
            person,
            f"Your week from {week:%-d %B}: {' and '.join(parts)}",
            "rhythm/email/digest",
            {
                "late": late,
                "coming": coming,
                "today": today,
                "until": today + FORTNIGHT,
                "wants_reminders": _wants_reminders(person),
            },
        )

    return _claim_and_send([record], message)


def _claim_and_send(
    records: list[SentMessage],
    message: Callable[[list[SentMessage]], EmailMultiAlternatives],
) -> bool | None:
    """Record each message (skipping any another sender recorded first) and send one email for
    those claimed, in one transaction: a failed send leaves no record behind."""
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = []
            for record in records:
                record.sent_at = now
                try:
                    with transaction.atomic():
                        record.save()
                except IntegrityError:
                    continue  # sent already, by this run's twin or an earlier one
                claimed.append(record)
            if not claimed:
                return False
            message(claimed).send()
    except Exception:
        logger.exception("Could not send %s to person %s", records[0].kind, records[0].person_id)
        return None
    return True


def absolute(url: str) -> str:
    """A link that works from an email: the site's address before a path."""
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def _day(due: date, today: date) -> str:
    if due == today:
        return "today"
    if due == today + timedelta(days=1):
        return "tomorrow"
    return f"{due:%A %-d %B}"


def _line(item: Owed, today: date) -> dict:
    late = item.working_days_late(today) if item.is_overdue(today) else 0
    return {
        "what": item.what,
        "kind": item.kind,
        "due": item.due,
        "when": _day(item.due, today),
        "late": late,
        "url": absolute(item.url),
        "priority": item.priority.title if item.priority is not None else "",
        "service": item.service,
    }


def _email(person: User, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    context = context | {
        "person": person,
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "home_url": absolute(reverse("home")),
        "settings_url": absolute(reverse("rhythm:reminder_settings")),
    }
    email = EmailMultiAlternatives(
        # A header is one line, whatever a title holds.
        subject=" ".join(f"{subject} ({settings.COUNCIL_NAME})".split()),
        body=render_to_string(f"{template}.txt", context),
        to=[person.email],
        # RFC 3834: no out-of-office replies to a machine.
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return email
