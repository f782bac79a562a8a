from django.urls import path

from priorities import framework_views

app_name = "framework"

urlpatterns = [
    path("<str:kind>/", framework_views.framework, name="framework"),
    path("<str:kind>/versions/<int:number>/", framework_views.version, name="version"),
    path("<str:kind>/edit/", framework_views.edit, name="edit"),
    path("<str:kind>/areas/new/", framework_views.add_area, name="add_area"),
    path("<str:kind>/areas/<slug:key>/retire/", framework_views.retire_area, name="retire_area"),
]
