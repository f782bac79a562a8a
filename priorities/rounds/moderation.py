"""The moderation grid's rows, rendered once and kept in the shared cache until a rating changes.

A row shows a priority's ratings in one round against every area: each rating's level, how many
times it was challenged, its change since the previous agreed round, the lead's self-assessment
and the gap between the two voices. All of that is written only through models whose every
change leaves a row behind (delivery_unit.stamps): judgements and self-assessments keep their
history, challenges and amendments are a log. So the rows are kept under a key naming the round
and whether the reader may challenge, with what they were made from: the previous agreed round,
the stamp of those tables and each entry's status and priority's title and address, which are
read live in one small query, so that a row appears, goes or changes its status at once. All
the rows together, not one by one: any rating changed changes the stamp, and so every row, and
the database cache writes one entry at a time.
"""

import zlib

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from assessment.models import Challenge, Judgement, JudgementArea, Level
from delivery_unit.stamps import digest, kept, stamp
from priorities.rounds.models import Round, RoundEntry, SelfAssessment
from priorities.rounds.report import NOTABLE_GAP, round_rows

# Changed whenever what is kept, or what it is made from, changes shape (4: the rows joined and
# compressed, made from a list that names when each entry was proposed). Every `migrate`, so
# every release, also empties the cache (delivery_unit.apps), as does `flush`.
_KEPT_VERSION = 4

CHALLENGEABLE = {RoundEntry.Status.PROPOSED, RoundEntry.Status.MODERATED}


def moderation_rows(round_: Round, user) -> tuple[list[JudgementArea], Round | None, SafeString]:
    """The areas, the previous agreed round and the grid's rows rendered, in the order of the
    priorities' titles ("" when there is none). From the cache: the round's entries, the stamp
    and the cache's read (three queries, besides the areas and the previous round); otherwise
    worked out from the judgements (round_rows) and kept, all rows under one key."""
    agreed_only = round_.is_agreed
    previous_round = round_.previous_agreed()
    areas = round_.framework.ordered_areas()
    entries = round_.entries.exclude(status=RoundEntry.Status.EXCLUDED)
    if agreed_only:
        entries = entries.filter(status=RoundEntry.Status.AGREED)
    listed = list(
        entries.order_by("priority__title", "pk").values_list(
            "pk", "status", "proposed_at", "priority__title", "priority__slug"
        )
    )
    # The panel challenges proposed ratings while the round is in moderation: the same for every
    # row of one status in one round.
    may = user.has_perm("priorities.challenge_roundentry", RoundEntry(round=round_))
    written = stamp(Judgement.history.model, SelfAssessment.history.model, Challenge, Level)
    before = f"{previous_round.pk}.{previous_round.agreed_at}" if previous_round else "none"
    made_from = digest(round_.status, before, written, listed)
    rendered_from: list[tuple] = []

    def make() -> bytes:
        _, _, rows = round_rows(round_, agreed_only=agreed_only, ratings_only=True)
        by_entry = {row.entry.pk: row for row in rows}
        rendered = []
        for pk, *_ in listed:
            row = by_entry.get(pk)
            if row is None:  # taken out since the list was read: not kept (below)
                continue
            entry = row.entry
            rendered_from.append(
                (pk, entry.status, entry.proposed_at, entry.priority.title, entry.priority.slug)
            )
            row.challengeable = may and entry.status in CHALLENGEABLE
            context = {"row": row, "entry": entry, "round": round_, "notable_gap": NOTABLE_GAP}
            rendered.append(render_to_string("priorities/moderation.html#row", context))
        # Compressed: 80 rows are 415 KB of HTML, which the database cache would otherwise
        # carry (and encode, and decode) in full on every read; zlib's fastest level makes them
        # 15 KB, undone in under a millisecond.
        return zlib.compress("".join(rendered).encode(), 1)

    # The rows are read after the list the key names: an entry proposed, withdrawn or left out
    # in between (none leaves a history record) would be kept under a list it does not show.
    # Such rows are shown, and not kept.
    rows = kept(
        f"moderation-rows:{_KEPT_VERSION}:{round_.pk}:{may}",
        made_from,
        make,
        keep=lambda _rows: rendered_from == listed,
    )
    # Rendered by this application's templates and kept in its own cache table.
    return areas, previous_round, mark_safe(zlib.decompress(rows).decode())  # noqa: S308
