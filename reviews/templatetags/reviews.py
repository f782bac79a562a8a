"""The priority page's section on reviews: the priority's reviews and their open recommendations.
An inclusion tag, so that the priorities app (above reviews) does not import from it."""

from django import template

from reviews.models import Recommendation, Review

register = template.Library()


@register.inclusion_tag("reviews/_priority_reviews.html", takes_context=True)
def priority_reviews(context, priority) -> dict:
    user = context["user"]
    reviews = list(Review.objects.filter(priority=priority).with_counts().order_by("-created_at"))
    readable = [
        r
        for r in reviews
        if user.has_perm("reviews.view_fieldwork", r)
        or user.has_perm("reviews.view_issued_report", r)
    ]
    recommendations = (
        Recommendation.objects.open()
        .filter(review__in=readable)
        .select_related("owner", "review")
        .order_by("due_date", "pk")
    )
    return {
        "priority": priority,
        "reviews": reviews,
        "recommendations": recommendations,
        "can_commission": user.has_perm("reviews.add_review"),
    }
