"""Request bodies and uploads, with size limits that hold before the body is read.

One rule for every view: a body larger than ``REQUEST_MAX_MB`` is refused with a 413 before a
byte of it is read. A view that accepts files says so with ``@accepts_uploads(limit)``: its
bodies may be that much larger, and a file over its limit is counted, not kept, whether in
memory or on disk, so that the form can say the file is too large.
"""

import io
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, get_resolver

MB = 1024 * 1024


class SizeLimitedUpload(FileUploadHandler):
    """Counts an upload's bytes and, past the limit, passes no more on: a huge file is never
    kept in memory or on disk, and the form refuses it by the size this handler reports."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= self.limit:
            return None  # the next handler (memory or temporary file) has it all
        return UploadedFile(
            io.BytesIO(), name=self.file_name, content_type=self.content_type, size=self.received
        )


def accepts_uploads(limit: Callable[[], int]):
    """Mark a view that takes files no larger than ``limit()`` bytes (read at request time, so
    that a setting can change it). Put it outermost, above ``csrf_exempt`` and the like."""

    def decorator(view):
        view.upload_limit = limit
        return view

    return decorator


def request_max_bytes() -> int:
    return settings.REQUEST_MAX_MB * MB


def body_limit(view) -> int:
    """The largest body ``view`` is sent: the general limit, plus an upload view's file limit
    (so that a file just over it reaches the form, which says so)."""
    upload_limit = getattr(view, "upload_limit", None)
    return request_max_bytes() + (upload_limit() if upload_limit else 0)


def body_limit_for_path(path: str) -> int:
    """``body_limit`` of the view at ``path``, for the ASGI server, which reads a body before
    Django resolves the URL. A path that matches nothing has the general limit."""
    try:
        match = get_resolver().resolve(path)
    except Resolver404:
        return request_max_bytes()
    return body_limit(match.func)


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    context = {"limit_mb": max(limit // MB, 1)}
    return render(request, "413.html", context, status=413)


def refuse_large_bodies(request: HttpRequest, view) -> HttpResponse | None:
    """The 413 for a body over ``view``'s limit, judged by its declared length (or, under
    ASGI, by what the server counted of a chunked body): nothing of it has been read. Otherwise
    put an upload view's file limit in place and let the request through."""
    limit = body_limit(view)
    if declared_length(request) > limit or getattr(request, "scope", {}).get(TOO_LARGE):
        return too_large_response(request, limit)
    upload_limit = getattr(view, "upload_limit", None)
    if upload_limit is not None:
        request.upload_handlers.insert(0, SizeLimitedUpload(request, upload_limit()))
    return None


# Set in the ASGI scope when the server stopped reading a body at its limit (delivery_unit/asgi.py).
TOO_LARGE = "delivery_unit.body_too_large"
