from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self) -> None:
        from plans import default_criteria
        from priorities.assessment import DEFAULT_FRAMEWORKS, Framework

        DEFAULT_FRAMEWORKS[Framework.Kind.PLAN] = default_criteria.load
