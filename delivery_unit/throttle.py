"""Failed sign-ins slowed without letting anyone lock out someone else (django-axes).

- The client's address is the proxy's ``X-Forwarded-For`` only when the request comes from a
  proxy named in ``TRUSTED_PROXIES``; otherwise it is the connection's own address. A header
  from anyone else is ignored: anyone can send one.
- A user name is locked per address: five wrong passwords from one place do not stop its owner
  signing in from another (``AXES_LOCKOUT_PARAMETERS``).
- An address is also locked after a wider number of failures across every user name
  (``SIGN_IN_ADDRESS_FAILURE_LIMIT``), which slows a spray of passwords over many names.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES]


def client_address(request: HttpRequest) -> str:
    """The address a request came from. Behind trusted proxies, ``X-Forwarded-For`` is read
    from the right (each proxy appends the address it saw), skipping the trusted proxies: the
    first address that is not one of them is the client. Anything to its left was written by the
    client and is not believed."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_proxies()
    if not _trusted(_address(remote), networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break
        if not _trusted(address, networks):
            return str(address)
    return remote


class SignInThrottle(AxesDatabaseHandler):
    """django-axes's database handler, with the wider per-address limit added."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def address_failures(self, request) -> int:
        """Failures from this address across every user name, within the cool-off time."""
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
