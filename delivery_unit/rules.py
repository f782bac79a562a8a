"""Who may see and change what: the one place that answers, for every view and template.

Rules are ``rules`` predicates registered as Django permissions, so views ask
``user.has_perm("plans.change_plan", plan)`` and templates ``{% has_perm ... as can %}``.

Decisions recorded here:
- Every signed-in role may read the priority register, each priority and each delivery plan:
  the method depends on leads seeing how other priorities are rated and planned.
- Only unit staff rate priorities and create stocktakes; administrators own the system, not the
  judgements.
- Unit staff create priorities and set indicators and trajectories; a lead edits the description
  of their own priority. Data (actuals) is entered by the lead, the service staff named on the
  priority, and unit staff.
- Delivery plans are written by the priority's lead and the service staff added to the plan
  (by the lead or the unit); unit staff comment, assess, return and approve, but do not write
  the services' plans for them. Only a draft can change. The lead submits (the plan is theirs to
  answer for); unit staff assess, moderate, return or approve. Everyone signed in reads plans.
- Assessment rounds: unit staff open rounds, rate and challenge in moderation; the Unit Leader (a
  unit staff member so marked) moves a round into moderation, agrees it, and alone amends an
  agreed rating. A round's ratings are the unit's own until agreed: before then only unit staff
  and administrators see the round; once agreed, everyone signed in reads them (the delivery
  report is for all). A lead self-assesses only their own priorities, while the round is not yet
  agreed. Leadership reads and never rates.
- The assessment framework (and the plan criteria) are read by everyone and edited by
  administrators only.
- Stocktakes and their packs are prepared for the chairs: unit staff, leadership and
  administrators see them; priority leads do not (their stocktake pages answer 404).
- Actions from stocktakes are the exception: an action's owner sees it in the action log and
  updates its status and progress, whatever their role.
"""

import rules

from delivery_unit.models import Role
from delivery_unit.signin import password_sign_in_allowed


@rules.predicate
def is_unit_staff(user) -> bool:
    return getattr(user, "role", None) == Role.UNIT_STAFF


@rules.predicate
def is_leadership(user) -> bool:
    return getattr(user, "role", None) == Role.LEADERSHIP


@rules.predicate
def is_administrator(user) -> bool:
    return getattr(user, "role", None) == Role.ADMINISTRATOR


@rules.predicate
def is_unit_leader(user) -> bool:
    return is_unit_staff(user) and bool(getattr(user, "is_unit_leader", False))


@rules.predicate
def round_is_agreed(user, round_) -> bool:
    return round_ is not None and round_.status == "agreed"


@rules.predicate
def entry_round_is_agreed(user, entry) -> bool:
    return entry is not None and entry.round.status == "agreed"


@rules.predicate
def entry_round_is_open(user, entry) -> bool:
    return entry is not None and entry.round.status == "open"


@rules.predicate
def entry_round_in_moderation(user, entry) -> bool:
    return entry is not None and entry.round.status == "moderation"


@rules.predicate
def leads_entry_priority(user, entry) -> bool:
    return entry is not None and entry.priority.lead_id == user.pk


@rules.predicate
def leads_priority(user, priority) -> bool:
    return priority is not None and priority.lead_id == user.pk


@rules.predicate
def enters_priority_data(user, priority) -> bool:
    """Named on the priority as service staff who enter its data."""
    return priority is not None and any(u.pk == user.pk for u in priority.service_staff.all())


def _plan(obj):
    """The delivery plan of a plan or of one of its versions."""
    if obj is None:
        return None
    return obj.plan if obj._meta.model_name == "planversion" else obj


@rules.predicate
def leads_plan_priority(user, obj) -> bool:
    plan = _plan(obj)
    return plan is not None and plan.priority.lead_id == user.pk


@rules.predicate
def writes_plan(user, obj) -> bool:
    """Added to the plan as one of its writers (service staff)."""
    plan = _plan(obj)
    if plan is None or plan.pk is None:
        return False
    return any(u.pk == user.pk for u in plan.writers.all())


@rules.predicate
def is_draft(user, version) -> bool:
    return version is not None and version.status == "draft"


@rules.predicate
def awaits_assessment(user, version) -> bool:
    return version is not None and version.status in ("submitted", "assessed")


@rules.predicate
def is_assessed(user, version) -> bool:
    return version is not None and version.status == "assessed"


@rules.predicate
def is_decided(user, version) -> bool:
    return version is not None and version.status in ("returned", "approved")


