"""The campaign plan's pages: campaigns, content groups and criteria, milestones, a block
cycle's next step. Included by thidua.urls at the site root, so their paths keep their old
places."""

from django.urls import path

from . import document_views, views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_edit, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/groups/new/", views.group_edit, name="group_create"),
    path("campaigns/<int:pk>/groups/<int:group_pk>/", views.group_edit, name="group_edit"),
    path("groups/<int:group_pk>/criteria/new/", views.criterion_edit, name="criterion_create"),
    path("groups/<int:group_pk>/criteria/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path("campaigns/<int:pk>/milestones/new/", views.milestone_edit, name="milestone_create"),
    path(
        "campaigns/<int:pk>/milestones/<int:milestone_pk>/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "campaigns/<int:pk>/cycles/open/", views.campaign_cycles_open, name="campaign_cycles_open"
    ),
    path("blocks/terms/<int:pk>/open-year/", views.term_cycle_open, name="term_cycle_open"),
    path("cycles/<int:pk>/advance/", views.cycle_advance, name="cycle_advance"),
    # The campaign's documents (campaigns.issuing).
    path(
        "campaigns/<int:pk>/documents/<slug:kind>/preview/",
        document_views.campaign_document_preview,
        name="campaign_document_preview",
    ),
    path(
        "campaigns/<int:pk>/documents/<slug:kind>/issue/",
        document_views.campaign_document_issue,
        name="campaign_document_issue",
    ),
    path(
        "campaigns/<int:pk>/documents/",
        document_views.campaign_documents_panel,
        name="campaign_documents_panel",
    ),
]
