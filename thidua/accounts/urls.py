from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="home"),
    path("security/", views.security, name="security"),
    path("security/unlock/", views.unlock, name="unlock"),
]
