from django.urls import path

from priorities import views

app_name = "priorities"

urlpatterns = [
    path("", views.register, name="register"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/rate/", views.rate, name="rate"),
]
