from django import template
from django.utils.html import format_html

from delivery_unit.holdings import Holding

register = template.Library()


@register.simple_tag
def holding_item(holding: Holding, item) -> str:
    """One thing a person holds, in words, linked to its page where it has one (every page a
    holding links to is one an administrator may open)."""
    text = holding.describe(item)
    if holding.url is None:
        return format_html("{}", text)
    return format_html('<a class="govuk-link" href="{}">{}</a>', holding.url(item), text)
