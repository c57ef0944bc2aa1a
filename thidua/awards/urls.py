from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.register_export, name="register_export"),
    path("decisions/new/", views.decision_record, name="decision_record"),
    path("decisions/draft/", views.decision_draft, name="decision_draft"),
    path("decisions/draft/bonus/", views.decision_bonus, name="decision_bonus"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/annul/", views.decision_annul, name="decision_annul"),
    path("decisions/<int:pk>/original/", views.decision_original, name="decision_original"),
    path(
        "decisions/<int:pk>/certificates/",
        views.decision_certificates,
        name="decision_certificates",
    ),
    path("import/", views.import_upload, name="import_upload"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template/", views.import_template, name="import_template"),
]
