"""The monthly note to the Chief Executive and the Leader: one a month, drafted by the unit from
the month's changes (``notes.proposal``), edited in Markdown, then issued as a kept record
(``delivery_unit.documents``) and emailed to leadership.

A note is a draft until it is issued. Once issued its text is a record: to correct it the unit
reopens it (it is a draft again, the issued versions stay as they went out) and issues it again,
with a reason, as the next numbered version."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from delivery_unit.documents import IssuedDocument, reissue_needs_reason
from delivery_unit.versioning import Versioned, versioned_edit
from delivery_unit.workflow import TransitionRefused


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class MonthlyNote(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    month = models.DateField(unique=True, help_text="The first day of the month it covers.")
    body = models.TextField(help_text="Markdown: proposed from the month's changes, then edited.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(month__day=1), name="monthly_note_month_is_first_day"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "issued"]), name="monthly_note_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Monthly note: {self.month:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("notes:detail", kwargs=self.url_kwargs)

    @property
    def url_kwargs(self) -> dict[str, int]:
        return {"year": self.month.year, "month": self.month.month}

    @property
    def title(self) -> str:
        return f"{self.month:%B %Y}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def edit(self, *, body: str, by, version: int) -> None:
        """Save the unit's text, refused (``Stale``) if someone saved it since ``version``."""
        with versioned_edit(self, version) as current:
            if current.status != self.Status.DRAFT:
                raise TransitionRefused("The note has been issued; reopen it to correct it.")
            self.body = body
            self.updated_by = by
            self.updated_at = timezone.now()
            self._history_user = by
            self.save(update_fields=["body", "updated_by", "updated_at", "version"])

    def reopen(self, *, by) -> None:
        """Issued to draft, to correct it: the issued versions stay as they went out."""
        if self.status != self.Status.ISSUED:
            raise TransitionRefused("Only an issued note is reopened.")
        self.status = self.Status.DRAFT
        self.version += 1
        self.updated_by = by
        self.updated_at = timezone.now()
        self._history_user = by
        self.save(update_fields=["status", "version", "updated_by", "updated_at"])


class IssuedNote(IssuedDocument):
    """One issued version of a monthly note: the exact PDF and HTML that went to leadership."""

    note = models.ForeignKey(MonthlyNote, on_delete=models.PROTECT, related_name="issued")
    sent_to = models.TextField(blank=True, help_text="The email addresses it was sent to.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="issued_note_number_unique"),
            reissue_needs_reason("issued_note_reissue_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.note}: version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("notes:issued_html", kwargs=self.note.url_kwargs | {"number": self.number})

    @property
    def pdf_url(self) -> str:
        return reverse("notes:issued_pdf", kwargs=self.note.url_kwargs | {"number": self.number})

    @property
    def filename(self) -> str:
        return f"monthly-note-{self.note.month:%Y-%m}-v{self.number}.pdf"
