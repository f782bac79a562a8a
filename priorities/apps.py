from importlib import import_module

from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    # The register's models are in models.py; the indicators and the rating rounds keep theirs
    # beside their views, in their own part of the app.
    model_modules = ("priorities.indicators.models", "priorities.rounds.models")

    def import_models(self) -> None:
        super().import_models()
        for module in self.model_modules:
            import_module(module)

    def ready(self) -> None:
        from assessment.kinds import register_kind
        from priorities import default_framework, holdings

        register_kind(default_framework.KIND, "Assessment framework", default_framework.load)
        # What a person holds here, listed and handed over on their page.
        holdings.register()
