"""A request body over its limit is refused with a 413 page before a byte of it is read, under
WSGI (by its declared length) and ASGI (also when chunked, with no length declared)."""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from delivery_unit.asgi import LimitedBodyASGIHandler
from priorities.indicators import imports

MB = 1024 * 1024


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_over_the_limit_is_refused_unread(client, db):
    response = client.generic(
        "POST",
        reverse("login"),
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * MB),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is too large" in page
    assert "no more than 3 MB" in page
    assert response["Content-Security-Policy"]


def test_the_limit_is_a_setting(client, db, settings):
    body = {"username": "someone", "password": "x" * (2 * MB)}
    assert client.post(reverse("login"), body).status_code == 200
    settings.REQUEST_MAX_MB = 1
    response = client.post(reverse("login"), body)
    assert response.status_code == 413
    assert "no more than 1 MB" in response.content.decode()


def test_a_signed_in_form_over_the_limit_is_refused(client_for, priority, priority_lead):
    url = reverse("plans:section", kwargs={"slug": priority.slug, "number": 1, "key": "aspiration"})
    response = client_for(priority_lead).post(url, {"text": "x" * (4 * MB), "version": 1})
    assert response.status_code == 413
    assert priority.plan.versions.get().sections.get(key="aspiration").text == "The first plan."


def test_the_import_accepts_its_own_larger_limit_and_no_more(client_for, unit_staff):
    client = client_for(unit_staff)
    url = reverse("priorities:import")
    # Between the general limit and the import's: the form hears of it and says so.
    body = b"indicator,period,value\n" + b"x" * (imports.MAX_BYTES + 10)
    upload = io.BytesIO(body)
    upload.name = "data.csv"
    response = client.post(url, {"file": upload})
    assert response.status_code == 422
    assert "The selected file must be smaller than" in response.content.decode()
    # Past both: refused before it is read.
    response = client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(imports.MAX_BYTES + 4 * MB),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413


def asgi_post(path: str, chunks: list[bytes], headers: list[tuple[bytes, bytes]]):
    """POST ``chunks`` to the ASGI application; return the status and how many chunks it read."""
    read = 0
    sent = []

    async def receive():
        nonlocal read
        if read < len(chunks):
            read += 1
            return {
                "type": "http.request",
                "body": chunks[read - 1],
                "more_body": read < len(chunks),
            }
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    # In a thread of its own: a browser test earlier in the same process may leave an event
    # loop running in this one, and asyncio.run() refuses to start inside it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, LimitedBodyASGIHandler()(scope, receive, send)).result()
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent[1:])
    return start["status"], read, body


@pytest.mark.django_db(transaction=True)
def test_asgi_stops_reading_a_chunked_body_at_the_limit():
    chunks = [b"x" * MB] * 200  # 200 MB, no length declared
    form = [(b"content-type", b"application/x-www-form-urlencoded")]
    status, read, body = asgi_post("/sign-in/", chunks, form)
    assert status == 413
    assert b"What you sent is too large" in body
    assert read == 4  # the fourth megabyte passes 3 MB: nothing more is read


@pytest.mark.django_db(transaction=True)
def test_asgi_refuses_a_declared_length_without_reading():
    headers = [
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"content-length", str(200 * MB).encode()),
    ]
    status, read, _ = asgi_post("/sign-in/", [b"x" * MB] * 200, headers)
    assert (status, read) == (413, 0)


@pytest.mark.django_db(transaction=True)
def test_asgi_passes_a_small_body_through():
    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    status, read, _ = asgi_post("/sign-in/", [b"username=a&", b"password=b"], headers)
    # The sign-in form answers (CSRF refuses a post without its token): the body reached it.
    assert status == 403
    assert read == 2
