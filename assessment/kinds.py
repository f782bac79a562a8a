"""The kinds of thing the engine assesses. The engine names none of them: each app that uses it
registers its kind from its ``AppConfig.ready()`` (the priorities app its assessment framework,
the plans app its plan criteria), with the words people read and the loader of its default
framework, ``load(Framework, JudgementArea, Level)``, which also serves data migrations."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    value: str
    label: str
    load_default: Callable


_KINDS: dict[str, Kind] = {}


def register_kind(value: str, label: str, load_default: Callable) -> Kind:
    kind = Kind(value, label, load_default)
    _KINDS[value] = kind
    return kind


def get_kind(value: str) -> Kind | None:
    return _KINDS.get(value)


def kind_choices() -> list[tuple[str, str]]:
    """The registered kinds as a model field's choices (read when first needed, after ready())."""
    return [(kind.value, kind.label) for kind in _KINDS.values()]
