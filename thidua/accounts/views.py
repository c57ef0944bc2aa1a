from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import UnlockForm
from .permissions import is_administrator


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The person's own account: password, second factor."""
    context = {"title": _("Your account"), "is_administrator": is_administrator(request.user)}
    return render(request, "accounts/account.html", context)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The administrator's page: who is locked out, and who uses a second factor."""
    if not is_administrator(request.user):
        raise PermissionDenied(_("Only an administrator can see the accounts' security."))
    context = {"lockouts": selectors.current_lockouts(), "title": _("Accounts' security")}
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    form = UnlockForm(request.POST)
    if form.is_valid():
        value = form.cleaned_data["value"]
        services.account_unlock(actor=request.user, **{form.cleaned_data["kind"]: value})
        messages.success(request, _("The lockout of “%(value)s” is lifted.") % {"value": value})
    return redirect("accounts:security")
