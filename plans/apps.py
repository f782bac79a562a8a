from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self) -> None:
        from assessment.kinds import register_kind
        from plans import default_criteria

        register_kind(default_criteria.KIND, "Delivery plan criteria", default_criteria.load)
