from django.urls import path

from assessment import views

app_name = "framework"

urlpatterns = [
    path("<str:kind>/", views.framework, name="framework"),
    path("<str:kind>/versions/<int:number>/", views.version, name="version"),
    path("<str:kind>/edit/", views.edit, name="edit"),
    path("<str:kind>/areas/new/", views.add_area, name="add_area"),
    path("<str:kind>/areas/<slug:key>/retire/", views.retire_area, name="retire_area"),
]
