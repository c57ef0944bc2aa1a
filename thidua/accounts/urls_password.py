"""Django's password views under their standard names, with the project's templates and
forms whose saving is audited."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .forms import PasswordChangeForm, SetPasswordForm

urlpatterns = [
    path(
        "change/",
        auth_views.PasswordChangeView.as_view(
            form_class=PasswordChangeForm, extra_context={"title": _("Change your password")}
        ),
        name="password_change",
    ),
    path(
        "change/done/",
        auth_views.PasswordChangeDoneView.as_view(extra_context={"title": _("Password changed")}),
        name="password_change_done",
    ),
    path(
        "reset/",
        auth_views.PasswordResetView.as_view(extra_context={"title": _("Forgot your password?")}),
        name="password_reset",
    ),
    path(
        "reset/sent/",
        auth_views.PasswordResetDoneView.as_view(extra_context={"title": _("Check your e-mail")}),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm, extra_context={"title": _("Choose a new password")}
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            extra_context={"title": _("Password changed")}
        ),
        name="password_reset_complete",
    ),
]
