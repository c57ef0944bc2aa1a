"""Idempotency-Key on writes (the IETF httpapi draft's header): a write repeated with the
same key answers what the first one answered and changes nothing.

The key is claimed in the same transaction as the write, so two copies of a request sent at
once wait for each other and the second one replays the first one's answer."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from .auth import SAFE_METHODS
from .models import IdempotentRequest
from .problems import IdempotencyKeyReused

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _as_json(result: Any) -> tuple[int, str]:
    status, value = 200, result
    if isinstance(result, Status):
        status, value = result.status_code, result.value
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return status, json.dumps(value, cls=NinjaJSONEncoder, ensure_ascii=False)


def _replay(stored: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(stored.body, status=stored.status, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps every operation (django-ninja's operation decorator): reads and writes sent
    without the header pass through untouched."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None or request.method in SAFE_METHODS:
            return view(request, *args, **kwargs)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise HttpError(
                400,
                _("The Idempotency-Key header must be 1 to %(n)d printable characters.")
                % {"n": MAX_KEY_LENGTH},
            )
        fingerprint = _fingerprint(request)
        user: Any = request.user  # the token's owner or the session's person: auth ran
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotentRequest.objects.create(
                        user=user, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                stored = IdempotentRequest.objects.get(user=user, key=key)
                if stored.fingerprint != fingerprint:
                    raise IdempotencyKeyReused(
                        _("This key came before with another request; use a new key.")
                    ) from None
                return _replay(stored)
            result = view(request, *args, **kwargs)
            claim.status, claim.body = _as_json(result)
            claim.save(update_fields=["status", "body"])
        return result

    return wrapper
