"""Unit staff plan a stocktake; leadership and unit staff download its pack as a tagged PDF."""

import io

import pikepdf
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from pdfua import Severity, validate
from pypdf import PdfReader

from delivery_unit.models import Role, User
from priorities.models import Priority
from stocktakes.models import AgendaItem, Stocktake


def create_data(chosen, **overrides) -> dict:
    data = {
        "title": "Children's stocktake",
        "date_0": "14",
        "date_1": "1",
        "date_2": "2027",
        "priorities": [p.pk for p in chosen],
    }
    return data | overrides


def test_unit_staff_creates_stocktake_with_agenda(client_for, unit_staff, priority, other_priority):
    response = client_for(unit_staff).post(
        reverse("stocktakes:create"), create_data([priority, other_priority])
    )
    stocktake = Stocktake.objects.get()
    assert response.status_code == 302
    assert response["Location"] == stocktake.get_absolute_url()
    assert str(stocktake.date) == "2027-01-14"
    assert list(stocktake.agenda.order_by("position").values_list("priority__slug", flat=True)) == [
        "council-tax-collection",
        "temporary-accommodation",
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title for the stocktake"),
        ({"date_0": "", "date_1": "", "date_2": ""}, "Enter the date of the meeting"),
        ({"date_0": "31", "date_1": "2", "date_2": "2027"}, "day is out of range for month"),
        ({"priorities": []}, "Select at least one priority for the agenda"),
        ({"priorities": ["999999"]}, "Select priorities from the list"),
        ({"priorities": ["abc"]}, "Select priorities from the list"),
    ],
    ids=["no title", "no date", "impossible date", "no priorities", "unknown", "not a number"],
)
def test_bad_stocktake_input_is_refused(client_for, unit_staff, priority, overrides, message):
    response = client_for(unit_staff).post(
        reverse("stocktakes:create"), create_data([priority], **overrides)
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not Stocktake.objects.exists()
    assert not AgendaItem.objects.exists()


def _download_pack(client, stocktake) -> bytes:
    response = client.get(reverse("stocktakes:pack", kwargs={"pk": stocktake.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="stocktake-pack-2026-12-10.pdf"'
    return response.content


@pytest.mark.parametrize("role", ["leadership", "unit_staff"])
def test_pack_pdf_holds_the_agenda_with_latest_ratings(request, client_for, stocktake, role):
    pdf = _download_pack(client_for(request.getfixturevalue(role)), stocktake)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2, "A cover and a one-page summary"
    # Words only: a table cell may wrap a title over two lines.
    cover, summary = (" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Housing stocktake" in cover
    assert "OFFICIAL-SENSITIVE" in cover
    assert "10 December 2026" in cover
    assert "Temporary Accommodation" in summary
    assert "Amber-red" in summary
    assert "Council tax collection" in summary
    assert "Not rated yet" in summary
    assert "Page 2 of 2" in summary
    # A4 in points.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_pack_pdf_is_tagged_with_title_and_language(client_for, leadership, stocktake):
    pdf = _download_pack(client_for(leadership), stocktake)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "en-GB"
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(document.docinfo["/Title"]).startswith("Stocktake pack: Housing stocktake")
        metadata = str(document.open_metadata())
        assert "pdfuaid" in metadata
    report = validate(io.BytesIO(pdf))
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    assert errors == [], [f"{f.rule_id}: {f.message}" for f in errors]


def test_pack_renderer_fetches_only_static_files():
    from weasyprint.urls import URLFetchingError

    from delivery_unit.pdf import PDF_BASE_URL, StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch(PDF_BASE_URL + "static/css/pack.css").read().startswith(b"/*")
    for url in [
        "file:///etc/passwd",
        "https://example.org/static/css/pack.css",
        PDF_BASE_URL + "static/../settings.py",
        PDF_BASE_URL + "media/secret.pdf",
        PDF_BASE_URL + "static/no-such-file.css",
    ]:
        with pytest.raises(URLFetchingError):
            fetcher.fetch(url)


def test_pack_escapes_what_users_typed(client_for, leadership, stocktake):
    Priority.objects.filter(slug="temporary-accommodation").update(
        title='<img src="file:///etc/passwd"> Housing'
    )
    pdf = _download_pack(client_for(leadership), stocktake)
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[1].extract_text().split())
    assert '<img src="file:///etc/passwd"> Housing' in text


class TestStocktakeFormFuzz(HypothesisTestCase):
    """Whatever arrives in the POST: a stocktake made whole, or a clear message and nothing."""

    @classmethod
    def setUpTestData(cls):
        cls.analyst = User.objects.create(username="fuzz-analyst", role=Role.UNIT_STAFF)
        cls.priority = Priority.objects.create(title="Fuzz", slug="fuzz", aspiration="Fuzz.")

    @settings(max_examples=60, deadline=None)
    @given(
        title=st.text(max_size=250),
        day=st.text(max_size=4),
        month=st.text(max_size=4),
        year=st.one_of(st.text(max_size=6), st.integers(-10, 99999).map(str)),
        priorities=st.lists(st.one_of(st.text(max_size=8), st.integers().map(str)), max_size=3),
    )
    def test_stocktake_post_never_errors(self, title, day, month, year, priorities):
        self.client.force_login(self.analyst)
        before = (Stocktake.objects.count(), AgendaItem.objects.count())
        response = self.client.post(
            reverse("stocktakes:create"),
            {
                "title": title,
                "date_0": day,
                "date_1": month,
                "date_2": year,
                "priorities": priorities,
            },
        )
        assert response.status_code in {302, 422}
        if response.status_code == 422:
            assert "There is a problem" in response.content.decode()
            assert (Stocktake.objects.count(), AgendaItem.objects.count()) == before
