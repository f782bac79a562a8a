"""Issued documents: the exact PDF and HTML that went out, kept as a record in numbered versions.

A stocktake's pack and a priority review's report are both issued this way: once issued, a
version is never changed; a reissue is a new version with the reason for it. Each app holds its
own concrete model (with the foreign key to what the document belongs to) built on
``IssuedDocument``, and keeps a version with ``keep_issued``.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from delivery_unit.pdf import render_pdf_with_pages
from delivery_unit.versioning import lock


class IssuedMeanwhile(Exception):
    """Another version was issued while this one was being laid out."""


class IssuedDocument(models.Model):
    """One issued version: the exact bytes that went out, who issued it, when and why."""

    number = models.PositiveIntegerField()
    pdf = models.BinaryField()
    html = models.BinaryField()
    page_count = models.PositiveIntegerField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    reason = models.TextField(blank=True, help_text="Why it was issued again.")

    class Meta:
        abstract = True

    @property
    def size(self) -> int:
        return len(self.pdf)


def reissue_needs_reason(name: str) -> models.CheckConstraint:
    """The first version goes out as planned; every later one says why."""
    return models.CheckConstraint(condition=Q(number=1) | ~Q(reason=""), name=name)


def next_number(documents) -> int:
    return (documents.aggregate(last=Max("number"))["last"] or 0) + 1


def keep_issued(
    owner: models.Model,
    documents,
    *,
    pdf: bytes,
    html: bytes,
    pages: int,
    by,
    reason: str = "",
    number: int | None = None,
):
    """Keep ``pdf`` and ``html`` as the next version of ``owner``'s ``documents`` (a related
    manager), with ``owner``'s row locked so that two issues at once get different numbers. If
    ``number`` is given (the version the document was laid out as) and another version was issued
    meanwhile, refuse with ``IssuedMeanwhile`` rather than keep a document with the wrong number
    printed on it."""
    with transaction.atomic():
        lock(owner)
        expected = next_number(documents)
        if number is not None and number != expected:
            raise IssuedMeanwhile
        return documents.create(
            number=expected,
            pdf=pdf,
            html=html,
            page_count=pages,
            issued_by=by,
            issued_at=timezone.now(),
            reason=reason,
        )


def issue_now(owner: models.Model, documents, render_html: Callable[[int], str], *, by, reason=""):
    """Lay out and keep the next version in one go, for a short document: ``render_html`` gets the
    version number to print on it."""
    number = next_number(documents)
    html = render_html(number)
    pdf, pages = render_pdf_with_pages(html)
    return keep_issued(
        owner,
        documents,
        pdf=pdf,
        html=html.encode(),
        pages=pages,
        by=by,
        reason=reason,
        number=number,
    )
