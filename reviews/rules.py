"""Who may see and change priority reviews.

Decisions recorded here:
- Every signed-in person may see that a review exists and read its overview (why, who, the
  phases, the terms of reference): the service is part of the review.
- The list of reviews shows each person the reviews that concern them: unit staff every review;
  others those they are on the team of, and those whose issued report they read (leadership and
  administrators every issued report, a lead the reports on their own priorities).
- Fieldwork (interviews, visits, notes, evidence files), the findings and recommendations while
  they are drafted, and the report before it is issued are confidential to the review team and
  unit staff: anyone else, leadership and administrators included, gets 404.
- The issued report goes to leadership: it is read by the unit, the team, leadership,
  administrators and the priority's own lead.
- The unit runs the review (details, team, moving the phases, issuing the report, the follow-up);
  the team logs fieldwork and drafts findings and recommendations; only the commissioner signs
  off the terms of reference.
- A recommendation's response is recorded by the unit or the commissioner; its owner (or the
  unit) notes progress on it.
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
from reviews.models import Review


@row_rule(where=lambda user: Q(team__user=user.pk))
def on_review_team(user, review) -> bool:
    return review is not None and any(m.user_id == user.pk for m in review.team.all())


@rules.predicate
def commissioned_review(user, review) -> bool:
    return review is not None and review.commissioned_by_id == user.pk


@row_rule(where=lambda user: Q(priority__lead=user.pk))
def leads_review_priority(user, review) -> bool:
    return (
        review is not None
        and review.priority_id is not None
        and (review.priority.lead_id == user.pk)
    )


@row_rule(where=lambda user: Q(reports__isnull=False))
def review_has_reported(user, review) -> bool:
    if review is None:
        return False
    # Lists annotate the count (``ReviewQuerySet.with_counts``), so that asking costs no query.
    count = getattr(review, "report_count", None)
    return bool(count) if count is not None else review.reports.exists()


@rules.predicate
def review_is_open(user, review) -> bool:
    return review is not None and review.status != Review.Status.CLOSED


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


@rules.predicate
def recommendation_reported(user, recommendation) -> bool:
    return recommendation is not None and review_has_reported(user, recommendation.review)


review_insiders = is_unit_staff | on_review_team
report_readers = is_leadership | is_administrator | leads_review_priority

rules.add_perm("reviews.view_review_list", signed_in)
rules.add_perm("reviews.view_review", signed_in)
add_listed_perm(
    "reviews.list_review", signed_in & (review_insiders | (review_has_reported & report_readers))
)
rules.add_perm("reviews.add_review", signed_in & is_unit_staff)
rules.add_perm("reviews.change_review", signed_in & is_unit_staff & review_is_open)
rules.add_perm("reviews.view_fieldwork", signed_in & review_insiders)
rules.add_perm("reviews.record_fieldwork", signed_in & review_insiders & review_is_open)
rules.add_perm("reviews.sign_off_terms", signed_in & commissioned_review)
rules.add_perm("reviews.issue_report", signed_in & is_unit_staff & review_is_open)
rules.add_perm(
    "reviews.view_issued_report",
    signed_in & review_has_reported & (review_insiders | report_readers),
)
rules.add_perm(
    "reviews.view_recommendation",
    signed_in & (recommendation_team_or_unit | recommendation_reader),
)
# A response answers the issued report.
rules.add_perm(
    "reviews.respond_recommendation",
    signed_in & recommendation_reported & (is_unit_staff | commissioned_recommendation_review),
)
rules.add_perm("reviews.progress_recommendation", signed_in & (is_unit_staff | owns_recommendation))
rules.add_perm("reviews.follow_up_review", signed_in & is_unit_staff)
