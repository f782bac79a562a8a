"""Who may see and change the monthly notes.

Decisions recorded here:
- The note is the unit's candid word to the Chief Executive and the Leader. The unit drafts,
  edits and issues it, and reopens an issued note to correct it (the issued versions stay).
- Leadership read the issued versions; administrators too (they keep the records). Neither
  sees a draft: until it is issued it is the unit's (404 to them).
- Priority leads, service staff and cabinet members are not sent it and do not read it: what
  concerns them reaches them through the delivery report, packs and stocktakes. The list of
  notes answers them 403 and a note 404.
"""

from typing import cast

import rules
from django.db.models import Q, QuerySet

from delivery_unit.rules import (
    Rule,
    is_administrator,
    is_leadership,
    is_unit_staff,
    row_rule,
    signed_in,
)
from notes.models import MonthlyNote


@row_rule(where=lambda user: Q(issued__isnull=False))
def has_been_issued(user, note) -> bool:
    if note is None:
        return False
    count = getattr(note, "issued_count", None)
    return bool(count) if count is not None else note.issued.exists()


readers = is_leadership | is_administrator

note_readers = cast(Rule, signed_in & (is_unit_staff | (has_been_issued & readers)))

rules.add_perm("notes.view_note_list", signed_in & (is_unit_staff | readers))
rules.add_perm("notes.receive_note", signed_in & is_leadership)
rules.add_perm("notes.view_note", note_readers)
rules.add_perm("notes.view_issued_note", signed_in & has_been_issued & (is_unit_staff | readers))
rules.add_perm("notes.view_draft", signed_in & is_unit_staff)
rules.add_perm("notes.add_note", signed_in & is_unit_staff)
# Whether the note's state allows the move (a draft is edited and issued, an issued note
# reopened) is the transition's to say: 409, not 403.
rules.add_perm("notes.change_note", signed_in & is_unit_staff)


def visible_notes(queryset: QuerySet[MonthlyNote], user) -> QuerySet[MonthlyNote]:
    """The notes ``notes.view_note`` lets ``user`` open, in one query: the list shows exactly
    those (``tests/test_monthly_note.py`` walks every role over both to check they agree)."""
    if not getattr(user, "is_authenticated", False) or note_readers.where is None:
        return queryset.none()
    allowed = MonthlyNote.objects.filter(note_readers.where(user)).values("pk")
    return queryset.filter(pk__in=allowed)
