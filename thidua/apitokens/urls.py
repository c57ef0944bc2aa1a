from django.urls import path

from . import views

app_name = "apitokens"

urlpatterns = [
    path("", views.tokens, name="mine"),
    path("all/", views.every_token, name="every"),
    path("<int:token_id>/revoke/", views.revoke, name="revoke"),
]
