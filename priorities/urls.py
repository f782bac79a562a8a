from django.urls import include, path

from priorities import views
from priorities.indicators import urls as indicator_urls
from priorities.rounds import views as round_views

app_name = "priorities"

urlpatterns = [
    path("", views.register, name="register"),
    path("register.<str:file_format>", views.register_export, name="register_export"),
    path("new/", views.create, name="create"),
    path("", include(indicator_urls)),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/ratings/", round_views.rating_history_view, name="rating_history"),
]
