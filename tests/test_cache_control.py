"""What a signed-in person sees is never kept by a browser or a proxy: `Cache-Control: no-store`
on every authenticated response, documents included."""

import pytest
from django.urls import reverse

from reviews.report import issue_report
from tests.reviews_setup import move
from tests.test_stocktakes import issue


def assert_not_stored(response) -> None:
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_home_is_not_stored(client_for, unit_staff):
    assert_not_stored(client_for(unit_staff).get(reverse("home")))


def test_an_issued_pack_is_not_stored(client_for, unit_staff, leadership, stocktake):
    issue(stocktake, unit_staff)
    response = client_for(leadership).get(reverse("stocktakes:pack", args=[stocktake.pk]))
    assert response.content.startswith(b"%PDF-")
    assert_not_stored(response)


def test_a_plan_pdf_is_not_stored(client_for, priority, leadership):
    url = reverse("plans:pdf", kwargs={"slug": priority.slug, "number": 1})
    assert_not_stored(client_for(leadership).get(url))


def test_a_review_report_is_not_stored(client_for, filled_review, unit_staff, leadership):
    review = move(filled_review, "reporting", unit_staff, leadership)
    issued = issue_report(review, by=unit_staff)
    assert_not_stored(client_for(leadership).get(issued.get_absolute_url()))
    draft = reverse("reviews:report_pdf", kwargs={"pk": review.pk})
    assert_not_stored(client_for(unit_staff).get(draft))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_are_not_stored(client_for, unit_staff, priority, file_format):
    one = reverse("priorities:export_data", kwargs={"slug": priority.slug})
    every = reverse("priorities:export_all_data")
    client = client_for(unit_staff)
    assert_not_stored(client.get(f"{one}?format={file_format}"))
    assert_not_stored(client.get(f"{every}?format={file_format}"))
