"""Who may see and change priorities, their indicators and data, and their rating rounds.

Decisions recorded here:
- Every signed-in role may read the priority register and each priority: the method depends on
  leads seeing how other priorities are rated.
- Unit staff create priorities and set indicators and trajectories (moving the goalposts is the
  unit's call); a lead edits the words that describe their own priority. Data (actuals) is
  entered by the lead, the service staff named on the priority, and unit staff; whoever may
  enter data for at least one priority may open the import page.
- Assessment rounds: unit staff open rounds, rate and challenge in moderation; the Unit Leader
  moves a round into moderation, agrees it, and alone amends an agreed rating. A round's ratings
  are the unit's own until agreed: before then only unit staff and administrators see the round
  (and a priority's ratings in it); once agreed, everyone signed in reads them (the delivery
  report is for all). A lead self-assesses only their own priorities, while the round is not
  yet agreed. Leadership reads and never rates.
- Service staff are a role of their own: they enter the data of the priorities they are named
  on, as a lead does for theirs, and nothing more here.
- A cabinet member (portfolio holder) reads what everyone signed in reads (the register, each
  priority, its data and agreed ratings) and never rates; their start page is their portfolio.
"""

import rules
from django.db.models import Q

from delivery_unit.rules import (
    add_listed_perm,
    is_administrator,
    is_cabinet_member,
    is_priority_lead,
    is_service_staff,
    is_unit_leader,
    is_unit_staff,
    row_rule,
    signed_in,
)
from priorities.models import Priority
from priorities.rounds.models import Round

# Priorities


@rules.predicate
def leads_priority(user, priority) -> bool:
    return priority is not None and priority.lead_id == user.pk


@rules.predicate
def enters_priority_data(user, priority) -> bool:
    """Named on the priority as service staff who enter its data."""
    return priority is not None and any(u.pk == user.pk for u in priority.service_staff.all())


@rules.predicate
def enters_some_priority_data(user) -> bool:
    """Leads a priority or is named on one as its service staff."""
    return Priority.objects.filter(Q(lead=user.pk) | Q(service_staff=user.pk)).exists()


add_listed_perm("priorities.view_priority", signed_in)
rules.add_perm("priorities.add_priority", signed_in & is_unit_staff)
rules.add_perm("priorities.change_priority", signed_in & is_unit_staff)
# A lead may edit the words that describe their own priority (title, aspiration, services).
rules.add_perm("priorities.describe_priority", signed_in & (is_unit_staff | leads_priority))
rules.add_perm("priorities.change_indicator", signed_in & is_unit_staff)
rules.add_perm(
    "priorities.enter_data", signed_in & (is_unit_staff | leads_priority | enters_priority_data)
)
rules.add_perm("priorities.import_data", signed_in & (is_unit_staff | enters_some_priority_data))
# Each person's start page: unit staff follow the priorities they are analyst for; priority leads
# the priorities they lead, with the self-assessments they owe; service staff the priorities they
# enter data for and the plans they write; a cabinet member their portfolio.
rules.add_perm("priorities.follow_as_analyst", signed_in & is_unit_staff)
rules.add_perm("priorities.lead_priorities", signed_in & is_priority_lead)
rules.add_perm("priorities.support_priorities", signed_in & is_service_staff)
rules.add_perm("priorities.follow_portfolio", signed_in & is_cabinet_member)


# Assessment rounds (``round_``: a Round; ``entry``: a RoundEntry, one priority in a round)


@row_rule(where=lambda user: Q(status=Round.Status.AGREED))
def round_is_agreed(user, round_) -> bool:
    return round_ is not None and round_.status == Round.Status.AGREED


@row_rule(where=lambda user: Q(round__status=Round.Status.AGREED))
def entry_round_is_agreed(user, entry) -> bool:
    return entry is not None and entry.round.status == Round.Status.AGREED


@rules.predicate
def entry_round_is_open(user, entry) -> bool:
    return entry is not None and entry.round.status == Round.Status.OPEN


@rules.predicate
def entry_round_in_moderation(user, entry) -> bool:
    return entry is not None and entry.round.status == Round.Status.MODERATION


@rules.predicate
def leads_entry_priority(user, entry) -> bool:
    return entry is not None and entry.priority.lead_id == user.pk


# Rounds in progress: the unit's own work, which administrators may also read. The navigation
# offers the rounds to whoever sees them in progress; everyone else meets agreed rounds through
# the delivery report.
sees_rounds_in_progress = is_unit_staff | is_administrator
rules.add_perm("priorities.view_rounds_in_progress", signed_in & sees_rounds_in_progress)
add_listed_perm("priorities.view_round", signed_in & (sees_rounds_in_progress | round_is_agreed))
rules.add_perm("priorities.add_round", signed_in & is_unit_staff)
rules.add_perm("priorities.moderate_round", signed_in & is_unit_leader)
add_listed_perm(
    "priorities.view_roundentry", signed_in & (sees_rounds_in_progress | entry_round_is_agreed)
)
rules.add_perm("priorities.rate_roundentry", signed_in & is_unit_staff & entry_round_is_open)
rules.add_perm(
    "priorities.challenge_roundentry", signed_in & is_unit_staff & entry_round_in_moderation
)
rules.add_perm("priorities.amend_roundentry", signed_in & is_unit_leader & entry_round_is_agreed)
rules.add_perm(
    "priorities.view_selfassessment",
    signed_in & (leads_entry_priority | is_unit_staff | is_administrator | entry_round_is_agreed),
)
rules.add_perm(
    "priorities.add_selfassessment", signed_in & leads_entry_priority & ~entry_round_is_agreed
)
