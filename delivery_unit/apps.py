from django.apps import AppConfig


class DeliveryUnitConfig(AppConfig):
    name = "delivery_unit"
    verbose_name = "Delivery unit"
