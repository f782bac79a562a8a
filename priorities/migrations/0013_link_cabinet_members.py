"""Each priority's cabinet member, typed as text until now, linked to the person with an account
here whose name it gives, where exactly one matches ("Cllr Ruth Okonjo, Cabinet Member for
Housing" matches Ruth Okonjo). The text is kept as it was typed; where nobody matches, it stays
the cabinet member."""

import re

from django.db import migrations

TITLES = {"cllr", "cllr.", "councillor", "mr", "mrs", "ms", "miss", "dr", "mx"}


def normalised(name: str) -> str:
    words = [word for word in re.split(r"\s+", name.casefold().strip()) if word]
    while words and words[0] in TITLES:
        words.pop(0)
    return " ".join(words)


def link(apps, schema_editor):
    Priority = apps.get_model("priorities", "Priority")
    User = apps.get_model("delivery_unit", "User")
    people: dict[str, list[int]] = {}
    for pk, first, last in User.objects.filter(is_active=True).values_list(
        "pk", "first_name", "last_name"
    ):
        key = normalised(f"{first} {last}")
        if key:
            people.setdefault(key, []).append(pk)
    for priority in Priority.objects.exclude(cabinet_member="").filter(
        portfolio_holder__isnull=True
    ):
        found = people.get(normalised(priority.cabinet_member.split(",")[0]), [])
        if len(found) == 1:
            Priority.objects.filter(pk=priority.pk).update(portfolio_holder_id=found[0])


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0012_council_roles"),
        ("delivery_unit", "0006_council_roles"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
