"""The second factor (TOTP, django-otp): enrolment, verification at login, reset.

A session whose person has a confirmed device is "pending" until a code from that device is
given; until then every page but the code's own page and the logout leads to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_KEY = "_thidua_second_factor_pending"
# Pages a pending session may open: the code's page, leaving, the language, static files.
OPEN_PATHS = ("/accounts/2fa/verify/", "/logout/", "/i18n/", "/static/")


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def mark_login(request: HttpRequest, user: Any) -> None:
    """At login: a person with a confirmed device must give a code before anything else."""
    if confirmed_device(user) is not None:
        request.session[PENDING_KEY] = True


def is_verified(request: HttpRequest) -> bool:
    return DEVICE_ID_SESSION_KEY in request.session


def qr_svg(device: TOTPDevice) -> SafeString:
    # segno writes the SVG itself: no image request, nothing for the CSP to allow.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#212529")
    return mark_safe(svg)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(PENDING_KEY)
            and not is_verified(request)
            and not request.path.startswith(OPEN_PATHS)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:otp_verify')}?{query}")
        return self.get_response(request)
