"""Every edit of a thing, as people read it: who, when, and each field's before and after,
from the django-simple-history records a model keeps (``history = HistoricalRecords()``)."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FieldChange:
    name: str
    before: str
    after: str


@dataclass
class Edit:
    when: datetime
    who: object
    kind: str  # "Created", "Changed" or "Deleted"
    changes: list[FieldChange] = field(default_factory=list)


_KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Bookkeeping, not something a person changed.
_HIDDEN = {"version"}


def edits(obj, limit: int = 20) -> list[Edit]:
    """The newest ``limit`` edits of ``obj``'s own fields, newest first, in a fixed number of
    queries: the records, then one for each kind of thing its changed relations point at."""
    records = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(records[: limit + 1])
    many = [f.name for f in obj._meta.many_to_many]
    found: list[Edit] = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(found) == limit:
            break
        edit = Edit(newer.history_date, newer.history_user, _KINDS[newer.history_type])
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=[*many, *_HIDDEN])
            edit.changes = [
                FieldChange(change.field, change.old, change.new) for change in delta.changes
            ]
            if not edit.changes:
                continue  # a save that changed nothing a person sees
        found.append(edit)
    _name_relations(obj, found)
    return found


def _name_relations(obj, found: list[Edit]) -> None:
    """Field names as labels, values as text; ids of related rows as those rows' names, looked
    up once per related model."""
    wanted: dict = {}
    for edit in found:
        for change in edit.changes:
            field = obj._meta.get_field(change.name)
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update({change.before, change.after})
    named = {
        model: model._default_manager.in_bulk([pk for pk in ids if pk is not None])
        for model, ids in wanted.items()
    }
    for edit in found:
        for change in edit.changes:
            field = obj._meta.get_field(change.name)
            before, after = change.before, change.after
            if field.is_relation:
                before = named[field.related_model].get(before)
                after = named[field.related_model].get(after)
            elif field.choices:
                labels = dict(field.flatchoices)
                before, after = labels.get(before, before), labels.get(after, after)
            change.name = str(field.verbose_name).capitalize()
            change.before, change.after = _text(before), _text(after)


def _text(value) -> str:
    if value in (None, ""):
        return "Not set"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
