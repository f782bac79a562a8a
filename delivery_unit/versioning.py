"""Versioned edits: one way, for every app, to refuse a save based on a page someone else has
saved over since it was opened.

A row that two people might edit at once carries a ``version`` (``Versioned``). A form for it
carries the version it was opened at (``VersionedForm``). The save locks the row, compares the
versions and bumps the number in one transaction (``versioned_edit`` or ``save_versioned``);
when the versions differ it raises ``Stale`` with the row as it is now, and nothing is written.
The view answers that with ``answer_stale``: the same page, status 409, what the person typed
kept in the form and the other person's values shown beside it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from delivery_unit.forms import WholeNumberField

OUT_OF_DATE = "This page is out of date. Reload it and make your change again"


class Versioned(models.Model):
    """A row whose ``version`` counts its saves, so that a save based on an older one is refused."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Stale(Exception):
    """Someone saved the thing after this person opened it. ``current`` is what they saved (None
    where there is no single row to show); ``saved_by`` and ``saved_at`` say who and when, where
    the row records it."""

    def __init__(self, current: Any = None) -> None:
        super().__init__("Someone else saved this in the meantime.")
        self.current = current

    @property
    def saved_by(self):
        return self._recorded(("updated_by", "changed_by", "entered_by"))

    @property
    def saved_at(self):
        return self._recorded(("updated_at", "changed_at", "entered_at"))

    def _recorded(self, names: tuple[str, ...]):
        # Rows name their last writer in a few ways; the first that holds a value says it.
        for name in names:
            value = getattr(self.current, name, None)
            if value is not None:
                return value
        return None


def lock(obj: models.Model) -> Any:
    """The row of ``obj`` as it is now, locked until the transaction ends."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def check_version(obj: Versioned, expected_version: int | None, *, by: Any = None) -> Any:
    """Inside a transaction: lock the row, refuse with ``Stale`` if its version is no longer
    ``expected_version`` (None or 0: the person saw none), and number ``obj`` as the next
    version. Returns the locked row, for the checks a move makes on the state it is in now.

    With ``by``, a person's own saves never conflict: when the row's last save (its
    ``updated_by``) was theirs, as when their autosave is still on its way as they press a
    button, this save supersedes it rather than being refused."""
    current = lock(obj)
    if current.version != (expected_version or 0) and not _saved_last_by(current, by):
        raise Stale(current)
    obj.version = current.version + 1
    return current


def _saved_last_by(current: Any, by: Any) -> bool:
    return by is not None and getattr(current, "updated_by_id", None) == by.pk


@contextmanager
def versioned_edit(
    obj: Versioned, expected_version: int | None, *, by: Any = None
) -> Iterator[Any]:
    """``check_version`` in a transaction of its own. The caller changes ``obj`` and saves it
    (with "version" among the fields) inside the block; the block yields the locked row."""
    with transaction.atomic():
        yield check_version(obj, expected_version, by=by)


def save_versioned(obj: Versioned, expected_version: int | None, fields: dict) -> None:
    """Save ``fields`` on ``obj`` if nobody has saved it since ``expected_version``."""
    with versioned_edit(obj, expected_version):
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save(update_fields=[*fields, "version"])


def version_field(min_value: int = 0, required: bool = True) -> WholeNumberField:
    """The hidden version a form was opened at, ASCII digits only (``WholeNumberField``). A
    missing or mangled one means a page from before: the person is asked to reload it."""
    return WholeNumberField(
        widget=forms.HiddenInput,
        min_value=min_value,
        required=required,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
    )


class VersionedForm(forms.Form):
    """A form that carries the version it was opened at. A form that also creates the thing
    (so has no version yet) declares ``version = version_field(required=False)``."""

    version = version_field()

    def their_values(self, current) -> list[tuple[str, str]]:
        """What ``current`` holds for the fields this form edits, as (label, text) pairs. A model
        form has them from its model; another form says which of its fields to show."""
        return saved_values(self, current, getattr(getattr(self, "Meta", None), "fields", []))

    def rebase(self, current_version: int, message: str) -> None:
        """Keep what was typed, now based on the version saved meanwhile, so that saving again
        after a look at theirs goes through; with ``message`` at the top of the form."""
        # A copy of the QueryDict keeps every value of a multiple choice.
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix("version")] = str(current_version)
        self.data = data
        self.full_clean()
        self.add_error(None, message)


def saved_values(form: forms.BaseForm, obj, names) -> list[tuple[str, str]]:
    """Each of ``names`` as saved on ``obj``, labelled as ``form`` labels it: what a person
    whose save was refused as stale needs to see beside what they typed."""
    values = []
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            text = ", ".join(str(item) for item in getattr(obj, name).all()) or "None"
        elif field.choices:
            text = getattr(obj, f"get_{name}_display")()
        else:
            value = getattr(obj, name)
            text = "Not set" if value in (None, "") else str(value)
        label = form.fields[name].label if name in form.fields else None
        values.append((str(label or field.verbose_name), text))
    return values


def stale_message(stale: "Stale", thing: str = "this") -> str:
    """Why the save was refused, naming who saved meanwhile where the row records it."""
    who = stale.saved_by or "Someone else"
    return (
        f"{who} saved {thing} while you were editing, so your changes have not been saved. "
        "The form shows what you typed; the saved version is below it."
    )


def answer_stale(
    request: HttpRequest,
    template: str,
    context: dict,
    form: VersionedForm,
    stale: Stale,
    *,
    theirs: Any = None,
    thing: str = "this",
    message: str = "",
) -> HttpResponse:
    """The page again, status 409: the form keeps what was typed (now based on the saved
    version), says why it was not saved, and ``components/their_version.html`` shows the other
    person's values (``theirs``: (label, value) pairs for that component, or whatever the page's
    own template shows; by default those the form reads off the saved row). The message names
    ``thing`` ("this priority") and, where known, who saved it."""
    current = stale.current
    message = message or stale_message(stale, thing)
    version = getattr(current, "version", None)
    if version is None:
        # Nothing to count from (a framework is numbered instead): the caller built the form on
        # what is saved now.
        form.add_error(None, message)
    else:
        form.rebase(version, message)
    if theirs is None and current is not None:
        theirs = form.their_values(current)
    extra = {"form": form, "theirs": theirs or [], "stale": stale}
    return render(request, template, context | extra, status=409)
