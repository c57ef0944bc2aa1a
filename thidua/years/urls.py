"""Starting a year from the last one."""

from django.urls import path

from . import views

urlpatterns = [
    path("start/", views.year_start, name="year_start"),
    path("start/<int:agency_pk>/<int:year>/", views.year_start_preview, name="year_start_preview"),
]
