"""The documents app's pages, included at the site root: the public verification pages
under verify/, an issued document's files, batches, and the agencies' template versions."""

from django.urls import path

from . import registry_views, template_views, views

urlpatterns = [
    path("verify/", views.document_verify_form, name="document_verify_form"),
    # <path:> rather than <str:>: a code with a "/" in it must reach the same "not found"
    # page as any other wrong code, not the site's generic 404.
    path("verify/<path:code>/", views.document_verify, name="document_verify"),
    path(
        "documents/<int:pk>/download.<slug:extension>",
        registry_views.document_download,
        name="document_download",
    ),
    path(
        "documents/<int:pk>/pdf-retry/",
        registry_views.document_pdf_retry,
        name="document_pdf_retry",
    ),
    path("documents/batches/<int:pk>/", registry_views.batch_detail, name="document_batch"),
    path(
        "documents/batches/<int:pk>/resume/",
        registry_views.batch_resume,
        name="document_batch_resume",
    ),
    path(
        "documents/batches/<int:pk>/download/",
        registry_views.batch_download,
        name="document_batch_download",
    ),
    # Agencies' own versions of the Word templates.
    path("documents/templates/", template_views.template_index, name="template_index"),
    path(
        "documents/templates/<int:issuer_pk>/",
        template_views.template_list,
        name="template_list",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/",
        template_views.template_detail,
        name="template_detail",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/<slug:which>.docx",
        template_views.template_download,
        name="template_download",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/versions/<int:pk>.docx",
        template_views.template_version_download,
        name="template_version_download",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/versions/<int:pk>/activate/",
        template_views.template_activate,
        name="template_activate",
    ),
    path(
        "documents/templates/<int:issuer_pk>/<slug:key>/reset/",
        template_views.template_reset,
        name="template_reset",
    ),
]
