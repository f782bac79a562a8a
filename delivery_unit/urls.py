"""The one place that names every app's URLs."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from delivery_unit import views
from delivery_unit.forms import NewPasswordForm, ResetPasswordForm, SignInForm
from home.views import home

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
    path("sign-in/sso/", views.SSOStart.as_view(), name="oidc_start"),
    path("sign-in/sso/callback/", views.SSOCallback.as_view(), name="oidc_callback"),
    path(
        "sign-in/reset/",
        views.password_journey(
            auth_views.PasswordResetView.as_view(
                form_class=ResetPasswordForm,
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
            )
        ),
        name="password_reset",
    ),
    path(
        "sign-in/reset/sent/",
        views.password_journey(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "sign-in/reset/<uidb64>/<token>/",
        views.password_journey(
            auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm)
        ),
        name="password_reset_confirm",
    ),
    path(
        "sign-in/reset/done/",
        views.password_journey(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("account/password/", views.change_password, name="password_change"),
    path(
        "account/password/changed/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_changed.html"
        ),
        name="password_change_done",
    ),
    path("people/", include("delivery_unit.people.urls")),
    path("priorities/", include("priorities.urls")),
    path("priorities/", include("plans.urls")),
    path("assessment/framework/", include("assessment.urls")),
    path("assessment/", include("priorities.rounds.urls")),
    path("reviews/", include("reviews.urls")),
    path("stocktakes/", include("stocktakes.urls")),
    path("rhythm/", include("rhythm.urls")),
    path("forward-look/", include("forward_look.urls")),
    path("monthly-notes/", include("notes.urls")),
]
