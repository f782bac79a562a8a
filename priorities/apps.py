from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"

    def ready(self) -> None:
        from priorities import default_framework
        from priorities.assessment import DEFAULT_FRAMEWORKS, Framework

        DEFAULT_FRAMEWORKS[Framework.Kind.PRIORITY] = default_framework.load
