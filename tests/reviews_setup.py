"""Priority reviews for tests: a review of the `priority` fixture commissioned by `leadership`
and led by `unit_staff`, moved to whichever phase a test needs. Import the fixtures by name."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.models import (
    Evidence,
    FieldworkEntry,
    Finding,
    Phase,
    Recommendation,
    Review,
    TeamMember,
)
from reviews.report import issue_report

START = date(2026, 9, 1)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def commission(
    priority, *, commissioner, lead, title="Why families stay in bed and breakfast"
) -> Review:
    return Review.commission(
        by=lead,
        planned={
            Phase.SCOPING: (START, START + timedelta(days=13)),
            Phase.FIELDWORK: (START + timedelta(days=14), START + timedelta(days=34)),
            Phase.ANALYSIS: (START + timedelta(days=35), START + timedelta(days=41)),
            Phase.REPORTING: (START + timedelta(days=42), START + timedelta(days=48)),
        },
        priority=priority,
        title=title,
        reason="Rated Red twice.",
        commissioned_by=commissioner,
        lead=lead,
    )


def write_terms(review: Review, by) -> None:
    review.edit_terms(
        scope="From first contact to settled accommodation.",
        questions="Why do families stay in bed and breakfast?\nIs prevention early enough?",
        out_of_scope="Allocations policy.",
        hypotheses=["Prevention starts too late.", "Supply is the constraint."],
        by=by,
        version=review.version,
    )


def fill(review: Review, by, owner) -> tuple[Finding, Recommendation]:
    """A fieldwork entry, a piece of evidence, a finding and a recommendation."""
    entry = FieldworkEntry.objects.create(
        review=review,
        kind="interview",
        who_or_where="Housing options manager",
        chain_link="Frontline",
        date=START + timedelta(days=15),
        notes="Mrs A at 12 High Street said she was never offered help.",
        recorded_by=by,
    )
    entry.present.set(review.team.all())
    evidence = Evidence(
        review=review,
        title="Placements by week",
        content_type="application/pdf",
        extension="pdf",
        size=len(PDF_BYTES),
        uploaded_by=by,
    )
    evidence.file.save("x", SimpleUploadedFile("x.pdf", PDF_BYTES), save=False)
    evidence.save()
    finding = Finding.objects.create(
        review=review,
        title="Prevention starts too late",
        kind=Finding.Kind.DOES_NOT_WORK,
        text="Officers spend afternoons on same-day placements.",
        severity=Finding.Severity.HIGH,
    )
    finding.evidence.set([evidence])
    finding.tests.create(hypothesis=review.hypotheses.order_by("pk").first(), bearing="supports")
    recommendation = Recommendation.objects.create(
        review=review,
        text="Protect mornings for prevention work with a duty rota.",
        owner=owner,
        due_date=START + timedelta(days=120),
        importance=Recommendation.Importance.HIGH,
    )
    recommendation.findings.set([finding])
    return finding, recommendation


def move(review: Review, status: str, by, commissioner) -> Review:
    """Move a new review along to ``status`` (issuing the report for follow-up)."""
    order = [s.value for s in Review.Status]
    if order.index(status) >= 1 and not review.terms_signed_off:
        if not review.scope:
            write_terms(review, by)
        review.sign_off_terms(by=commissioner)
    while review.status != status:
        if review.status == Review.Status.REPORTING:
            issue_report(review, by=by)
        else:
            review.advance(by=by)
        review.refresh_from_db()
    return review


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def review(priority, leadership, unit_staff, media_root) -> Review:
    """In scoping, terms drafted (not signed off)."""
    review = commission(priority, commissioner=leadership, lead=unit_staff)
    write_terms(review, unit_staff)
    review.refresh_from_db()
    return review


@pytest.fixture
def service_member(db):
    """Someone from the service on the review team (a user with the priority lead role)."""
    from tests.conftest import make_user

    return make_user("officer", "priority_lead", job_title="Temporary Accommodation Manager")


@pytest.fixture
def filled_review(review, unit_staff, leadership, priority_lead, service_member) -> Review:
    """In analysis, with the service member on the team, fieldwork, evidence, a finding and a
    recommendation owned by the priority's lead."""
    TeamMember.objects.create(review=review, user=service_member, role="From the service")
    move(review, Review.Status.ANALYSIS, unit_staff, leadership)
    fill(review, unit_staff, priority_lead)
    return review


@pytest.fixture
def reported_review(filled_review, unit_staff, leadership) -> Review:
    """Report issued (version 1): in follow-up."""
    return move(filled_review, Review.Status.FOLLOW_UP, unit_staff, leadership)
