from django.urls import path

from .views import rounds as round_views
from .views import sheets as sheet_views
from .views import tables as table_views

urlpatterns = [
    path("cycles/<int:cycle_pk>/", table_views.scoring_for_cycle, name="scoring_for_cycle"),
    path("cycles/<int:cycle_pk>/copy/", table_views.scoring_copy, name="scoring_copy"),
    path("tables/<int:pk>/", table_views.table_detail, name="scoring_table"),
    path("tables/<int:pk>/settings/", table_views.table_settings, name="scoring_table_settings"),
    path("tables/<int:pk>/freeze/", table_views.table_freeze, name="scoring_table_freeze"),
    path("tables/<int:pk>/new-version/", table_views.table_new_version, name="scoring_new_version"),
    path("tables/<int:pk>/items/add/", table_views.item_add, name="scoring_item_add"),
    path("tables/<int:pk>/bands/add/", table_views.band_add, name="scoring_band_add"),
    path("items/<int:pk>/edit/", table_views.item_edit, name="scoring_item_edit"),
    path("items/<int:pk>/move/", table_views.item_move, name="scoring_item_move"),
    path("items/<int:pk>/delete/", table_views.item_delete, name="scoring_item_delete"),
    path("items/<int:pk>/try/", table_views.item_try, name="scoring_item_try"),
    path("formula/check/", table_views.formula_check, name="scoring_formula_check"),
    path("bands/<int:pk>/edit/", table_views.band_edit, name="scoring_band_edit"),
    path("bands/<int:pk>/delete/", table_views.band_delete, name="scoring_band_delete"),
    path("tables/<int:pk>/scores/<str:period>/", round_views.score_matrix, name="scoring_matrix"),
    path("rounds/<int:pk>/self/<int:unit_pk>/", round_views.self_score, name="scoring_self"),
    path("rounds/<int:pk>/verify/<int:unit_pk>/", round_views.verify, name="scoring_verify"),
    path("rounds/<int:pk>/settings/", round_views.round_settings, name="scoring_round_settings"),
    path("rounds/<int:pk>/peer/", round_views.peer_list, name="scoring_peer_list"),
    path(
        "rounds/<int:pk>/peer/<int:scorer_pk>/<int:unit_pk>/",
        round_views.peer_score,
        name="scoring_peer_score",
    ),
    path(
        "rounds/<int:pk>/publish-verification/",
        round_views.publish_verification,
        name="scoring_publish_verification",
    ),
    path("rounds/<int:pk>/answer/<int:unit_pk>/", round_views.answer, name="scoring_answer"),
    path("rounds/<int:pk>/review/<int:unit_pk>/", round_views.second_review, name="scoring_review"),
    path("rounds/<int:pk>/lock/", round_views.round_lock, name="scoring_round_lock"),
    path("rounds/<int:pk>/publish/", round_views.publish, name="scoring_publish"),
    path("rankings/<int:pk>/", round_views.snapshot_detail, name="scoring_snapshot"),
    path(
        "rankings/<int:pk>/report/",
        round_views.snapshot_report_issue,
        name="scoring_snapshot_report",
    ),
    # The scoring sheets (XLSX) and the charts of a round.
    path("sheets/rounds/<int:pk>/", sheet_views.sheets_index, name="scoring_sheet_index"),
    path(
        "sheets/rounds/<int:pk>/matrix.xlsx", sheet_views.matrix_export, name="scoring_sheet_matrix"
    ),
    path(
        "sheets/rounds/<int:pk>/ranking/", sheet_views.ranking_chart, name="scoring_sheet_ranking"
    ),
    path(
        "sheets/rounds/<int:pk>/profile/<int:unit_pk>/",
        sheet_views.unit_profile,
        name="scoring_sheet_profile",
    ),
    path(
        "sheets/rounds/<int:pk>/<str:mode>/<int:unit_pk>/download/",
        sheet_views.sheet_download,
        name="scoring_sheet_download",
    ),
    path(
        "sheets/rounds/<int:pk>/<str:mode>/<int:unit_pk>/upload/",
        sheet_views.sheet_upload,
        name="scoring_sheet_upload",
    ),
    path(
        "sheets/rounds/<int:pk>/<str:mode>/<int:unit_pk>/confirm/",
        sheet_views.sheet_confirm,
        name="scoring_sheet_confirm",
    ),
]
