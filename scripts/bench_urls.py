"""The project's URLs and the benchmark's bare Django page at /bench/bare/ (bench_settings.py)."""

from bench_setup import BARE_PATH
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from delivery_unit.urls import urlpatterns as project_urlpatterns
from priorities.indicators.models import Actual


def bare(request: HttpRequest) -> HttpResponse:
    """One query of 30 rows, rendered as a table by Django's template engine: the least a page
    of this application could cost, behind the same middleware as every page."""
    rows = Actual.objects.order_by("pk").values_list("pk", "period", "value", "source")[:30]
    return render(request, "bench_bare.html", {"rows": rows})


urlpatterns = [*project_urlpatterns, path(BARE_PATH.lstrip("/"), bare, name="bench_bare")]
