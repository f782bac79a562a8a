"""What a person holds in priority reviews (see ``delivery_unit.holdings``): the open reviews
they lead, those they commissioned whose terms of reference wait for their sign-off, their
places on review teams and the recommendations they own.

A successor joins a team in the person's role. The person leaves the team unless they were
present at fieldwork: then they stay on it, as the reviews app always keeps them (the record
says who was there)."""

from typing import cast

from delivery_unit.holdings import Holding, reassign, register_holding
from delivery_unit.models import Role
from reviews.models import Recommendation, Review, TeamMember


def _give_place(member, *, person, successor, by) -> None:
    if successor is not None:
        TeamMember.objects.get_or_create(
            review=member.review, user=successor, defaults={"role": member.role}
        )
    if not member.fieldwork.exists():
        member.delete()


def _places_of(person):
    return (
        TeamMember.objects.filter(user=person, review__status__in=OPEN)
        .select_related("review")
        .order_by("review__title")
    )


OPEN = [status for status in Review.Status.values if status != Review.Status.CLOSED]


# A holding's ``url`` and ``describe`` take any item; each here is given its own kind.
def _review_url(review: object) -> str:
    return cast(Review, review).get_absolute_url()


def _place_url(member: object) -> str:
    return cast(TeamMember, member).review.get_absolute_url()


def _describe_place(member: object) -> str:
    place = cast(TeamMember, member)
    return f"{place.review.title} ({place.role})"


def _describe_recommendation(item: object) -> str:
    rec = cast(Recommendation, item)
    return f"{rec.text[:100]} ({rec.review.title})"


def register() -> None:
    register_holding(
        Holding(
            key="review_lead",
            label="Priority reviews they lead",
            title="Lead of the review {item}",
            held_by=lambda person: Review.objects.open().filter(lead=person).order_by("title"),
            give=reassign("lead"),
            fields=(("reviews", "review", "lead"),),
            roles=frozenset({Role.UNIT_STAFF}),
            may_be_empty=False,
            url=_review_url,
        )
    )
    register_holding(
        Holding(
            key="review_commissioner",
            label="Priority reviews waiting for them to sign off the terms of reference",
            title="Commissioner of the review {item}",
            held_by=lambda person: (
                Review.objects.open()
                .filter(commissioned_by=person, terms_signed_off_at__isnull=True)
                .order_by("title")
            ),
            give=reassign("commissioned_by"),
            fields=(("reviews", "review", "commissioned_by"),),
            roles=frozenset({Role.LEADERSHIP, Role.UNIT_STAFF}),
            may_be_empty=False,
            url=_review_url,
        )
    )
    register_holding(
        Holding(
            key="review_team",
            label="Review teams they are on",
            title="On the team of the review {item}",
            held_by=_places_of,
            give=_give_place,
            fields=(("reviews", "teammember", "user"),),
            roles=frozenset({Role.UNIT_STAFF, Role.PRIORITY_LEAD, Role.SERVICE_STAFF}),
            url=_place_url,
            describe=_describe_place,
        )
    )
    register_holding(
        Holding(
            key="recommendation_owner",
            label="Review recommendations they own",
            title="Owner of the recommendation {item}",
            held_by=lambda person: (
                Recommendation.objects.open()
                .filter(owner=person)
                .select_related("review")
                .order_by("due_date", "pk")
            ),
            give=reassign("owner"),
            fields=(("reviews", "recommendation", "owner"),),
            may_be_empty=False,
            describe=_describe_recommendation,
        )
    )
