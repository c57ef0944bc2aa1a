from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    views_documents,
    views_home,
    views_templates,
)

urlpatterns = [
    path("", views_home.dashboard, name="dashboard"),
    path("search/", views_home.search, name="search"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "campaigns/<int:pk>/documents/<slug:kind>/preview/",
        views_documents.campaign_document_preview,
        name="campaign_document_preview",
    ),
    path(
        "campaigns/<int:pk>/documents/<slug:kind>/issue/",
        views_documents.campaign_document_issue,
        name="campaign_document_issue",
    ),
    path(
        "documents/<int:pk>/download.<slug:extension>",
        views_documents.document_download,
        name="document_download",
    ),
    # Issuing in the background (engineer E): PDF retry, batches, block dossiers.
    path(
        "documents/<int:pk>/pdf-retry/",
        views_documents.document_pdf_retry,
        name="document_pdf_retry",
    ),
    path(
        "campaigns/<int:pk>/documents/",
        views_documents.campaign_documents_panel,
        name="campaign_documents_panel",
    ),
    path(
        "campaigns/<int:pk>/blocks/<int:block_pk>/dossier/",
        views_documents.block_dossier_start,
        name="block_dossier_start",
    ),
    path(
        "campaigns/<int:pk>/awards/new/",
        views_documents.award_decision_new,
        name="award_decision_new",
    ),
    path(
        "campaigns/<int:pk>/awards/template.xlsx",
        views_documents.award_list_template,
        name="award_list_template",
    ),
    path("documents/<int:pk>/", views_documents.document_detail, name="document_detail"),
    path(
        "documents/<int:pk>/certificates/",
        views_documents.decision_certificates_start,
        name="decision_certificates_start",
    ),
    path("documents/batches/<int:pk>/", views_documents.batch_detail, name="document_batch"),
    path(
        "documents/batches/<int:pk>/resume/",
        views_documents.batch_resume,
        name="document_batch_resume",
    ),
    path(
        "documents/batches/<int:pk>/download/",
        views_documents.batch_download,
        name="document_batch_download",
    ),
    # Document templates: agencies' own versions of the Word templates (engineer V).
    path("documents/templates/", views_templates.template_index, name="template_index"),
    path(
        "documents/templates/<int:issuer_pk>/",
        views_templates.template_list,
        name="template_list",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/",
        views_templates.template_detail,
        name="template_detail",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/<slug:which>.docx",
        views_templates.template_download,
        name="template_download",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/versions/<int:pk>.docx",
        views_templates.template_version_download,
        name="template_version_download",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/versions/<int:pk>/activate/",
        views_templates.template_activate,
        name="template_activate",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/reset/",
        views_templates.template_reset,
        name="template_reset",
    ),
]
