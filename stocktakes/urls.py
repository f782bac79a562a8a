from django.urls import path

from stocktakes import views

app_name = "stocktakes"

urlpatterns = [
    path("", views.stocktake_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pack.pdf", views.pack, name="pack"),
]
