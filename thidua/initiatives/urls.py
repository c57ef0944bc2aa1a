from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.initiative_new, name="new"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path(
        "<int:pk>/evidence/<int:file_pk>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "<int:pk>/papers/<int:doc_pk>.<slug:extension>",
        views.paper_download,
        name="paper_download",
    ),
    path("<int:pk>/request/", views.request_file, name="request"),
    path("<int:pk>/review/<slug:scope>/", views.review, name="review"),
    path("<int:pk>/recognise/<slug:scope>/", views.recognise, name="recognise"),
    path("<int:pk>/received/", views.received, name="received"),
]
