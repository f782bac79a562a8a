from django.urls import path

from rhythm import reminder_views, views

app_name = "rhythm"

urlpatterns: list = [
    path("owed/", views.owed, name="owed"),
    path("reminders/", reminder_views.reminder_settings, name="reminder_settings"),
]
