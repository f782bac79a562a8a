from django.urls import path

from priorities.rounds import views

app_name = "assessment"

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report.csv", views.report_csv, name="report_csv"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/", views.open_round, name="open_round"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/moderation/", views.moderation, name="moderation"),
    path(
        "rounds/<int:pk>/moderation/<slug:slug>/<slug:key>/",
        views.moderation_cell,
        name="moderation_cell",
    ),
    path("rounds/<int:pk>/start-moderation/", views.start_moderation, name="start_moderation"),
    path("rounds/<int:pk>/agree/", views.agree, name="agree"),
    path("rounds/<int:pk>/<slug:slug>/", views.entry, name="entry"),
    path("rounds/<int:pk>/<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("rounds/<int:pk>/<slug:slug>/leave-out/", views.exclude, name="exclude"),
    path(
        "rounds/<int:pk>/<slug:slug>/self-assessment/",
        views.self_assessment,
        name="self_assessment",
    ),
    path("rounds/<int:pk>/<slug:slug>/<slug:key>/challenge/", views.challenge, name="challenge"),
    path("rounds/<int:pk>/<slug:slug>/<slug:key>/amend/", views.amend, name="amend"),
]
