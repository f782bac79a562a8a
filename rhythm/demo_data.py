"""The demo council's last month of reminders: for each working day of the month before today,
what ``send_reminders`` would have sent that day, recorded as sent at eight in the morning. No
email goes; each person's settings page lists what they were sent. Idempotent: what is recorded
already is left as it is (the same unique constraints that stop a second sender)."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from delivery_unit import workdays
from delivery_unit.models import User
from rhythm import owing
from rhythm.models import ReminderChoice, ReminderPreference, SentMessage
from rhythm.reminders import Kind, digest_of, digest_week, reminders_due

DAYS = 30


def build(users: dict[str, User], *, today: date | None = None) -> int:
    """Record the month's reminders and digests; returns how many were new. The demo's
    service manager has chosen the digest only."""
    today = today or timezone.localdate()
    ReminderPreference.objects.update_or_create(
        person=users["officer"], defaults={"choice": ReminderChoice.DIGEST_ONLY}
    )
    digest_only = set(
        ReminderPreference.objects.filter(choice=ReminderChoice.DIGEST_ONLY).values_list(
            "person", flat=True
        )
    )
    sent: dict[int, set[tuple[str, str, date]]] = {}
    for person_id, kind, key, on in SentMessage.objects.exclude(kind=Kind.DIGEST).values_list(
        "person", "kind", "key", "due"
    ):
        if on is not None:  # always, for a reminder
            sent.setdefault(person_id, set()).add((kind, key, on))
    records = []
    day = today - timedelta(days=DAYS)
    while day < today:
        day += timedelta(days=1)
        if not workdays.is_working_day(day):
            continue
        at = timezone.make_aware(datetime.combine(day, time(8)))
        week = digest_week(day, settings.REMINDER_DIGEST_WEEKDAY)
        by_person: dict[User, list[owing.Owed]] = {}
        for item in owing.owed_by_everyone(today=day):
            if item.person.is_active and item.person.email:
                by_person.setdefault(item.person, []).append(item)
        for person, items in by_person.items():
            if person.pk not in digest_only:
                mine = sent.setdefault(person.pk, set())
                due = reminders_due(
                    items, today=day, days_before=settings.REMINDER_WORKING_DAYS_BEFORE, sent=mine
                )
                for reminder in due:
                    mine.add((reminder.kind, reminder.owed.key, reminder.owed.due))
                    records.append(
                        SentMessage(
                            person=person,
                            kind=reminder.kind,
                            key=reminder.owed.key,
                            due=reminder.owed.due,
                            what=reminder.owed.what[:300],
                            sent_at=at,
                        )
                    )
            if week is not None and digest_of(items, today=day):
                records.append(
                    SentMessage(
                        person=person, kind=Kind.DIGEST, week=week, what="Weekly digest", sent_at=at
                    )
                )
    before = SentMessage.objects.count()
    SentMessage.objects.bulk_create(records, ignore_conflicts=True)
    return SentMessage.objects.count() - before
