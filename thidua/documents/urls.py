from django.urls import path

from . import views

urlpatterns = [
    path("", views.document_verify_form, name="document_verify_form"),
    # <path:> rather than <str:>: a code with a "/" in it must reach the same "not found"
    # page as any other wrong code, not the site's generic 404.
    path("<path:code>/", views.document_verify, name="document_verify"),
]
