from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_home, name="report_home"),
    path("cycles/<int:cycle_pk>/<str:period>/", views.report_board, name="report_board"),
    path(
        "cycles/<int:cycle_pk>/<str:period>/export/",
        views.report_export,
        name="report_export",
    ),
    path(
        "cycles/<int:cycle_pk>/<str:period>/close/",
        views.report_collection_close,
        name="report_collection_close",
    ),
    path("exports/<int:pk>/", views.report_export_state, name="report_export_state"),
    path("exports/<int:pk>/download/", views.report_export_download, name="report_export_download"),
    path(
        "cycles/<int:cycle_pk>/<str:period>/units/<int:unit_pk>/",
        views.report_for_unit,
        name="report_for_unit",
    ),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/evidence/", views.evidence_upload, name="report_evidence_upload"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/",
        views.evidence_download,
        name="report_evidence_download",
    ),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="report_evidence_remove",
    ),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("<int:pk>/versions/", views.report_versions, name="report_versions"),
    path("<int:pk>/versions/<int:number>/", views.report_version, name="report_version"),
]
