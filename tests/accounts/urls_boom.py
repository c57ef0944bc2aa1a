"""The project's URLs plus one view that fails, for the 500 page's tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from thidua.urls import urlpatterns as project_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
