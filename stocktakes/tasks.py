"""Background work: laying out a pack takes WeasyPrint a second or more for a long agenda, so a
worker does it (``python manage.py db_worker``) while the page shows progress."""

import logging
from datetime import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from delivery_unit.documents import IssuedMeanwhile, keep_issued, next_number
from delivery_unit.pdf import render_pdf_with_pages
from stocktakes.models import PackGeneration, Stocktake
from stocktakes.packs import gather, render_pack_html

logger = logging.getLogger(__name__)


def build_pack(generation_id: int, *, as_of: datetime | None = None) -> PackGeneration:
    """Gather, render and lay out the pack a ``PackGeneration`` asks for; for an issue, keep the
    exact PDF and HTML as the next numbered version. Failures are recorded on the generation
    for the page to show, never left as a spinner. ``as_of`` dates the pack (its cover, what is
    overdue) at another moment than now: the demo issues its held stocktake's pack in the past."""
    generation = PackGeneration.objects.select_related("stocktake").get(pk=generation_id)
    stocktake = generation.stocktake
    try:
        _progress(generation, PackGeneration.Status.GATHERING)
        if as_of is None:
            context = gather(stocktake)
        else:
            context = gather(stocktake, today=timezone.localtime(as_of).date())
            context["generated_at"] = as_of
        number = None
        if generation.issue:
            number = next_number(stocktake.packs)
        html = render_pack_html(stocktake, version=number, context=context)
        _progress(generation, PackGeneration.Status.RENDERING)
        pdf, pages = render_pdf_with_pages(html)
        generation.page_count = pages
        if number is not None:  # the pack is being issued: it has its number
            _issue(generation, stocktake, number, pdf, html.encode(), pages)
        else:
            generation.draft_pdf = pdf
        generation.status = PackGeneration.Status.READY
    except IssuedMeanwhile:
        generation.status = PackGeneration.Status.FAILED
        generation.error = "Another version of the pack was issued meanwhile. Issue it again."
    except Exception:
        logger.exception("Pack generation %s failed", generation_id)
        generation.status = PackGeneration.Status.FAILED
        generation.error = "The pack could not be laid out. Try again, or tell the unit's admin."
    generation.finished_at = timezone.now()
    generation.save(
        update_fields=["status", "error", "finished_at", "page_count", "draft_pdf", "issued_pack"]
    )
    return generation


def _progress(generation: PackGeneration, status: str) -> None:
    generation.status = status
    generation.save(update_fields=["status"])


def _issue(generation, stocktake: Stocktake, number: int, pdf: bytes, html: bytes, pages: int):
    """Keep the pack as the next numbered version (refused if another went out meanwhile), and
    move the stocktake on, in one transaction."""
    with transaction.atomic():
        generation.issued_pack = keep_issued(
            stocktake,
            stocktake.packs,
            pdf=pdf,
            html=html,
            pages=pages,
            by=generation.requested_by,
            reason=generation.reason,
            number=number,
        )
        stocktake.mark_pack_issued()


@task()
def generate_pack(generation_id: int) -> int:
    return build_pack(generation_id).pk


def request_pack(stocktake: Stocktake, *, by, issue: bool, reason: str = "") -> PackGeneration:
    """Record the request, then hand it to the worker (run at once by the immediate backend)."""
    generation = PackGeneration.objects.create(
        stocktake=stocktake, requested_by=by, issue=issue, reason=reason
    )
    result = generate_pack.enqueue(generation.pk)
    PackGeneration.objects.filter(pk=generation.pk, task_id="").update(task_id=str(result.id))
    generation.refresh_from_db()
    return generation
