import asyncio
import os

from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery_unit.settings")


class LimitedBodyASGIHandler(ASGIHandler):
    """Django's ASGI handler reads the whole body before any middleware runs, however large,
    and a chunked body declares no length. This one stops reading at the path's limit and marks
    the request, which RequestSizeMiddleware then answers with its 413 page."""

    async def handle(self, scope, receive, send):
        from delivery_unit.uploads import TOO_LARGE, body_limit_for_path

        path = scope.get("path", "/").removeprefix(scope.get("root_path", "")) or "/"
        limit = body_limit_for_path(path)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        received = 0

        async def limited_receive():
            nonlocal received
            if scope.get(TOO_LARGE):
                # The body ended early for Django; the rest is never read. Waiting here lets
                # the handler's disconnect listener sit until the 413 has been sent.
                await asyncio.Future()
            if declared.isdigit() and int(declared) > limit:
                scope[TOO_LARGE] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    scope[TOO_LARGE] = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        await super().handle(scope, receive=limited_receive, send=send)


def _application() -> ASGIHandler:
    get_asgi_application()  # sets Django up
    return LimitedBodyASGIHandler()


application = _application()
