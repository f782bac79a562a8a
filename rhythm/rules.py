"""Who may see the unit's rhythm: what each person owes, and who updates on time.

Decisions recorded here:
- Who updates on time (``rhythm.view_on_time``) is the unit's tool for deciding where to chase:
  unit staff and administrators see it; to leads, service staff and leadership it answers 403
  (it names no object they could not otherwise know of).
"""

import rules

from delivery_unit.rules import is_administrator, is_unit_staff, signed_in

rules.add_perm("rhythm.view_on_time", signed_in & (is_unit_staff | is_administrator))
