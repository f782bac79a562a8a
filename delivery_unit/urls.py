"""The one place that names every app's URLs."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from delivery_unit import views
from delivery_unit.forms import SignInForm
from stocktakes.views import home

# The 400, 403 and 404 pages are Django's own views with the templates of those names; the 500
# page renders without the database.
handler500 = "delivery_unit.views.server_error"

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
    path("assessment/framework/", include("priorities.framework_urls")),
    path("assessment/", include("priorities.assessment_urls")),
    path("reviews/", include("reviews.urls")),
    path("stocktakes/", include("stocktakes.urls")),
]
