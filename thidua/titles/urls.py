from django.urls import path

from . import views

app_name = "titles"

urlpatterns = [
    path("overrides/<int:agency_pk>/", views.overrides, name="overrides"),
    path("overrides/<int:agency_pk>/new/", views.override_new, name="override_new"),
]
