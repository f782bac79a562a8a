from django.apps import AppConfig


class ForwardLookConfig(AppConfig):
    """The forward look: the unit's routines on a calendar, and each person's iCalendar feed."""

    name = "forward_look"
    verbose_name = "Forward look"
