from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(owner=user)


def every_token() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("owner", "revoked_by")
