"""The shared cache's table (settings.CACHES), made by `migrate` so that every way of setting up the
database has it: Django's `createcachetable`, which does nothing when the table is there."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor) -> None:
    for config in settings.CACHES.values():
        if config["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
            table = schema_editor.quote_name(config["LOCATION"])
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("delivery_unit", "0006_council_roles")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
