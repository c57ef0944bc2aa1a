from django.urls import path

from . import views

urlpatterns = [
    path("trust-roots/", views.trust_roots, name="signatures_trust_roots"),
    path("documents/<int:pk>/", views.document_signed_copies, name="signatures_document"),
    path("files/<int:pk>/", views.signed_pdf_file, name="signatures_file"),
]
