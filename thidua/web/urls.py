from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import (
    views_blocks,
    views_campaigns,
    views_documents,
    views_home,
    views_org,
    views_templates,
)

urlpatterns = [
    path("", views_home.dashboard, name="dashboard"),
    path("search/", views_home.search, name="search"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Organisation
    path("org/", views_org.org_tree, name="org_tree"),
    path("org/units/new/", views_org.unit_create, name="unit_create"),
    path("org/units/<int:pk>/", views_org.unit_detail, name="unit_detail"),
    path("org/units/<int:pk>/rating/", views_org.unit_rating_set, name="unit_rating_set"),
    path("org/units/<int:pk>/delete/", views_org.unit_delete, name="unit_delete"),
    path("org/units/<int:pk>/<slug:operation>/", views_org.unit_operation, name="unit_operation"),
    path("org/people/", views_org.person_list, name="person_list"),
    path("org/people/new/", views_org.person_create, name="person_create"),
    path("org/people/<int:pk>/", views_org.person_detail, name="person_detail"),
    path("org/people/<int:pk>/edit/", views_org.person_edit, name="person_edit"),
    path("org/people/<int:pk>/employment/", views_org.employment_add, name="employment_add"),
    path("org/people/<int:pk>/rating/", views_org.rating_set, name="rating_set"),
    path("org/people/<int:pk>/discipline/", views_org.discipline_add, name="discipline_add"),
    path("org/people/<int:pk>/archive/", views_org.person_archive, name="person_archive"),
    # Blocks and councils
    path("blocks/", views_blocks.block_list, name="block_list"),
    path("blocks/new/", views_blocks.block_create, name="block_create"),
    path("blocks/<int:pk>/terms/new/", views_blocks.block_term_create, name="block_term_create"),
    path("blocks/terms/<int:pk>/", views_blocks.block_term_detail, name="block_term_detail"),
    path("blocks/terms/<int:pk>/edit/", views_blocks.block_term_edit, name="block_term_edit"),
    path("councils/<int:pk>/", views_blocks.council_detail, name="council_detail"),
    path("councils/<int:pk>/edit/", views_blocks.council_edit, name="council_edit"),
    path(
        "councils/<int:pk>/members/new/", views_blocks.council_member_add, name="council_member_add"
    ),
    # Campaigns
    path("campaigns/", views_campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", views_campaigns.campaign_edit, name="campaign_create"),
    path("campaigns/<int:pk>/", views_campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views_campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/groups/new/", views_campaigns.group_edit, name="group_create"),
    path(
        "campaigns/<int:pk>/groups/<int:group_pk>/", views_campaigns.group_edit, name="group_edit"
    ),
    path(
        "groups/<int:group_pk>/criteria/new/",
        views_campaigns.criterion_edit,
        name="criterion_create",
    ),
    path(
        "groups/<int:group_pk>/criteria/<int:pk>/",
        views_campaigns.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "campaigns/<int:pk>/milestones/new/",
        views_campaigns.milestone_edit,
        name="milestone_create",
    ),
    path(
        "campaigns/<int:pk>/milestones/<int:milestone_pk>/",
        views_campaigns.milestone_edit,
        name="milestone_edit",
    ),
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
    path("cycles/<int:pk>/advance/", views_campaigns.cycle_advance, name="cycle_advance"),
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
    path("import/", include("thidua.web.urls_import")),
]
