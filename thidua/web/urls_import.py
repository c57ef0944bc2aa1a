"""The Excel import pages; included by thidua.web.urls at "import/"."""

from django.urls import path, re_path

from . import views_import

SHA = r"(?P<sha>[0-9a-f]{64})"

urlpatterns = [
    path("", views_import.import_upload, name="import_upload"),
    path("template/", views_import.import_template, name="import_template"),
    re_path(rf"^{SHA}/$", views_import.import_preview, name="import_preview"),
    re_path(rf"^{SHA}/confirm/$", views_import.import_confirm, name="import_confirm"),
]
