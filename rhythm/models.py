"""What the reminders remember: each person's choice of email, and every message sent, so that
nobody hears the same thing twice however often (or from however many places at once) the
sender runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReminderChoice(models.TextChoices):
    DIGEST_AND_REMINDERS = "digest_and_reminders", "The weekly digest and reminders"
    DIGEST_ONLY = "digest_only", "The weekly digest only"


class ReminderPreference(models.Model):
    """A person's choice of email. Someone without one gets the default: digest and reminders."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    choice = models.CharField(
        max_length=24, choices=ReminderChoice.choices, default=ReminderChoice.DIGEST_AND_REMINDERS
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__in=ReminderChoice.values), name="reminder_choice_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class SentMessage(models.Model):
    """One message sent to one person: a reminder about one thing they owe (by the key the owing
    list gives it and the date it was due, so a moved date is a new reminder), or the weekly
    digest (by its week). The unique constraints are what stop a second sender: its insert waits
    for the first's transaction and then fails, and it sends nothing."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", "Reminder before it is due"
        OVERDUE = "overdue", "Reminder that it is overdue"
        DIGEST = "digest", "Weekly digest"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_messages"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # A reminder's thing: the Owed key and its due date. Blank and null for a digest.
    key = models.CharField(max_length=200, blank=True)
    due = models.DateField(null=True, blank=True)
    # A digest's week: the date of the digest day that week. Null for a reminder.
    week = models.DateField(null=True, blank=True)
    what = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "key", "due"],
                condition=~Q(kind="digest"),
                name="reminder_sent_once",
            ),
            models.UniqueConstraint(
                fields=["person", "week"],
                condition=Q(kind="digest"),
                name="digest_sent_once_a_week",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="digest", week__isnull=False, key="", due__isnull=True)
                    | (
                        Q(kind__in=["before_due", "overdue"], week__isnull=True, due__isnull=False)
                        & ~Q(key="")
                    )
                ),
                name="sent_message_shape",
            ),
        ]
        indexes = [models.Index(fields=["person", "-sent_at"], name="sent_message_latest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.person}, {self.sent_at:%Y-%m-%d}"
