"""Service staff become a role of their own. Until now they carried the priority lead role: a
person with that role who leads no priority, and is named as a priority's service staff or as a
writer of a plan, is service staff."""

from django.db import migrations


def service_staff(apps, schema_editor):
    User = apps.get_model("delivery_unit", "User")
    Priority = apps.get_model("priorities", "Priority")
    DeliveryPlan = apps.get_model("plans", "DeliveryPlan")
    named = set(Priority.service_staff.through.objects.values_list("user_id", flat=True)) | set(
        DeliveryPlan.writers.through.objects.values_list("user_id", flat=True)
    )
    leads = set(Priority.objects.exclude(lead=None).values_list("lead_id", flat=True))
    User.objects.filter(role="priority_lead", pk__in=named - leads).update(role="service_staff")


def priority_leads_again(apps, schema_editor):
    User = apps.get_model("delivery_unit", "User")
    User.objects.filter(role="service_staff").update(role="priority_lead")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0006_history"),
        ("priorities", "0013_link_cabinet_members"),
        ("delivery_unit", "0006_council_roles"),
    ]

    operations = [migrations.RunPython(service_staff, priority_leads_again)]
