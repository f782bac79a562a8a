"""The demo council's stocktake packs, read back from their PDFs as paper.

No page is nearly empty (a heading alone, the questions alone, "No open actions" alone), each
agenda priority starts a page, the delivery report takes one landscape page, and a PDF/UA checker
finds nothing, not even a warning.
"""

import io

import pytest
from django.core.management import call_command
from pdfua import validate
from pypdf import PdfReader

from delivery_unit.pdf import render_pdf
from stocktakes.models import Stocktake
from stocktakes.packs import render_pack_html

# The fewest words a page of the pack may carry, besides its marking and footer: a page of one
# small table (three milestones) has about sixty, a heading and a sentence about fifteen. The
# cover and the contents are pages of their own by design.
MIN_WORDS = 60
OWN_PAGES = 2


def body(page) -> str:
    return " ".join(page.extract_text().replace("OFFICIAL-SENSITIVE", "").split())


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", not_production=True)


def test_demo_packs_have_no_near_empty_page_and_each_priority_starts_one(demo):
    for stocktake in Stocktake.objects.order_by("date"):
        pdf = render_pdf(render_pack_html(stocktake))
        reader = PdfReader(io.BytesIO(pdf))
        pages = [body(page) for page in reader.pages]
        for number, text in enumerate(pages[OWN_PAGES:], start=OWN_PAGES + 1):
            words = len(text.split())
            assert words >= MIN_WORDS, f"{stocktake}: page {number} holds {words} words: {text}"
        items = list(stocktake.ordered_agenda())
        for number, item in enumerate(items, start=1):
            heading = f"{number}. {item.title}"
            starts = [n for n, text in enumerate(pages, start=1) if text.startswith(heading)]
            assert len(starts) == 1, f"{heading} starts no page of its own"
        landscape = [
            n
            for n, page in enumerate(reader.pages, start=1)
            if float(page.mediabox.width) > float(page.mediabox.height)
        ]
        assert len(landscape) == 1, "the delivery report is one landscape page"
        assert pages[landscape[0] - 1].startswith("Delivery report")
        report = validate(io.BytesIO(pdf))
        assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
