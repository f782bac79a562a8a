"""Parts that a higher app adds to a lower app's page.

A lower app never names a higher one, not even in a template (README, "How it is built"), yet
some of its pages show what a higher app holds about the object: the delivery plan and the
reviews on the priority's page, the stocktake action a recommendation became. The higher app
registers a template for a named place from its ``AppConfig.ready()``; the page renders whatever
is registered there with ``{% page_parts "place" object %}``, in the order of INSTALLED_APPS.

A part without ``context`` renders with the page's own context, as ``{% include %}`` would; one
with ``context(page_context, object) -> dict`` renders with that alone, as an inclusion tag would.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    template: str
    context: Callable | None = None


_PARTS: dict[str, list[Part]] = {}


def register_part(place: str, template: str, context: Callable | None = None) -> None:
    registered = _PARTS.setdefault(place, [])
    part = Part(template, context)
    if part not in registered:
        registered.append(part)


def parts(place: str) -> list[Part]:
    return list(_PARTS.get(place, ()))
