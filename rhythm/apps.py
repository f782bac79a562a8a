from django.apps import AppConfig


class RhythmConfig(AppConfig):
    """The unit's monthly rhythm: what each person owes and when, reminders and the weekly
    digest, and who updates on time. It sits above every app whose work it gathers."""

    name = "rhythm"
