"""Production settings plus one page that only the benchmark serves: the bare Django page (one
query of 30 rows rendered as a table by Django's template engine), timed beside every page so that
the machine's noise falls on both alike. Never used in production: `make bench` starts gunicorn
with DJANGO_SETTINGS_MODULE=bench_settings and scripts/ on the path."""

from pathlib import Path

from delivery_unit.settings import *  # noqa: F403 (production settings, unchanged)
from delivery_unit.settings import TEMPLATES

ROOT_URLCONF = "bench_urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "bench_templates"]
