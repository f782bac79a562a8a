"""What every app's access rules share: the roles, and rules that lists can filter by; and this
app's own permissions: changing one's password, and managing people.

Each app keeps its own rules in ``<app>/rules.py`` (the ``rules`` library imports them all at
start-up), written with its own status enums. Views ask
``user.has_perm("plans.change_planversion", version)`` and templates
``{% has_perm ... as can %}``; nothing tests a role by name.

A list must show exactly the rows its pages let a person open. So the rules that decide who sees
an object are ``Rule`` predicates: each says its test twice, once for one object (``has_perm``)
and once as a ``Q`` for a whole table, and combining rules with ``&``, ``|`` and ``~`` combines
both. ``add_listed_perm`` registers such a rule, and ``visible(queryset, user, perm)`` filters a
list by it (each app's ``QuerySet.visible_to``). ``tests/test_visibility.py`` walks every role
over every object of the demo council and checks that the two halves agree.

Roles here are the ones every app uses. The Unit Leader is a unit staff member so marked.
"""

from collections.abc import Callable
from typing import Any

import rules
from django.db.models import Model, Q, QuerySet

from delivery_unit.models import Role
from delivery_unit.signin import password_sign_in_allowed

# Every row, and no row. Kept as these two objects so that combining a role's answer with an
# object's test stays readable SQL: unit staff see every review without joining its team.
ALL = Q(pk__isnull=False)
NONE = Q(pk__in=[])

type Where = Callable[..., Q]


class Rule(rules.Predicate):
    """A ``rules`` predicate that also says, as ``where(user)``, which rows of a table it allows."""

    def __init__(self, fn, name: str | None = None, *, where: Where | None = None) -> None:
        super().__init__(fn, name)
        self.where = where

    def __and__(self, other) -> rules.Predicate:
        combined: Any = super().__and__(other)  # a Predicate, given a where here
        combined.where = _combined(self, other, _and)
        return combined

    def __or__(self, other) -> rules.Predicate:
        combined: Any = super().__or__(other)
        combined.where = _combined(self, other, _or)
        return combined

    def __invert__(self) -> rules.Predicate:
        inverted: Any = super().__invert__()
        where = self.where
        inverted.where = None if where is None else (lambda user: _not(where(user)))
        return inverted


def _and(left: Q, right: Q) -> Q:
    if left is NONE or right is NONE:
        return NONE
    if left is ALL:
        return right
    return left if right is ALL else left & right


def _or(left: Q, right: Q) -> Q:
    if left is ALL or right is ALL:
        return ALL
    if left is NONE:
        return right
    return left if right is NONE else left | right


def _not(q: Q) -> Q:
    if q is ALL:
        return NONE
    return ALL if q is NONE else ~q


def _combined(left: Rule, right, op: Callable[[Q, Q], Q]) -> Where | None:
    """Both sides must say which rows they allow; a plain predicate makes the result unlistable."""
    left_where, right_where = left.where, getattr(right, "where", None)
    if left_where is None or right_where is None:
        return None
    return lambda user: op(left_where(user), right_where(user))


def row_rule(*, where: Where) -> Callable[[Callable], Rule]:
    """A predicate on ``(user, obj)`` with the same test as a ``Q`` on the object's table.

    ``where`` receives a signed-in user (``visible`` answers no rows to anyone else)."""

    def decorate(fn: Callable) -> Rule:
        return Rule(fn, where=where)

    return decorate


def user_rule(fn: Callable) -> Rule:
    """A predicate on the user alone: it allows every row or none."""
    rule = Rule(fn)
    rule.where = lambda user: ALL if rule.test(user) else NONE
    return rule


# Each listed permission's ``where``: which rows of a table it allows a user.
_listed: dict[str, Where] = {}


def add_listed_perm(name: str, rule: rules.Predicate) -> None:
    """Register a permission that a list filters by: its rule must say which rows it allows."""
    if not isinstance(rule, Rule) or rule.where is None:
        raise TypeError(f"{name}: every part of a listed rule must be a Rule with a where.")
    rules.add_perm(name, rule)
    _listed[name] = rule.where


def listed_perms() -> set[str]:
    """The permissions registered with ``add_listed_perm``, for the test that walks them all."""
    return set(_listed)


def visible[M: Model](queryset: QuerySet[M], user, perm: str) -> QuerySet[M]:
    """The rows of ``queryset`` that ``user.has_perm(perm, row)`` allows, in one query.

    A condition that joins (a review's team, say) is applied as ``pk IN (subquery)`` so that it
    neither repeats rows nor disturbs the annotations a list counts with."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    where = _listed[perm](user)
    if where is ALL:
        return queryset
    if where is NONE:
        return queryset.none()
    return queryset.filter(pk__in=queryset.model._default_manager.filter(where).values("pk"))


# The roles


signed_in = user_rule(rules.is_authenticated)


@user_rule
def is_unit_staff(user) -> bool:
    return getattr(user, "role", None) == Role.UNIT_STAFF


@user_rule
def is_priority_lead(user) -> bool:
    """A priority lead, or service staff (who hold the same role)."""
    return getattr(user, "role", None) == Role.PRIORITY_LEAD


@user_rule
def is_service_staff(user) -> bool:
    return getattr(user, "role", None) == Role.SERVICE_STAFF


@user_rule
def is_cabinet_member(user) -> bool:
    return getattr(user, "role", None) == Role.CABINET_MEMBER


@user_rule
def is_leadership(user) -> bool:
    return getattr(user, "role", None) == Role.LEADERSHIP


@user_rule
def is_administrator(user) -> bool:
    return getattr(user, "role", None) == Role.ADMINISTRATOR


@user_rule
def is_unit_leader(user) -> bool:
    return is_unit_staff(user) and bool(getattr(user, "is_unit_leader", False))


@rules.predicate
def keeps_password_here(user) -> bool:
    """Signs in with a password kept by this application: everyone while single sign-on is
    off; only the break-glass administrators while it is on (the others' passwords are their
    council account's, changed there)."""
    return user.has_usable_password() and password_sign_in_allowed(user.get_username())


# Signing in
rules.add_perm("delivery_unit.change_own_password", signed_in & keeps_password_here)


# People: administrators add people, change their details and roles, mark the Unit Leader,
# deactivate leavers and hand over what they held. Nobody deactivates themselves or changes
# their own role (an administrator could otherwise lock every administrator out).
@rules.predicate
def is_someone_else(user, person) -> bool:
    return person is None or person.pk != user.pk


rules.add_perm("delivery_unit.view_person", signed_in & is_administrator)
rules.add_perm("delivery_unit.add_person", signed_in & is_administrator)
rules.add_perm("delivery_unit.change_person", signed_in & is_administrator)
rules.add_perm("delivery_unit.deactivate_person", signed_in & is_administrator & is_someone_else)
