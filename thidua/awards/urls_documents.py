"""The award decision issued from an Excel list and an issued document's page, at the site
root where they have always been (the register's own pages are awards.urls, under awards/)."""

from django.urls import path

from . import list_views

urlpatterns = [
    path(
        "campaigns/<int:pk>/awards/new/",
        list_views.award_decision_new,
        name="award_decision_new",
    ),
    path(
        "campaigns/<int:pk>/awards/template.xlsx",
        list_views.award_list_template,
        name="award_list_template",
    ),
    path("documents/<int:pk>/", list_views.document_detail, name="document_detail"),
    path(
        "documents/<int:pk>/certificates/",
        list_views.decision_certificates_start,
        name="decision_certificates_start",
    ),
]
