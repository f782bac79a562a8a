"""The one place that names every app's URLs."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from delivery_unit import views
from delivery_unit.forms import SignInForm
from home.views import home

urlpatterns = [
    path("", home, name="home"),
    path("health/", views.health, name="health"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("priorities/", include("priorities.urls")),
    path("priorities/", include("plans.urls")),
    path("assessment/framework/", include("assessment.urls")),
    path("assessment/", include("priorities.rounds.urls")),
    path("reviews/", include("reviews.urls")),
    path("stocktakes/", include("stocktakes.urls")),
]
