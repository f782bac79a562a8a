from django.apps import AppConfig


class NotesConfig(AppConfig):
    """The monthly note to the Chief Executive and the Leader, between stocktakes."""

    name = "notes"
    verbose_name = "Monthly notes"
