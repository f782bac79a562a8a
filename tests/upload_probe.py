"""An upload handler for tests that counts the bytes it is passed and passes them on: it sees only
what the handlers before it let through."""

from django.core.files.uploadhandler import FileUploadHandler

RECEIVED: list[int] = []


class CountingUpload(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        RECEIVED.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
