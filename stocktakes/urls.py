from django.urls import path

from stocktakes import views

app_name = "stocktakes"

urlpatterns = [
    path("", views.stocktake_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    # The agenda
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/order/", views.agenda_order, name="agenda_order"),
    path("<int:pk>/agenda/<int:item_pk>/", views.agenda_item, name="agenda_item"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/agenda/<int:item_pk>/remove/", views.agenda_remove, name="agenda_remove"),
    # The pack
    path("<int:pk>/pack/", views.pack_preview, name="pack_preview"),
    path("<int:pk>/pack/issue/", views.pack_issue, name="pack_issue"),
    path("<int:pk>/pack/generate/", views.pack_generate, name="pack_generate"),
    path("<int:pk>/pack/runs/<int:generation_pk>/", views.pack_progress, name="pack_progress"),
    path("<int:pk>/pack/runs/<int:generation_pk>/draft.pdf", views.pack_draft, name="pack_draft"),
    path("<int:pk>/pack.pdf", views.pack, name="pack"),
    path("<int:pk>/pack/v<int:number>.pdf", views.issued_pack, name="issued_pack"),
    path("<int:pk>/pack/v<int:number>.html", views.issued_pack_html, name="issued_pack_html"),
    # The meeting and after
    path("<int:pk>/move/<slug:to>/", views.transition, name="transition"),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/meeting/<int:item_pk>/", views.record_item, name="record_item"),
    path("<int:pk>/meeting/<int:item_pk>/actions/", views.add_action, name="add_action"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/follow-up/send/", views.follow_up_send, name="follow_up_send"),
    path(
        "<int:pk>/follow-up/note.<slug:file_format>",
        views.follow_up_file,
        name="follow_up_file",
    ),
    # Actions, across every stocktake
    path("actions/", views.action_log, name="actions"),
    path("actions/<int:pk>/", views.action, name="action"),
    path(
        "actions/from-recommendation/<int:recommendation>/",
        views.action_from_recommendation,
        name="action_from_recommendation",
    ),
    # A priority review commissioned by a decision at a stocktake
    path(
        "reviews/<int:review>/prompted-by/",
        views.review_prompted_by,
        name="review_prompted_by",
    ),
]
