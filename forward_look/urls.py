from django.urls import path  # noqa: F401

app_name = "forward_look"

urlpatterns: list = []
