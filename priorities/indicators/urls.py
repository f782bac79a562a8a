"""The indicators' routes, in the priorities namespace (``priorities:data``, ...): they are the
priority's own evidence and share its URL space. Included before the priority's ``<slug>/`` page,
since some start with a fixed word (``import/``, ``data/``, ``indicators/``)."""

from django.urls import path

from priorities import views
from priorities.indicators import grid_views, import_views, indicator_views

urlpatterns = [
    path("import/", import_views.import_data, name="import"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("data/export/", import_views.export_all_data, name="export_all_data"),
    path("<slug:slug>/data/", grid_views.data, name="data"),
    path("<slug:slug>/data/export/", import_views.export_data, name="export_data"),
    path("<slug:slug>/data/<str:code>/<str:period>/", grid_views.data_cell, name="data_cell"),
    path(
        "<slug:slug>/indicators/new/",
        indicator_views.indicator_create,
        name="indicator_create",
    ),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path("indicators/<str:code>/edit/", indicator_views.indicator_edit, name="indicator_edit"),
    path("indicators/<str:code>/trajectory/", indicator_views.trajectory, name="trajectory"),
]
