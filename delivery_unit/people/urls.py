from django.urls import path

from delivery_unit.people import views

app_name = "people"

urlpatterns = [
    path("", views.people, name="list"),
    path("add/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/unit-leader/", views.unit_leader, name="unit_leader"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("<int:pk>/hand-over/", views.hand_over_view, name="hand_over"),
]
