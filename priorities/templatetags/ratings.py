from django import template

from priorities.models import Likelihood

register = template.Library()


@register.inclusion_tag("components/likelihood_tag.html")
def likelihood_tag(value: str | None) -> dict:
    """A rating in words and colour together: never colour alone."""
    label = Likelihood(value).label if value in Likelihood.values else None
    return {"likelihood": value if label else None, "label": label}


@register.filter
def in_unit(value, indicator) -> str:
    """A value written in the indicator's unit and decimal places: "£1,250,000", "95.5%"."""
    return indicator.format_value(value)


@register.filter
def period_of(period, indicator) -> str:
    """A period as people read it for the indicator's frequency: "Apr 2025", "Q1 2025"."""
    return indicator.period_label(period) if period else ""
