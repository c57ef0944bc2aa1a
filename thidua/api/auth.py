"""Who calls: a personal API token (`Authorization: Bearer thd_…`) or the browser's
session. A token acts as its owner within its scopes, and every audit row written during
the call names the token beside the owner."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, django_auth
from ninja.throttling import SimpleRateThrottle

from thidua.apitokens.authentication import TokenRefused, token_for
from thidua.apitokens.models import ApiToken
from thidua.apitokens.permissions import token_allows
from thidua.audit import context as audit_context

from .problems import ScopeMissing, TokenRefusedError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ApiTokenAuth(HttpBearer):
    """A token valid for `area` (None: an endpoint that needs a token for every area)."""

    def __init__(self, area: str | None = None) -> None:
        self.area = area
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        try:
            api_token = token_for(token)
        except TokenRefused as refused:
            raise TokenRefusedError(message=str(refused)) from refused
        write = request.method not in SAFE_METHODS
        if not token_allows(api_token, write=write, area=self.area):
            raise ScopeMissing(
                message=_("This call needs the scope “%(scope)s”; the token has %(scopes)s.")
                % {
                    "scope": f"{'write' if write else 'read'}:{self.area or '*'}",
                    "scopes": ", ".join(api_token.scopes),
                }
            )
        request.user = api_token.owner
        # The call runs in a context of its own (api.py's call_context), so this ends with it.
        audit_context.via_set(api_token=api_token.display_prefix)
        return api_token


def api_auth(area: str | None = None) -> list[Any]:
    """The auth of an endpoint in `area`: a token that reaches it, or a signed-in session
    (with its CSRF token for writes)."""
    return [ApiTokenAuth(area), django_auth]


class TokenRateThrottle(SimpleRateThrottle):
    """At most settings.API_TOKEN_RATE calls per token: django-ninja's throttle, counted in
    Django's cache. Sessions (the pages' own calls) are not counted."""

    scope = "api_token"

    def __init__(self) -> None:
        super().__init__(rate="1/s")  # replaced by the setting on each call

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_TOKEN_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
