from django.urls import path

from forward_look import views

app_name = "forward_look"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("feed/", views.feed_page, name="feed_page"),
    path("feed/new/", views.feed_create, name="feed_create"),
    path("feed/replace/", views.feed_replace, name="feed_replace"),
    path("feed/stop/", views.feed_revoke, name="feed_revoke"),
    path("feed/<int:pk>/<str:token>.ics", views.feed, name="feed"),
]
