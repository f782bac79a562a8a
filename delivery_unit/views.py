from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the process answers and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request's context: the context processors would read
    the session and the user from the database, which may be the very thing that failed."""
    template = loader.get_template("500.html")
    context = {"council_name": settings.COUNCIL_NAME, "service_name": settings.SERVICE_NAME}
    return HttpResponseServerError(template.render(context))
