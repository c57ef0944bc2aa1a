"""Personal API tokens for the API tests: made through the service, as the page makes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from thidua.apitokens.services import api_token_create
from thidua.org.models import User


def make_token(
    user: User, *, access: str = "write", areas: Iterable[str] = (), days: int = 30
) -> str:
    _token, raw = api_token_create(
        actor=user,
        name=f"test {access}",
        access=access,
        areas=list(areas),
        expires_on=timezone.localdate() + dt.timedelta(days=days),
    )
    return raw


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
