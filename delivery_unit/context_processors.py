from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, str | bool]:
    """The council's name and the service's name, for the header of every page, and whether
    people sign in with the council's single sign-on."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "sso_enabled": settings.OIDC_ENABLED,
    }
