from django import template

from priorities.models import Likelihood

register = template.Library()


@register.inclusion_tag("components/likelihood_tag.html")
def likelihood_tag(value: str | None) -> dict:
    """A rating in words and colour together: never colour alone."""
    label = Likelihood(value).label if value in Likelihood.values else None
    return {"likelihood": value if label else None, "label": label}
