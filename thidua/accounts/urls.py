from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="home"),
    path("security/", views.security, name="security"),
    path("security/unlock/", views.unlock, name="unlock"),
    path(
        "security/second-factor/<int:user_id>/reset/",
        views.second_factor_reset,
        name="otp_reset",
    ),
    path("2fa/", views.second_factor_setup, name="otp_setup"),
    path("2fa/verify/", views.second_factor_verify, name="otp_verify"),
]
