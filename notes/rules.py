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

import rules
from django.db.models import Q

from delivery_unit.rules import (
    add_listed_perm,
    is_administrator,
    is_leadership,
    is_unit_staff,
    row_rule,
    signed_in,
)


@row_rule(where=lambda user: Q(issued__isnull=False))
def has_been_issued(user, note) -> bool:
    if note is None:
        return False
    count = getattr(note, "issued_count", None)
    return bool(count) if count is not None else note.issued.exists()


readers = is_leadership | is_administrator

rules.add_perm("notes.view_note_list", signed_in & (is_unit_staff | readers))
add_listed_perm("notes.list_note", signed_in & (is_unit_staff | (has_been_issued & readers)))
rules.add_perm("notes.receive_note", signed_in & is_leadership)
rules.add_perm("notes.view_note", signed_in & (is_unit_staff | (has_been_issued & readers)))
rules.add_perm("notes.view_issued_note", signed_in & has_been_issued & (is_unit_staff | readers))
rules.add_perm("notes.view_draft", signed_in & is_unit_staff)
rules.add_perm("notes.add_note", signed_in & is_unit_staff)
# Whether the note's state allows the move (a draft is edited and issued, an issued note
# reopened) is the transition's to say: 409, not 403.
rules.add_perm("notes.change_note", signed_in & is_unit_staff)
