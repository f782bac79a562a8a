"""The request as the views see it, for the type checker: Django and its middleware build the
real object."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from delivery_unit.models import User


class HtmxHttpRequest(HttpRequest):
    """A signed-in person's request (``LoginRequiredMiddleware`` sees to that; a view marked
    ``@login_not_required`` takes a plain ``HttpRequest``), with what django-htmx tells about it
    in ``request.htmx``."""

    htmx: HtmxDetails
    user: User
