from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    # Two segments that no priority's own pages use ("plans" is a reserved slug).
    path("plans/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/plan/", views.detail, name="detail"),
    path("<slug:slug>/plan/start/", views.start, name="start"),
    path("<slug:slug>/plan/writers/", views.writers, name="writers"),
    path("<slug:slug>/plan/compare/", views.compare_versions, name="compare"),
    path("<slug:slug>/plan/history/", views.history, name="history"),
    path("<slug:slug>/plan/versions/<int:number>/", views.version, name="version"),
    path("<slug:slug>/plan/versions/<int:number>/pdf/", views.pdf, name="pdf"),
    path("<slug:slug>/plan/versions/<int:number>/submit/", views.submit, name="submit"),
    path("<slug:slug>/plan/versions/<int:number>/decide/", views.decide, name="decide"),
    path("<slug:slug>/plan/versions/<int:number>/assess/", views.assess, name="assess"),
    path(
        "<slug:slug>/plan/versions/<int:number>/criteria/<str:key>/challenge/",
        views.challenge,
        name="challenge",
    ),
    path(
        "<slug:slug>/plan/versions/<int:number>/sections/<str:key>/",
        views.section,
        name="section",
    ),
    path(
        "<slug:slug>/plan/versions/<int:number>/sections/<str:key>/comments/",
        views.comment,
        name="comment",
    ),
    path(
        "<slug:slug>/plan/versions/<int:number>/<str:part>/new/",
        views.item_add,
        name="item_add",
    ),
    path(
        "<slug:slug>/plan/versions/<int:number>/<str:part>/<int:pk>/",
        views.item_edit,
        name="item_edit",
    ),
    path(
        "<slug:slug>/plan/versions/<int:number>/<str:part>/<int:pk>/remove/",
        views.item_remove,
        name="item_remove",
    ),
]
