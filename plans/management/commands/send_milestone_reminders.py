"""Email each milestone's owner a week before it is due. Run it once a day (cron, a systemd
timer): it reminds about milestones due exactly seven days from the day it runs, so running it
daily reminds each owner once."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from plans import notifications
from plans.models import Milestone

DAYS_AHEAD = 7


class Command(BaseCommand):
    help = "Email the owners of milestones due in a week (run once a day)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date",
            dest="as_of",
            help="Run as if today were this date (YYYY-MM-DD), to catch up a missed day.",
        )

    def handle(self, *args, as_of: str | None = None, **options) -> None:
        today = self._today(as_of)
        due = today + timedelta(days=DAYS_AHEAD)
        milestones = (
            Milestone.objects.current()
            .not_done()
            .filter(due=due, owner__isnull=False)
            .select_related("owner", "plan_version__plan__priority")
            .order_by("pk")
        )
        sent = 0
        with transaction.atomic():
            for milestone in milestones:
                if milestone.owner.email:
                    notifications.milestone_reminder(milestone)
                    sent += 1
        self.stdout.write(f"{sent} reminder{'s' if sent != 1 else ''} sent for {due:%Y-%m-%d}.")

    def _today(self, text: str | None):
        if text is None:
            return timezone.localdate()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--date {text!r} is not a date: write it as YYYY-MM-DD.") from None
