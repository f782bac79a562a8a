from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("<slug:slug>/plan/", views.detail, name="detail"),
    path("<slug:slug>/plan/edit/", views.edit, name="edit"),
]
