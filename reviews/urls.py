from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/team/", views.team, name="team"),
    path("<int:pk>/team/<int:member>/remove/", views.team_remove, name="team_remove"),
    path("<int:pk>/terms/", views.terms, name="terms"),
    path("<int:pk>/terms/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/fieldwork/", views.fieldwork, name="fieldwork"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/evidence/<int:evidence>/file/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/findings/", views.findings, name="findings"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("<int:pk>/findings/<int:finding>/", views.finding, name="finding"),
    path(
        "<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation_create",
    ),
    path(
        "<int:pk>/recommendations/<int:recommendation>/",
        views.recommendation,
        name="recommendation",
    ),
    path(
        "<int:pk>/recommendations/<int:recommendation>/edit/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "<int:pk>/recommendations/<int:recommendation>/response/",
        views.respond,
        name="respond",
    ),
    path(
        "<int:pk>/recommendations/<int:recommendation>/progress/",
        views.progress,
        name="progress",
    ),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report/draft.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/report/issue/", views.issue, name="issue"),
    path("<int:pk>/report/v<int:number>.pdf", views.issued_report, name="issued_report"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/follow-up/close/", views.close, name="close"),
]
