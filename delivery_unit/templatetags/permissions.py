"""``{% allows "app.perm" user [obj] as name %}``: ask an app's rule directly.

For what is drawn on every page (the navigation) and on start pages. ``{% has_perm %}`` goes
through every authentication backend, and a refusal falls through to Django's ModelBackend,
which then reads the user's database permissions (two queries). This service never grants those:
who may do what is decided only by each app's ``rules.py``, which this asks.
"""

from django import template

from delivery_unit.rules import allows as _allows

register = template.Library()


@register.simple_tag
def allows(perm: str, user, obj=None) -> bool:
    return _allows(user, perm, obj)
