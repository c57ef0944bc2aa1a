"""The block dossier's page, at the site root under its campaign where it has always been."""

from django.urls import path

from . import dossier_views

urlpatterns = [
    path(
        "campaigns/<int:pk>/blocks/<int:block_pk>/dossier/",
        dossier_views.block_dossier_start,
        name="block_dossier_start",
    ),
]
