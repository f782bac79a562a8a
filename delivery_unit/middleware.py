"""Rules every request follows, whatever view answers it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from delivery_unit.uploads import refuse_large_bodies


class NoStoreMiddleware:
    """What a signed-in person sees (packs, plans, reports, exports) is never kept by a browser
    or a proxy cache: an authenticated response says ``Cache-Control: no-store``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RequestSizeMiddleware:
    """Refuses a request body over its view's limit before anything reads it (413), and puts an
    upload view's own limit in place. Placed before CSRF, whose check reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        return refuse_large_bodies(request, view_func)
