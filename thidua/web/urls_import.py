"""The Excel import pages; included by thidua.web.urls at "import/"."""

from django.urls import path

from . import views_import

urlpatterns = [
    path("", views_import.import_upload, name="import_upload"),
    path("template/", views_import.import_template, name="import_template"),
    path("jobs/<uuid:job_id>/", views_import.import_job, name="import_job"),
    path("jobs/<uuid:job_id>/confirm/", views_import.import_job_confirm, name="import_job_confirm"),
]
