from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.register, name="register"),
    path("decisions/new/", views.decision_record, name="decision_record"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/annul/", views.decision_annul, name="decision_annul"),
    path("decisions/<int:pk>/original/", views.decision_original, name="decision_original"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template/", views.import_template, name="import_template"),
]
