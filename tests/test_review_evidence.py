"""Evidence uploads: a size limit, the type checked by content, a generated name in MEDIA_ROOT
(never the uploaded name, never under static files), and served only through the view that
checks access, as a download with a safe Content-Disposition."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import Evidence
from tests.reviews_setup import PDF_BYTES

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.sh", "echo hello")
    return buffer.getvalue()


def _upload(client, review, name: str, content: bytes, title: str = "Placements"):
    return client.post(
        reverse("reviews:evidence", kwargs={"pk": review.pk}),
        {
            "title": title,
            "description": "From the system.",
            "file": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("report.pdf", PDF_BYTES, "pdf", "application/pdf"),
        ("chart.png", PNG_BYTES, "png", "image/png"),
        (
            "figures.xlsx",
            _xlsx(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("weeks.csv", b"week,count\n2026-W01,41\n", "csv", "text/csv"),
        # The name says nothing: a PNG called .pdf is kept as the PNG it is.
        ("photo.pdf", PNG_BYTES, "png", "image/png"),
    ],
)
def test_allowed_files_are_kept_under_a_generated_name_with_their_checked_type(
    client_for, filled_review, unit_staff, media_root, name, content, extension, content_type
):
    before = Evidence.objects.count()
    response = _upload(client_for(unit_staff), filled_review, name, content)
    assert response.status_code == 302
    assert Evidence.objects.count() == before + 1
    item = Evidence.objects.latest("pk")
    assert (item.extension, item.content_type, item.size) == (extension, content_type, len(content))
    stored = media_root / item.file.name
    assert stored.read_bytes() == content
    assert name.rsplit(".", 1)[0] not in item.file.name
    assert item.file.name.startswith("evidence/") and item.file.name.endswith(f".{extension}")
    # Outside the static files.
    from django.conf import settings

    assert not str(stored.resolve()).startswith(str(settings.BASE_DIR / "static"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("notes.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
        ("data.csv", b"week,count\n\x00\x01\x02binary"),
        ("archive.zip", _zip()),
        ("picture.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("macro.exe", b"MZ\x90\x00" + b"\x00" * 60),
        ("empty.pdf", b""),
    ],
)
def test_files_of_other_types_are_refused_by_their_content(
    client_for, filled_review, unit_staff, media_root, name, content
):
    before = Evidence.objects.count()
    files = sorted((media_root / "evidence").iterdir())
    response = _upload(client_for(unit_staff), filled_review, name, content)
    assert response.status_code == 422
    body = response.content.decode()
    assert "The selected file must be a PDF" in body or "The selected file is empty" in body
    assert Evidence.objects.count() == before
    assert sorted((media_root / "evidence").iterdir()) == files


def test_a_file_over_the_size_limit_is_refused(
    client_for, filled_review, unit_staff, settings, media_root
):
    settings.EVIDENCE_MAX_MB = 1
    before = Evidence.objects.count()
    big = PDF_BYTES + b"0" * (1024 * 1024)
    response = _upload(client_for(unit_staff), filled_review, "big.pdf", big)
    assert response.status_code == 422
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    assert Evidence.objects.count() == before


@pytest.fixture
def counted_uploads(settings):
    """Counts the bytes of an upload that get past the size limit to Django's own handlers."""
    from tests import upload_probe

    upload_probe.RECEIVED.clear()
    # First of Django's handlers, so straight after the size limit the view puts before them.
    settings.FILE_UPLOAD_HANDLERS = [
        "tests.upload_probe.CountingUpload",
        *settings.FILE_UPLOAD_HANDLERS,
    ]
    return upload_probe.RECEIVED


def test_a_file_over_the_limit_is_counted_not_kept(
    client_for, filled_review, unit_staff, settings, media_root, counted_uploads
):
    settings.EVIDENCE_MAX_MB = 1
    # 3 MB: over the file's limit but within the body's (the file's 1 MB plus REQUEST_MAX_MB),
    # so the body is read and the form says why; a larger body is refused unread (413).
    big = PDF_BYTES + b"0" * (3 * 1024 * 1024)
    response = _upload(client_for(unit_staff), filled_review, "big.pdf", big)
    assert response.status_code == 422
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    # Past the limit the chunks go no further: no more than the limit (of the 3 MB sent) ever
    # reached memory or a temporary file.
    assert 1024 * 1024 - 64 * 1024 < sum(counted_uploads) <= 1024 * 1024
    counted = sum(counted_uploads)
    huge = PDF_BYTES + b"0" * (5 * 1024 * 1024)
    assert _upload(client_for(unit_staff), filled_review, "big.pdf", huge).status_code == 413
    assert sum(counted_uploads) == counted, "No byte of the refused body was parsed"


def test_an_outsider_posting_a_file_gets_404_before_the_body_is_read(
    filled_review, leadership, other_lead, counted_uploads
):
    from django.test import Client

    for outsider in (leadership, other_lead):
        # With CSRF enforced, as in production: the CSRF check must not parse the body first.
        client = Client(enforce_csrf_checks=True)
        client.force_login(outsider)
        response = _upload(client, filled_review, "big.pdf", PDF_BYTES * 1000)
        assert response.status_code == 404
    assert counted_uploads == [], "No byte of the file was parsed for someone outside the review"


def test_evidence_is_downloaded_only_through_the_checking_view(
    client_for, filled_review, unit_staff, service_member, leadership, other_lead, priority_lead
):
    item = filled_review.evidence.get()
    url = item.get_absolute_url()
    for outsider in (leadership, other_lead, priority_lead):
        assert client_for(outsider).get(url).status_code == 404
    for insider in (unit_staff, service_member):
        response = client_for(insider).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="placements-by-week.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
    # Nothing else serves the stored file: there is no media URL.
    assert client_for(unit_staff).get(f"/media/{item.file.name}").status_code == 404
    assert client_for(unit_staff).get(f"/{item.file.name}").status_code == 404


def test_a_title_cannot_break_the_content_disposition(client_for, filled_review, unit_staff):
    response = _upload(
        client_for(unit_staff),
        filled_review,
        'x".pdf',
        PDF_BYTES,
        title='Evil"; filename="run.exe\r\nX-Injected: 1',
    )
    assert response.status_code == 302
    item = Evidence.objects.latest("pk")
    download = client_for(unit_staff).get(item.get_absolute_url())
    disposition = download["Content-Disposition"]
    assert disposition == 'attachment; filename="evil-filenamerunexe-x-injected-1.pdf"'
    assert "X-Injected" not in download.headers


def test_evidence_of_another_review_is_not_found_through_this_one(
    client_for, filled_review, unit_staff, priority, leadership
):
    from tests.reviews_setup import commission

    other = commission(priority, commissioner=leadership, lead=unit_staff, title="Other")
    item = filled_review.evidence.get()
    url = reverse("reviews:evidence_file", kwargs={"pk": other.pk, "evidence": item.pk})
    assert client_for(unit_staff).get(url).status_code == 404
