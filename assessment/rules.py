"""Who may see and change the assessment frameworks.

Decisions recorded here:
- A framework's wording and guidance (the priority framework, and the plan criteria, a framework
  of their own) are read by everyone signed in and edited by administrators only: they are the
  system, which administrators own, not a judgement.
"""

import rules

from delivery_unit.rules import is_administrator, signed_in

rules.add_perm("assessment.view_framework", signed_in)
rules.add_perm("assessment.change_framework", signed_in & is_administrator)
