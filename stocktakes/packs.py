"""The stocktake pack: gathered from the agenda and the latest ratings, laid out by WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from delivery_unit.pdf import render_pdf
from stocktakes.models import Stocktake


def pack_context(stocktake: Stocktake) -> dict:
    priorities = list(stocktake.agenda_priorities())
    return {
        "stocktake": stocktake,
        "priorities": priorities,
        "marking": settings.PACK_MARKING,
        "council_name": settings.COUNCIL_NAME,
        "generated_at": timezone.now(),
    }


def render_pack_html(stocktake: Stocktake) -> str:
    return render_to_string("stocktakes/pack.html", pack_context(stocktake))


def render_pack_pdf(stocktake: Stocktake) -> bytes:
    return render_pdf(render_pack_html(stocktake))
