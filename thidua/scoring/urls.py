from django.urls import path

from . import score_views, views

urlpatterns = [
    path("cycles/<int:cycle_pk>/", views.scoring_for_cycle, name="scoring_for_cycle"),
    path("cycles/<int:cycle_pk>/copy/", views.scoring_copy, name="scoring_copy"),
    path("tables/<int:pk>/", views.table_detail, name="scoring_table"),
    path("tables/<int:pk>/settings/", views.table_settings, name="scoring_table_settings"),
    path("tables/<int:pk>/freeze/", views.table_freeze, name="scoring_table_freeze"),
    path("tables/<int:pk>/new-version/", views.table_new_version, name="scoring_new_version"),
    path("tables/<int:pk>/items/add/", views.item_add, name="scoring_item_add"),
    path("tables/<int:pk>/bands/add/", views.band_add, name="scoring_band_add"),
    path("items/<int:pk>/edit/", views.item_edit, name="scoring_item_edit"),
    path("items/<int:pk>/move/", views.item_move, name="scoring_item_move"),
    path("items/<int:pk>/delete/", views.item_delete, name="scoring_item_delete"),
    path("items/<int:pk>/try/", views.item_try, name="scoring_item_try"),
    path("formula/check/", views.formula_check, name="scoring_formula_check"),
    path("bands/<int:pk>/edit/", views.band_edit, name="scoring_band_edit"),
    path("bands/<int:pk>/delete/", views.band_delete, name="scoring_band_delete"),
    path("tables/<int:pk>/scores/<str:period>/", score_views.score_matrix, name="scoring_matrix"),
    path("rounds/<int:pk>/self/<int:unit_pk>/", score_views.self_score, name="scoring_self"),
    path("rounds/<int:pk>/verify/<int:unit_pk>/", score_views.verify, name="scoring_verify"),
    path("rounds/<int:pk>/settings/", score_views.round_settings, name="scoring_round_settings"),
    path("rounds/<int:pk>/peer/", score_views.peer_list, name="scoring_peer_list"),
    path(
        "rounds/<int:pk>/peer/<int:scorer_pk>/<int:unit_pk>/",
        score_views.peer_score,
        name="scoring_peer_score",
    ),
    path(
        "rounds/<int:pk>/publish-verification/",
        score_views.publish_verification,
        name="scoring_publish_verification",
    ),
    path("rounds/<int:pk>/answer/<int:unit_pk>/", score_views.answer, name="scoring_answer"),
    path("rounds/<int:pk>/review/<int:unit_pk>/", score_views.second_review, name="scoring_review"),
    path("rounds/<int:pk>/lock/", score_views.round_lock, name="scoring_round_lock"),
    path("rounds/<int:pk>/publish/", score_views.publish, name="scoring_publish"),
    path("rankings/<int:pk>/", score_views.snapshot_detail, name="scoring_snapshot"),
    path(
        "rankings/<int:pk>/report/",
        score_views.snapshot_report_issue,
        name="scoring_snapshot_report",
    ),
]
