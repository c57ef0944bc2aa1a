from django.contrib.auth import views as auth_views
from django.urls import path

from . import views_home

urlpatterns = [
    path("", views_home.dashboard, name="dashboard"),
    path("search/", views_home.search, name="search"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
