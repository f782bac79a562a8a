"""``{% page_parts "place" object %}``: the parts higher apps registered for a place on a page
(see delivery_unit/parts.py)."""

from django import template
from django.utils.safestring import mark_safe

from delivery_unit.parts import parts

register = template.Library()


@register.simple_tag(takes_context=True)
def page_parts(context, place: str, obj=None) -> str:
    rendered = []
    for part in parts(place):
        found = context.template.engine.get_template(part.template)
        if part.context is None:
            with context.push():
                rendered.append(found.render(context))
            continue
        own = context.new(part.context(context, obj))
        csrf_token = context.get("csrf_token")
        if csrf_token is not None:
            own["csrf_token"] = csrf_token
        rendered.append(found.render(own))
    # Each part is a template rendered with autoescaping, as an include would be.
    return mark_safe("".join(rendered))  # noqa: S308
