"""Who may see the unit's rhythm: what each person owes, and who updates on time.

Decisions recorded here:
- Who updates on time (``rhythm.view_on_time``) is the unit's tool for deciding where to chase:
  unit staff and administrators see it; to leads, service staff and leadership it answers 403
  (it names no object they could not otherwise know of).
- What everyone owes (``rhythm.view_owed_by_everyone``) is the unit's chasing list: unit staff see
  it, and administrators, who hand over what a leaver held; to leads, service staff, cabinet
  members and leadership it answers 403. Each person sees what they owe on their own home page.
"""

import rules

from delivery_unit.rules import is_administrator, is_unit_staff, signed_in

rules.add_perm("rhythm.view_on_time", signed_in & (is_unit_staff | is_administrator))
rules.add_perm("rhythm.view_owed_by_everyone", signed_in & (is_unit_staff | is_administrator))
