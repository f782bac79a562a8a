"""What a person holds, across every app, and its hand-over to a successor.

The people pages belong here, with the user, but what a person holds lives in the apps above
(priorities they lead, plans they write, actions they own...), which this app may not name. So
each app registers its kinds of holding from its ``AppConfig.ready()`` (as it registers page
parts and assessment kinds): how to find what a person holds, who may take it over, and how to
give one to a successor. The app knows its own rules for that (a milestone of a plan's newest
version, a review team member present at fieldwork stays on the team), so they stay with it.

``tests/test_people.py`` checks that every foreign key and many-to-many field to the user is
either a registered holding or a record of who did something (``created_by``, ``decided_by``...),
which is never handed over.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models, transaction

from delivery_unit.models import HandedOver, Role, User


@dataclass(frozen=True)
class Holding:
    key: str
    # "Priorities they lead": the heading of the list on the person's page.
    label: str
    # How one item reads in the record of changes: "Lead of Temporary Accommodation".
    title: str
    # The items ``person`` holds now, in a fixed number of queries.
    held_by: Callable[[User], Iterable]
    # Give ``item`` from ``person`` to ``successor`` (None: to nobody); ``by`` made the change.
    give: Callable[..., None]
    # The fields this kind covers, as (app_label, model name, field name).
    fields: tuple[tuple[str, str, str], ...]
    # The roles a successor may have; empty for anyone.
    roles: frozenset[str] = field(default_factory=frozenset)
    # Whether the item may be left with nobody, if the administrator says so.
    may_be_empty: bool = True
    url: Callable[[object], str] | None = None
    describe: Callable[[object], str] = str

    def successors(self, person: User) -> models.QuerySet[User]:
        people = User.objects.filter(is_active=True).exclude(pk=person.pk)
        if self.roles:
            people = people.filter(role__in=self.roles)
        return people.order_by("first_name", "last_name", "username")

    def who_may_take_over(self) -> str:
        if not self.roles:
            return "anyone"
        return " or ".join(sorted(Role(role).label.lower() for role in self.roles))


_HOLDINGS: dict[str, Holding] = {}


def register_holding(holding: Holding) -> None:
    _HOLDINGS[holding.key] = holding


def holdings() -> list[Holding]:
    return list(_HOLDINGS.values())


def get_holding(key: str) -> Holding | None:
    return _HOLDINGS.get(key)


@dataclass
class Held:
    holding: Holding
    items: list


def held_by(person: User) -> list[Held]:
    """Each kind of holding that ``person`` has at least one of, with the items."""
    found = []
    for holding in holdings():
        items = list(holding.held_by(person))
        if items:
            found.append(Held(holding, items))
    return found


class HandOverRefused(Exception):
    pass


def hand_over(person: User, successors: dict[str, User | None], *, by: User) -> int:
    """Give everything ``person`` holds to the successor named for its kind, all in one
    transaction: if any item cannot be given, nothing is. Each item given is recorded
    (``HandedOver``), shown on both people's pages. Returns how many items moved."""
    moved = 0
    with transaction.atomic():
        User.objects.select_for_update().get(pk=person.pk)
        for held in held_by(person):
            holding = held.holding
            if holding.key not in successors:
                raise HandOverRefused(f"No successor was named for {holding.label.lower()}.")
            successor = successors[holding.key]
            if successor is None and not holding.may_be_empty:
                raise HandOverRefused(f"{holding.label} must each have someone.")
            if successor is not None and (
                successor.pk == person.pk
                or not successor.is_active
                or (holding.roles and successor.role not in holding.roles)
            ):
                raise HandOverRefused(f"{successor} cannot take over {holding.label.lower()}.")
            for item in held.items:
                before = holding.describe(item)
                holding.give(item, person=person, successor=successor, by=by)
                HandedOver.objects.create(
                    person=person,
                    successor=successor,
                    what=holding.title.format(item=before),
                    by=by,
                )
                moved += 1
    return moved


def reassign(field_name: str) -> Callable[..., None]:
    """A ``give`` that points one foreign key at the successor. A model that counts its saves
    (``version``) counts this one, so that a form opened before the hand-over cannot put the
    leaver back; one with history records who handed it over."""

    def give(item, *, person: User, successor: User | None, by: User) -> None:
        fields = [field_name]
        setattr(item, field_name, successor)
        if hasattr(item, "version"):
            current = type(item).objects.select_for_update().only("version").get(pk=item.pk)
            item.version = current.version + 1
            fields.append("version")
        item._history_user = by
        item._change_reason = f"Handed over from {person}"
        item.save(update_fields=fields)

    return give


def swap_member(field_name: str) -> Callable[..., None]:
    """A ``give`` for a many-to-many field of people: the successor in the person's place."""

    def give(item, *, person: User, successor: User | None, by: User) -> None:
        members = getattr(item, field_name)
        members.remove(person)
        if successor is not None:
            members.add(successor)

    return give
