from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils import timezone


class DeliveryUnitConfig(AppConfig):
    name = "delivery_unit"
    verbose_name = "Delivery unit"

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        post_migrate.connect(empty_the_cache, sender=self)
        # Django's own receiver saves the person's last sign-in, and django-simple-history would
        # record that save as an edit of the person (showing no change: last_login is not
        # recorded), changing at every sign-in the stamp of people's records
        # (delivery_unit.stamps) that the delivery report's kept table is made from. This one
        # saves it unrecorded.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(record_sign_in, dispatch_uid="update_last_login")


def record_sign_in(sender, user, **kwargs) -> None:
    """When the person last signed in, kept as Django keeps it, without a history record."""
    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving


def empty_the_cache(sender, using: str = "default", **kwargs) -> None:
    """Empty the shared cache after every `migrate` (so after every release, whose templates and
    code may render what it keeps differently) and every `flush` (which empties the tables and,
    with their ids starting again, would let a rebuilt council's keys meet the old council's)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connections

    for alias, config in settings.CACHES.items():
        if config["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
            caches[alias].clear()
            continue
        # Only where the table is, in the database migrated: a migration to an earlier state
        # than the one that makes it leaves none.
        if config["LOCATION"] in connections[using].introspection.table_names():
            caches[alias].clear()
