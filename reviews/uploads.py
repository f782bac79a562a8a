"""Checking an uploaded evidence file: its size, and its type from its content, never from the
name or the browser's word for it (both are the uploader's to choose)."""

from dataclasses import dataclass
from typing import cast

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# What a review's evidence may be: documents, spreadsheets, slides, images and plain data.
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}
# Plain text has no signature: a CSV or text file is accepted when its name says so and its
# content is UTF-8 text with no control characters that text does not use.
TEXT_EXTENSIONS = {"csv": "text/csv", "txt": "text/plain"}
ALLOWED_WORDS = (
    "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument, PNG, JPEG, CSV or text"
)


@dataclass(frozen=True)
class CheckedType:
    extension: str
    content_type: str


def max_bytes() -> int:
    return settings.EVIDENCE_MAX_MB * 1024 * 1024


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


def check_upload(upload: UploadedFile) -> CheckedType:
    """The file's type as its content shows it, or a ValidationError worded for the person."""
    # A file uploaded with a request always has its size (the stubs allow None for any file).
    size = cast(int, upload.size)
    if size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if size > max_bytes():
        raise ValidationError(
            f"The selected file must be smaller than {settings.EVIDENCE_MAX_MB} MB",
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        if kind.extension in ALLOWED:
            return CheckedType(kind.extension, ALLOWED[kind.extension])
        raise ValidationError(f"The selected file must be a {ALLOWED_WORDS}", code="type")
    extension = (upload.name or "").rsplit(".", 1)[-1].lower()
    if extension in TEXT_EXTENSIONS:
        data = b"".join(upload.chunks())
        upload.seek(0)
        if _is_text(data):
            return CheckedType(extension, TEXT_EXTENSIONS[extension])
    raise ValidationError(f"The selected file must be a {ALLOWED_WORDS}", code="type")
