from django.urls import path

from rhythm import on_time_views, reminder_views, views

app_name = "rhythm"

urlpatterns: list = [
    path("owed/", views.owed, name="owed"),
    path("on-time/", on_time_views.on_time_page, name="on_time"),
    path("on-time/export/", on_time_views.on_time_export, name="on_time_export"),
    path("reminders/", reminder_views.reminder_settings, name="reminder_settings"),
]
