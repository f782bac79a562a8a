"""The review's report: gathered from the review's findings and recommendations, previewed as
HTML, and issued as a tagged PDF kept as a record (``delivery_unit.documents``)."""

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from delivery_unit.documents import issue_now
from delivery_unit.pdf import render_pdf
from delivery_unit.workflow import TransitionRefused
from reviews.models import Finding, HypothesisTest, IssuedReport, Review


def gather(review: Review) -> dict:
    """Everything the report shows, in a fixed number of queries."""
    findings = list(
        review.findings.prefetch_related(
            "evidence",
            Prefetch("tests", queryset=HypothesisTest.objects.select_related("hypothesis")),
        ).order_by("pk")
    )
    numbers = {finding.pk: number for number, finding in enumerate(findings, start=1)}
    recommendations = list(
        review.recommendations.select_related("owner")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("pk")))
        .order_by("pk")
    )
    for finding in findings:
        finding.number = numbers[finding.pk]
    for number, recommendation in enumerate(recommendations, start=1):
        recommendation.number = number
        recommendation.finding_numbers = [numbers[f.pk] for f in recommendation.findings.all()]
    return {
        "review": review,
        "team": list(review.team.select_related("user").order_by("pk")),
        "hypotheses": list(review.hypotheses.order_by("pk")),
        "findings": findings,
        "works": [f for f in findings if f.kind == Finding.Kind.WORKS],
        "does_not_work": [f for f in findings if f.kind == Finding.Kind.DOES_NOT_WORK],
        "recommendations": recommendations,
        "fieldwork_count": review.fieldwork.count(),
        "evidence_count": review.evidence.count(),
        "marking": settings.PACK_MARKING,
        "council_name": settings.COUNCIL_NAME,
        "generated_at": timezone.now(),
    }


def render_report_html(review: Review, *, version: int | None = None) -> str:
    context = gather(review) | {"version": version}
    return render_to_string("reviews/report_document.html", context)


def render_report_pdf(review: Review) -> bytes:
    return render_pdf(render_report_html(review))


def issue_report(review: Review, *, by, reason: str = "") -> IssuedReport:
    """Issue the next version of the report as a kept record. The first issue ends the reporting
    phase: the review moves to follow-up, planned about six months on."""
    if review.status not in {Review.Status.REPORTING, Review.Status.FOLLOW_UP}:
        raise TransitionRefused("The report is issued in the reporting phase, or reissued later.")
    with transaction.atomic():
        report = issue_now(
            review,
            review.reports,
            lambda number: render_report_html(review, version=number),
            by=by,
            reason=reason,
        )
        if review.status == Review.Status.REPORTING:
            review.schedule_follow_up(issued_on=timezone.localdate())
            review.advance(by=by)
    return report
