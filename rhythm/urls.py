from django.urls import path

from rhythm import reminder_views

app_name = "rhythm"

urlpatterns: list = [
    path("reminders/", reminder_views.reminder_settings, name="reminder_settings"),
]
