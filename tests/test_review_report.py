"""The review's report: previewed as HTML, laid out as a tagged PDF with the findings and
recommendations in it, and issued as a record that later edits do not change."""

import io

import pikepdf
import pytest
from django.urls import reverse
from pdfua import Severity, validate
from pypdf import PdfReader

from reviews.models import IssuedReport, Review
from reviews.report import issue_report, render_report_pdf
from tests.reviews_setup import move


def _text(pdf: bytes) -> str:
    """The PDF's words, with line breaks made spaces."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_report_pdf_has_the_findings_and_recommendations(filled_review):
    text = _text(render_report_pdf(filled_review))
    assert "Why families stay in bed and breakfast" in text
    assert "Finding 1: Prevention starts too late" in text
    assert "Officers spend afternoons on same-day placements." in text
    assert "Supports the hypothesis: Prevention starts too late." in text
    assert "Recommendation 1" in text
    assert "Protect mornings for prevention work with a duty rota." in text
    assert "Draft, not issued" in text
    # Fieldwork notes stay out of the report: it goes to leadership.
    assert "Mrs A" not in text


def test_the_report_pdf_is_tagged_and_passes_the_pdfua_checks(filled_review):
    pdf = render_report_pdf(filled_review)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert document.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in document.Root
        assert str(document.Root.Lang) == "en-GB"
        assert str(document.docinfo["/Title"]).startswith("Priority review: Why families")
    errors = [f for f in validate(io.BytesIO(pdf)).findings if f.severity == Severity.ERROR]
    assert errors == [], [f"{f.rule_id}: {f.message}" for f in errors]


def test_the_preview_shows_the_report_in_the_browser(client_for, filled_review, unit_staff):
    response = client_for(unit_staff).get(
        reverse("reviews:report", kwargs={"pk": filled_review.pk})
    )
    assert response.status_code == 200
    assert b"Prevention starts too late" in response.content
    assert b"Protect mornings for prevention work" in response.content
    draft = client_for(unit_staff).get(
        reverse("reviews:report_pdf", kwargs={"pk": filled_review.pk})
    )
    assert draft["Content-Type"] == "application/pdf"
    assert draft.content.startswith(b"%PDF-")


def test_an_issued_report_is_byte_identical_after_later_edits(
    client_for, reported_review, unit_staff, leadership
):
    issued = reported_review.reports.get()
    url = issued.get_absolute_url()
    first = client_for(leadership).get(url)
    assert first.status_code == 200
    assert first["Content-Disposition"] == (
        f'attachment; filename="review-{reported_review.pk}-report-v1.pdf"'
    )
    text = _text(first.content)
    assert "Version 1, issued" in text
    assert "Prevention starts too late" in text

    finding = reported_review.findings.get()
    finding.title = "Something else entirely"
    finding.save()
    recommendation = reported_review.recommendations.get()
    recommendation.edit(
        {"text": "A different recommendation."}, findings=[finding], by=unit_staff, version=1
    )

    again = client_for(leadership).get(url)
    assert again.content == first.content == bytes(issued.pdf)
    assert "Something else entirely" in _text(render_report_pdf(reported_review))


def test_a_reissue_is_a_new_numbered_version_with_its_reason(
    client_for, reported_review, unit_staff
):
    url = reverse("reviews:issue", kwargs={"pk": reported_review.pk})
    refused = client_for(unit_staff).post(url, {"reason": ""})
    assert refused.status_code == 422
    assert b"Enter why the report is issued again" in refused.content
    assert reported_review.reports.count() == 1
    response = client_for(unit_staff).post(url, {"reason": "Owner of recommendation 1 changed."})
    assert response.status_code == 302
    versions = list(reported_review.reports.order_by("number").values_list("number", "reason"))
    assert versions == [(1, ""), (2, "Owner of recommendation 1 changed.")]
    assert "Version 2, issued" in _text(bytes(reported_review.reports.get(number=2).pdf))
    reported_review.refresh_from_db()
    assert reported_review.status == Review.Status.FOLLOW_UP


def test_issuing_through_the_page_moves_the_review_to_follow_up(
    client_for, filled_review, unit_staff, leadership
):
    review = move(filled_review, Review.Status.REPORTING, unit_staff, leadership)
    url = reverse("reviews:issue", kwargs={"pk": review.pk})
    assert client_for(leadership).post(url).status_code == 404
    assert client_for(unit_staff).post(url).status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.FOLLOW_UP
    assert IssuedReport.objects.get().issued_by == unit_staff


def test_a_reissue_needs_a_reason_in_the_database_too(reported_review, unit_staff):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedReport.objects.create(
            review=reported_review,
            number=2,
            pdf=b"%PDF",
            html=b"",
            page_count=1,
            issued_by=unit_staff,
            issued_at=reported_review.created_at,
        )


def test_the_report_is_issued_only_from_reporting(filled_review, unit_staff):
    from delivery_unit.workflow import TransitionRefused

    with pytest.raises(TransitionRefused):
        issue_report(filled_review, by=unit_staff)


def test_reports_and_packs_are_kept_by_the_same_machinery(reported_review, unit_staff):
    from delivery_unit.documents import IssuedDocument, IssuedMeanwhile, keep_issued
    from stocktakes.models import IssuedPack

    assert issubclass(IssuedReport, IssuedDocument)
    assert issubclass(IssuedPack, IssuedDocument)
    # Laid out as version 1 while version 1 went out: refused, not kept with the wrong number.
    with pytest.raises(IssuedMeanwhile):
        keep_issued(
            reported_review,
            reported_review.reports,
            pdf=b"%PDF",
            html=b"<html>",
            pages=1,
            by=unit_staff,
            reason="Again.",
            number=1,
        )
    assert reported_review.reports.count() == 1


def test_issuing_asks_once_and_says_what_the_report_holds(client_for, filled_review, unit_staff):
    url = reverse("reviews:issue", args=[filled_review.pk])

    page = client_for(unit_staff).get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "kept exactly as it went out" in html
    assert f"It holds {filled_review.findings.count()} finding" in html
    assert f'action="{url}"' in html
    assert not filled_review.reports.exists(), "Opening the question changes nothing"
