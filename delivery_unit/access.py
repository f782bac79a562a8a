"""Fetching an object on behalf of a user: 404 to whoever may not see it, 403 to whoever may see
it but not change it. Every view that loads an object by URL goes through here."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


def check_for_user[M: Model](user, obj: M, view_perm: str, change_perm: str | None = None) -> M:
    if not user.has_perm(view_perm, obj):
        raise Http404(f"No {obj._meta.verbose_name} matches the given query.")
    if change_perm is not None and not user.has_perm(change_perm, obj):
        raise PermissionDenied
    return obj


def get_for_user[M: Model](
    user, queryset: QuerySet[M], view_perm: str, change_perm: str | None = None, **lookup
) -> M:
    try:
        obj = queryset.get(**lookup)
    except ObjectDoesNotExist:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None
    return check_for_user(user, obj, view_perm, change_perm)


def require_perm(user, perm: str, obj=None) -> None:
    """For actions not tied to one object the user may see (creating, for example): 403."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
