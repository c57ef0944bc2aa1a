from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.org.models import User

from . import second_factor, selectors, services
from .forms import CodeForm, UnlockForm
from .permissions import is_administrator, may_use_second_factor


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The person's own account: password, second factor."""
    context = {
        "title": _("Your account"),
        "is_administrator": is_administrator(request.user),
        "may_use_second_factor": may_use_second_factor(request.user),
        "second_factor": second_factor.confirmed_device(request.user),
    }
    return render(request, "accounts/account.html", context)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The administrator's page: who is locked out, and who uses a second factor."""
    if not is_administrator(request.user):
        raise PermissionDenied(_("Only an administrator can see the accounts' security."))
    context = {
        "lockouts": selectors.current_lockouts(),
        "second_factor_users": selectors.second_factor_users(),
        "title": _("Accounts' security"),
    }
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


@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code, type the first code."""
    me = _me(request)
    if second_factor.confirmed_device(me) is not None:
        return redirect("accounts:home")
    device = services.second_factor_start(user=me)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        token = form.cleaned_data["token"]
        if services.second_factor_confirm(user=me, device=device, token=token):
            django_otp.login(request, device)
            messages.success(request, _("The second factor is on: each login now asks a code."))
            return redirect("accounts:home")
        form.add_error("token", _("This code is not right. Check the phone's clock."))
    context = {
        "form": form,
        "title": _("Turn on the second factor"),
        "qr": second_factor.qr_svg(device),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
    }
    return render(request, "accounts/second_factor_setup.html", context)


@login_required
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """At login, for a person whose account has a second factor."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = services.second_factor_check(user=_me(request), token=form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            request.session.pop(second_factor.PENDING_KEY, None)
            return redirect(target or "dashboard")
        form.add_error("token", _("This code is not right. Check the phone's clock."))
    context = {"form": form, "title": _("Code from your phone")}
    return render(request, "accounts/second_factor_verify.html", context)


@login_required
@require_POST
def second_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=user_id)
    services.second_factor_reset(actor=request.user, user=person)
    messages.success(request, _("The second factor of %(person)s is removed.") % {"person": person})
    return redirect("accounts:security")


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user
