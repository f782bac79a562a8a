from django.urls import path

from notes import views

app_name = "notes"

urlpatterns = [
    path("", views.note_list, name="list"),
    path("start/", views.start, name="start"),
    path("<int:year>/<int:month>/", views.detail, name="detail"),
    path("<int:year>/<int:month>/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("<int:year>/<int:month>/issue/", views.issue, name="issue"),
    path("<int:year>/<int:month>/reopen/", views.reopen, name="reopen"),
    path("<int:year>/<int:month>/versions/<int:number>.pdf", views.issued_pdf, name="issued_pdf"),
    path("<int:year>/<int:month>/versions/<int:number>/", views.issued_html, name="issued_html"),
]
