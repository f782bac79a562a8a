from django.urls import path

from priorities import assessment_views, grid_views, import_views, indicator_views, views

app_name = "priorities"

urlpatterns = [
    path("", views.register, name="register"),
    path("register.<str:file_format>", views.register_export, name="register_export"),
    path("new/", views.create, name="create"),
    path("import/", import_views.import_data, name="import"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("data/export/", import_views.export_all_data, name="export_all_data"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/ratings/", assessment_views.rating_history_view, name="rating_history"),
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
