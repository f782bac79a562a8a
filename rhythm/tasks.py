"""Reminders through the task worker: ``send_reminders --queue`` (from cron or a systemd timer)
puts this on the queue and ``python manage.py db_worker`` sends, so that a slow mail server
holds up the worker, not the timer."""

from datetime import date

from django.tasks import task

from rhythm.reminders import send_reminders


@task()
def send_reminders_task(as_of: str | None = None) -> dict[str, int]:
    """Send today's reminders and digests (or ``as_of``'s, an ISO date, to catch up a missed
    day); the counts are the task's result."""
    outcome = send_reminders(today=date.fromisoformat(as_of) if as_of else None)
    return {
        "reminders": outcome.reminders,
        "digests": outcome.digests,
        "failed": outcome.failed,
    }
