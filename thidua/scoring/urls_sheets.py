from django.urls import path

from . import sheet_views

urlpatterns = [
    path("rounds/<int:pk>/", sheet_views.sheets_index, name="scoring_sheet_index"),
    path("rounds/<int:pk>/matrix.xlsx", sheet_views.matrix_export, name="scoring_sheet_matrix"),
    path("rounds/<int:pk>/ranking/", sheet_views.ranking_chart, name="scoring_sheet_ranking"),
    path(
        "rounds/<int:pk>/profile/<int:unit_pk>/",
        sheet_views.unit_profile,
        name="scoring_sheet_profile",
    ),
    path(
        "rounds/<int:pk>/<str:mode>/<int:unit_pk>/download/",
        sheet_views.sheet_download,
        name="scoring_sheet_download",
    ),
    path(
        "rounds/<int:pk>/<str:mode>/<int:unit_pk>/upload/",
        sheet_views.sheet_upload,
        name="scoring_sheet_upload",
    ),
    path(
        "rounds/<int:pk>/<str:mode>/<int:unit_pk>/confirm/",
        sheet_views.sheet_confirm,
        name="scoring_sheet_confirm",
    ),
]
