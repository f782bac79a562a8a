from django import template

from priorities.models import Likelihood

register = template.Library()


@register.inclusion_tag("components/likelihood_tag.html")
def likelihood_tag(value: str | None) -> dict:
    """A rating in words and colour together: never colour alone."""
    label = Likelihood(value).label if value in Likelihood.values else None
    return {"likelihood": value if label else None, "label": label}


@register.inclusion_tag("components/level_tag.html")
def level_tag(level) -> dict:
    """A level of any judgement area (a ``Level``, or a ``Judgement`` for its chosen level) in
    words and colour together."""
    if level is not None and not hasattr(level, "tone"):
        level = level.chosen
    return {"level": level}


@register.filter
def level_label(area, value: str) -> str:
    """The words for ``value`` on ``area``'s scale: "Amber-red"."""
    level = area.level(value) if value else None
    return level.label if level else ""


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or None: for dictionaries keyed by a judgement area's key."""
    return mapping.get(key) if mapping else None


@register.filter
def in_unit(value, indicator) -> str:
    """A value written in the indicator's unit and decimal places: "£1,250,000", "95.5%"."""
    return indicator.format_value(value)


@register.filter
def period_of(period, indicator) -> str:
    """A period as people read it for the indicator's frequency: "Apr 2025", "2025/26 Q1"."""
    return indicator.period_label(period) if period else ""


@register.filter
def challenges_in(judgements) -> int:
    """How many challenges were made to these judgements (each a Judgement, a moderation cell
    with a ``judgement``, or an (area, judgement) pair): their ``challenge_count`` where the
    query counted them, else the prefetched ``challenges``."""
    count = 0
    for item in judgements:
        if isinstance(item, tuple):
            item = item[1]
        judgement = getattr(item, "judgement", item)
        if judgement is not None:
            counted = getattr(judgement, "challenge_count", None)
            count += len(judgement.challenges.all()) if counted is None else counted
    return count
