"""Proposals up the chain: a block's dossier to the Department's council, the council's
proposal to the level above, and the answer that comes back."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.index, name="index"),
    path("dossiers/new/", views.dossier_prepare, name="dossier_prepare"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier"),
    path("dossiers/<int:pk>/submit/", views.dossier_submit, name="dossier_submit"),
    path("dossiers/<int:pk>/accept/", views.dossier_accept, name="dossier_accept"),
    path("dossiers/<int:pk>/return/", views.dossier_return, name="dossier_return"),
    path("dossiers/<int:pk>/files/", views.dossier_file_add, name="dossier_file_add"),
    path("dossiers/<int:pk>/files/<int:file_pk>/", views.dossier_file, name="dossier_file"),
    path("dossiers/<int:pk>/to-trinh.docx", views.dossier_proposal_draft, name="dossier_draft"),
    path("council/", views.council_agenda, name="council_agenda"),
    path("upward/new/", views.upward_create, name="upward_create"),
    path("upward/<int:pk>/", views.upward_detail, name="upward"),
    path("upward/<int:pk>/issue/", views.upward_issue, name="upward_issue"),
    path("upward/<int:pk>/status/", views.upward_status, name="upward_status"),
    path("upward/<int:pk>/answer/", views.upward_answer, name="upward_answer"),
]
