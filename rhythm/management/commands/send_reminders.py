"""Send the reminders and weekly digests due today. Safe to run every hour, and from two places
at once: what was sent is recorded, and nothing is sent twice (see rhythm/reminders.py and
docs/reminders.md)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from rhythm.reminders import send_reminders
from rhythm.tasks import send_reminders_task


class Command(BaseCommand):
    help = "Email reminders and weekly digests of what people owe (safe to run every hour)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date",
            dest="as_of",
            help="Run as if today were this date (YYYY-MM-DD), to catch up a missed day.",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Put the sending on the task worker's queue (python manage.py db_worker) "
            "instead of sending here.",
        )

    def handle(self, *args, as_of: str | None = None, queue: bool = False, **options) -> None:
        today = self._day(as_of)
        if queue:
            result = send_reminders_task.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"Queued for the task worker: {result.id}")
            return
        outcome = send_reminders(today=today)
        self.stdout.write(str(outcome))
        if outcome.failed:
            raise CommandError(f"{outcome.failed} email(s) could not be sent; see the log.")

    def _day(self, text: str | None) -> date | None:
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--date {text!r} is not a date: write it as YYYY-MM-DD.") from None
