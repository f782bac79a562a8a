"""Who may see and change stocktakes, their packs and their actions.

Decisions recorded here:
- Stocktakes and their packs are prepared for the chairs: unit staff, leadership and
  administrators see them; priority leads do not (their stocktake pages answer 404).
- Only unit staff create stocktakes, issue the pack, record the meeting and send the follow-up
  note; administrators own the system, not the meetings.
- Actions from stocktakes are the exception: whoever sees stocktakes sees every action, and an
  action's owner (a priority lead, say) sees it in the action log and updates its status and
  progress, whatever their role.
- An accepted recommendation of a priority review becomes a stocktake action: the unit's call,
  as recording the meeting's actions is.
- A cabinet member does not see stocktakes, but reads the decisions taken at held stocktakes
  about the priorities in their portfolio (on their start page).
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
from stocktakes.models import Stocktake

DECIDED = [Stocktake.Status.HELD, Stocktake.Status.FOLLOW_UP_SENT, Stocktake.Status.CLOSED]


@row_rule(where=lambda user: Q(owner=user.pk))
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


prepares_or_chairs = is_unit_staff | is_leadership | is_administrator


@row_rule(where=lambda user: Q(priority__portfolio_holder=user.pk, stocktake__status__in=DECIDED))
def decided_in_portfolio(user, item) -> bool:
    """An agenda item of a held stocktake about a priority in the person's portfolio."""
    return (
        item is not None
        and item.priority is not None
        and item.priority.portfolio_holder_id == user.pk
        and item.stocktake.status in DECIDED
    )


rules.add_perm("stocktakes.view_stocktake_list", signed_in & prepares_or_chairs)
# The chairs start from the delivery report, as a stocktake does.
rules.add_perm("stocktakes.chair_stocktake", signed_in & is_leadership)
add_listed_perm("stocktakes.view_stocktake", signed_in & prepares_or_chairs)
rules.add_perm("stocktakes.add_stocktake", signed_in & is_unit_staff)
rules.add_perm("stocktakes.change_stocktake", signed_in & is_unit_staff)
rules.add_perm("stocktakes.issue_pack", signed_in & is_unit_staff)
rules.add_perm("stocktakes.record_meeting", signed_in & is_unit_staff)
rules.add_perm("stocktakes.send_follow_up", signed_in & is_unit_staff)

# The action log is open to everyone signed in; it lists what each may see.
rules.add_perm("stocktakes.view_action_log", signed_in)
rules.add_perm("stocktakes.view_every_action", signed_in & prepares_or_chairs)
add_listed_perm("stocktakes.view_action", signed_in & (prepares_or_chairs | owns_action))
rules.add_perm("stocktakes.change_action", signed_in & (is_unit_staff | owns_action))

rules.add_perm("stocktakes.add_action_from_recommendation", signed_in & is_unit_staff)

# What an agenda item decided: everyone who sees stocktakes, and the cabinet member whose
# portfolio the item's priority is in, once the stocktake is held.
add_listed_perm(
    "stocktakes.view_decisions", signed_in & (prepares_or_chairs | decided_in_portfolio)
)