@rules.predicate
def keeps_password_here(user) -> bool:
    """Signs in with a password kept by this application: everyone while single sign-on is
    off; only the break-glass administrators while it is on (the others' passwords are their
    council account's, changed there)."""
    return user.has_usable_password() and password_sign_in_allowed(user.get_username())


signed_in = rules.is_authenticated

# Signing in
rules.add_perm("delivery_unit.change_own_password", signed_in & keeps_password_here)

# Priorities
rules.add_perm("priorities.view_priority", signed_in)
rules.add_perm("priorities.add_priority", signed_in & is_unit_staff)
rules.add_perm("priorities.change_priority", signed_in & is_unit_staff)
# A lead may edit the words that describe their own priority (title, aspiration, services).
rules.add_perm("priorities.describe_priority", signed_in & (is_unit_staff | leads_priority))
# Indicators and trajectories are set by the unit: moving the goalposts is the unit's call.
rules.add_perm("priorities.change_indicator", signed_in & is_unit_staff)
# Actuals: the lead, the service staff named on the priority, and unit staff.
rules.add_perm(
    "priorities.enter_data", signed_in & (is_unit_staff | leads_priority | enters_priority_data)
)

# Assessment rounds (``round``: a Round; ``entry``: a RoundEntry, one priority in a round)
rules.add_perm(
    "priorities.view_round", signed_in & (is_unit_staff | is_administrator | round_is_agreed)
)
rules.add_perm("priorities.add_round", signed_in & is_unit_staff)
rules.add_perm("priorities.moderate_round", signed_in & is_unit_leader)
rules.add_perm(
    "priorities.view_roundentry",
    signed_in & (is_unit_staff | is_administrator | entry_round_is_agreed),
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
# The framework's wording and guidance
rules.add_perm("assessment.view_framework", signed_in)
rules.add_perm("assessment.change_framework", signed_in & is_administrator)

# Delivery plans
rules.add_perm("plans.view_deliveryplan", signed_in)
plan_writer = leads_plan_priority | writes_plan
# Starting the plan, or its next draft after a decision.
rules.add_perm("plans.change_deliveryplan", signed_in & plan_writer)
rules.add_perm("plans.manage_writers", signed_in & (is_unit_staff | leads_plan_priority))
rules.add_perm("plans.change_planversion", signed_in & plan_writer & is_draft)
rules.add_perm("plans.comment_planversion", signed_in & (is_unit_staff | plan_writer) & is_draft)
rules.add_perm("plans.submit_planversion", signed_in & leads_plan_priority & is_draft)
rules.add_perm("plans.assess_planversion", signed_in & is_unit_staff & awaits_assessment)
rules.add_perm("plans.decide_planversion", signed_in & is_unit_staff & is_assessed)
rules.add_perm("plans.moderate_plans", signed_in & is_unit_staff)
# The unit's assessment is its own until it decides: then the lead and writers see it beside
# each section. Leadership and administrators read everything.
rules.add_perm(
    "plans.view_assessment",
    signed_in & (is_unit_staff | is_leadership | is_administrator | is_decided),
)

# Stocktakes and packs
rules.add_perm(
    "stocktakes.view_stocktake", signed_in & (is_unit_staff | is_leadership | is_administrator)
)
rules.add_perm("stocktakes.add_stocktake", signed_in & is_unit_staff)
rules.add_perm("stocktakes.change_stocktake", signed_in & is_unit_staff)
# Issuing the pack, recording the meeting and sending the follow-up note are the unit's work.
rules.add_perm("stocktakes.issue_pack", signed_in & is_unit_staff)
rules.add_perm("stocktakes.record_meeting", signed_in & is_unit_staff)
rules.add_perm("stocktakes.send_follow_up", signed_in & is_unit_staff)


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


# Actions: whoever sees stocktakes sees every action; an owner (a priority lead, say) sees and
# updates their own. The action log lists what each may see.
rules.add_perm("stocktakes.view_action_log", signed_in)
rules.add_perm(
    "stocktakes.view_action",
    signed_in & (is_unit_staff | is_leadership | is_administrator | owns_action),
)
rules.add_perm("stocktakes.change_action", signed_in & (is_unit_staff | owns_action))


# Priority reviews. Decisions recorded here:
# - Every signed-in person may see that a review exists and read its overview (why, who, the
#   phases, the terms of reference): the service is part of the review.
# - Fieldwork (interviews, visits, notes, evidence files), the findings and recommendations while
#   they are drafted, and the report before it is issued are confidential to the review team and
#   unit staff: anyone else, leadership and administrators included, gets 404.
# - The issued report goes to leadership: it is read by the unit, the team, leadership,
#   administrators and the priority's own lead.
# - The unit runs the review (details, team, moving the phases, issuing the report, the follow-up);
#   the team logs fieldwork and drafts findings and recommendations; only the commissioner signs
#   off the terms of reference.
# - A recommendation's response is recorded by the unit or the commissioner; its owner (or the
#   unit) notes progress on it.


@rules.predicate
def on_review_team(user, review) -> bool:
    return review is not None and any(m.user_id == user.pk for m in review.team.all())


@rules.predicate
def commissioned_review(user, review) -> bool:
    return review is not None and review.commissioned_by_id == user.pk


@rules.predicate
def leads_review_priority(user, review) -> bool:
    return (
        review is not None
        and review.priority_id is not None
        and (review.priority.lead_id == user.pk)
    )


@rules.predicate
def review_has_reported(user, review) -> bool:
    if review is None:
        return False
    # Lists annotate the count (``ReviewQuerySet.with_counts``), so that asking costs no query.
    count = getattr(review, "report_count", None)
    return bool(count) if count is not None else review.reports.exists()


@rules.predicate
def review_is_open(user, review) -> bool:
    return review is not None and review.status != "closed"


@rules.predicate
def owns_recommendation(user, recommendation) -> bool:
    return recommendation is not None and recommendation.owner_id == user.pk


@rules.predicate
def recommendation_team_or_unit(user, recommendation) -> bool:
    return recommendation is not None and (
        is_unit_staff(user) or on_review_team(user, recommendation.review)
    )


@rules.predicate
def recommendation_reader(user, recommendation) -> bool:
    """After the report is issued, whoever reads the report reads its recommendations."""
    review = recommendation.review if recommendation is not None else None
    return review_has_reported(user, review) and (
        is_leadership(user)
        or is_administrator(user)
        or leads_review_priority(user, review)
        or owns_recommendation(user, recommendation)
    )


@rules.predicate
def commissioned_recommendation_review(user, recommendation) -> bool:
    return recommendation is not None and commissioned_review(user, recommendation.review)


review_insiders = is_unit_staff | on_review_team

rules.add_perm("reviews.view_review_list", signed_in)
rules.add_perm("reviews.view_review", signed_in)
rules.add_perm("reviews.add_review", signed_in & is_unit_staff)
rules.add_perm("reviews.change_review", signed_in & is_unit_staff & review_is_open)
rules.add_perm("reviews.view_fieldwork", signed_in & review_insiders)
rules.add_perm("reviews.record_fieldwork", signed_in & review_insiders & review_is_open)
rules.add_perm("reviews.sign_off_terms", signed_in & commissioned_review)
rules.add_perm("reviews.issue_report", signed_in & is_unit_staff & review_is_open)
rules.add_perm(
    "reviews.view_issued_report",
    signed_in
    & review_has_reported
    & (review_insiders | is_leadership | is_administrator | leads_review_priority),
)
rules.add_perm(
    "reviews.view_recommendation",
    signed_in & (recommendation_team_or_unit | recommendation_reader),
)


@rules.predicate
def recommendation_reported(user, recommendation) -> bool:
    return recommendation is not None and review_has_reported(user, recommendation.review)


# A response answers the issued report.
rules.add_perm(
    "reviews.respond_recommendation",
    signed_in & recommendation_reported & (is_unit_staff | commissioned_recommendation_review),
)
rules.add_perm("reviews.progress_recommendation", signed_in & (is_unit_staff | owns_recommendation))
rules.add_perm("reviews.follow_up_review", signed_in & is_unit_staff)

# An accepted recommendation of a priority review becomes a stocktake action: the unit's call, as
# recording the meeting's actions is.
rules.add_perm("stocktakes.add_action_from_recommendation", signed_in & is_unit_staff)


# People: administrators add people, change their details and roles, mark the Unit Leader,
# deactivate leavers and hand over what they held. Nobody deactivates themselves or changes
# their own role (an administrator could otherwise lock every administrator out).
@rules.predicate
def is_someone_else(user, person) -> bool:
    return person is None or person.pk != user.pk


rules.add_perm("delivery_unit.view_person", signed_in & is_administrator)
rules.add_perm("delivery_unit.add_person", signed_in & is_administrator)
rules.add_perm("delivery_unit.change_person", signed_in & is_administrator)
rules.add_perm("delivery_unit.deactivate_person", signed_in & is_administrator & is_someone_else)
