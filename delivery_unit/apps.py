from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DeliveryUnitConfig(AppConfig):
    name = "delivery_unit"
    verbose_name = "Delivery unit"

    def ready(self) -> None:
        post_migrate.connect(empty_the_cache, sender=self)


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
