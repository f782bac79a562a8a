from django.apps import AppConfig


class StocktakesConfig(AppConfig):
    name = "stocktakes"
