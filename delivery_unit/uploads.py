"""Uploads with a size limit that holds before the request body is read: a file over the limit is
counted, not kept, whether in memory or on disk."""

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest


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


def limit_uploads(request: HttpRequest, limit: int) -> None:
    """Put the limit in place. Call it before anything reads the body, CSRF's check included: a
    view that accepts files is ``csrf_exempt`` and calls an inner ``csrf_protect`` view after."""
    request.upload_handlers.insert(0, SizeLimitedUpload(request, limit))
