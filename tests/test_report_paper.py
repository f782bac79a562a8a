"""The delivery report on paper: read back from its PDF and looked at page by page.

Up to twelve priorities fit one landscape A4 page; a longer report breaks between priorities,
repeats the header row on every page and never leaves one priority alone on its last page.
"""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pdfua import validate
from pypdf import PdfReader

from priorities.models import Priority
from priorities.rounds.models import SelfAssessment
from priorities.rounds.report import delivery_report, render_report_pdf
from tests.conftest import make_round

# Long titles, as councils write them, so that rows wrap as they would in a real report.
TITLES = [
    "Temporary Accommodation",
    "Rough sleeping",
    "Council tax collection",
    "Children's social care re-referrals",
    "Young people in work or learning",
    "Affordable homes started on council land",
    "Household recycling and contamination",
    "Special educational needs and disabilities",
    "Adult social care hospital discharge",
    "Street cleanliness and fly-tipping",
    "Employment support for residents over fifty",
    "Private rented sector licensing",
    "Air quality around schools",
    "Library visits and digital inclusion",
    "Youth violence and knife crime",
    "Business rates collection",
    "Planning applications decided in time",
    "Repairs to council homes",
    "Missed bin collections",
    "Carbon emissions from council buildings",
]
LEVELS = ["red", "amber_red", "amber_green", "green"]


def council(count: int, by, lead) -> list[Priority]:
    """``count`` priorities rated in two agreed rounds, every rating moved between them (so every
    cell carries its change in words), each with the lead's self-assessment two steps away."""
    priorities = [
        Priority.objects.create(
            title=f"P{number:02d} {TITLES[number - 1]}",
            slug=f"p{number:02d}",
            aspiration="Better.",
            lead=lead,
        )
        for number in range(1, count + 1)
    ]
    make_round({p: LEVELS[n % 4] for n, p in enumerate(priorities)}, by=by, day=date(2026, 9, 1))
    latest = make_round(
        {p: LEVELS[(n + 1) % 4] for n, p in enumerate(priorities)},
        by=by,
        day=date(2026, 10, 1),
        status="moderation",
    )
    for n, entry in enumerate(latest.entries.order_by("priority__slug")):
        SelfAssessment.record(
            entry, level=LEVELS[(n + 3) % 4], rationale="Our view.", by=lead, version=0
        )
    latest.agree(by=by)
    return priorities


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def priorities_on(page: str) -> list[str]:
    return re.findall(r"\bP\d\d\b", page)


@pytest.mark.parametrize("count", [8, 12])
def test_the_report_fits_one_landscape_page(count, unit_leader, priority_lead):
    council(count, unit_leader, priority_lead)
    pdf = render_report_pdf(delivery_report())
    pages = pages_of(pdf)
    assert len(pages) == 1, f"{count} priorities took {len(pages)} pages"
    assert sorted(priorities_on(pages[0])) == [f"P{n:02d}" for n in range(1, count + 1)]
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595), "landscape A4"
    assert "Down from" in pages[0] and "Up from" in pages[0], "each change in words"
    assert "2 steps apart" in pages[0]


def test_a_longer_report_breaks_between_priorities_and_repeats_its_header(
    unit_leader, priority_lead
):
    # Fourteen rows fill the first page: the fifteenth would stand alone on the second, so the
    # fourteenth goes with it.
    council(15, unit_leader, priority_lead)
    pages = pages_of(render_report_pdf(delivery_report()))
    assert len(pages) >= 2
    seen = []
    for page in pages:
        assert "Priority Degree of challenge" in page and "Against trajectory" in page, (
            "the header row on every page"
        )
        on_page = priorities_on(page)
        assert len(on_page) >= 2, f"a page holding {len(on_page)} priority"
        seen += on_page
    assert sorted(seen) == [f"P{n:02d}" for n in range(1, 16)], "each row once, none split"


def test_the_report_pdf_passes_the_pdfua_checker_without_warnings(unit_leader, priority_lead):
    council(3, unit_leader, priority_lead)
    report = validate(io.BytesIO(render_report_pdf(delivery_report())))
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []


def test_everyone_signed_in_downloads_the_report_as_pdf(
    client_for, leadership, unit_leader, priority_lead
):
    council(2, unit_leader, priority_lead)
    response = client_for(leadership).get(reverse("assessment:report_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="delivery-report-2026-10-01.pdf"'
    )
    assert sorted(priorities_on(pages_of(response.content)[0])) == ["P01", "P02"]


def test_no_agreed_round_no_report_pdf(client_for, leadership):
    assert client_for(leadership).get(reverse("assessment:report_pdf")).status_code == 404
