"""Errors as problem details (RFC 9457), in the request's language.

Every error the API answers has the media type `application/problem+json` and the members
`type`, `title`, `status` and `detail`; a broken rule or an invalid request adds `errors`,
one entry per field. docs/api.md lists the types."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestInvalid

logger = logging.getLogger("thidua.api")

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:thidua:problem:"


class IdempotencyKeyReused(Exception):
    """The same Idempotency-Key came with another request."""


def _titles() -> dict[str, str]:
    return {
        "malformed-json": _("The request body is not valid JSON"),
        "bad-request": _("The request cannot be read"),
        "invalid-request": _("The request does not match the contract"),
        "rule-broken": _("A rule of the system refuses this"),
        "unauthenticated": _("Sign-in or an API token is needed"),
        "token-refused": _("The API token is refused"),
        "forbidden": _("You may not do this"),
        "scope-missing": _("The API token's scopes do not allow this"),
        "not-found": _("Not found"),
        "rate-limited": _("Too many requests"),
        "idempotency-key-reused": _("This Idempotency-Key was used for another request"),
        "server-error": _("The server failed"),
    }


def problem(
    request: HttpRequest,
    status: int,
    kind: str,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + kind,
        "title": _titles()[kind],
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )


# Pydantic's messages are English; the ones a caller meets most often say it in the
# request's language, the rest keep pydantic's wording.
def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "extra_forbidden": _("This field is not part of the contract."),
        "string_type": _("Give a string."),
        "int_type": _("Give a whole number."),
        "int_parsing": _("Give a whole number."),
        "bool_type": _("Give true or false."),
        "bool_parsing": _("Give true or false."),
        "date_type": _("Give a date as YYYY-MM-DD."),
        "date_parsing": _("Give a date as YYYY-MM-DD."),
        "date_from_datetime_parsing": _("Give a date as YYYY-MM-DD."),
        "model_type": _("Give a JSON object."),
        "dict_type": _("Give a JSON object."),
        "list_type": _("Give a list."),
        "string_too_long": _("This text is too long."),
        "enum": _("Choose one of the allowed values."),
        "literal_error": _("Choose one of the allowed values."),
    }
    return messages.get(kind, str(error.get("msg", "")))


def _field_of(location: list[Any] | tuple[Any, ...]) -> str | None:
    # ("body", "payload", "target") → "target"; ("query", "q") → "q"; ("path", "code") → "code"
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else []
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or None


def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
    errors = [
        {"field": _field_of(error.get("loc", ())), "message": _pydantic_message(error)}
        for error in exc.errors
    ]
    return problem(
        request,
        422,
        "invalid-request",
        _("Check the fields listed in “errors”; nothing was changed."),
        errors=errors,
    )


def rule_broken(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.message_dict.items():
            name = None if field == NON_FIELD_ERRORS else field
            errors += [{"field": name, "message": message} for message in field_errors]
    else:
        errors = [{"field": None, "message": message} for message in exc.messages]
    return problem(request, 422, "rule-broken", " ".join(exc.messages), errors=errors)


def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, 403, "forbidden", str(exc) or _("You may not do this."))


def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(request, 404, "not-found", _("Nothing exists at this address."))


class TokenRefusedError(AuthenticationError):
    """A token was presented but is unknown, revoked or expired."""


class ScopeMissing(AuthorizationError):
    """The token is valid but its scopes do not reach this endpoint."""


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, TokenRefusedError):
        response = problem(request, 401, "token-refused", exc.message)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    if isinstance(exc, AuthenticationError):
        response = problem(
            request,
            401,
            "unauthenticated",
            _("Send “Authorization: Bearer <token>” with a personal API token, or sign in."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response
    if isinstance(exc, ScopeMissing):
        return problem(request, 403, "scope-missing", exc.message)
    if isinstance(exc, AuthorizationError):
        return problem(request, 403, "forbidden", exc.message)
    if isinstance(exc, Throttled):
        return problem(
            request, 429, "rate-limited", _("This token made too many calls; wait and retry.")
        )
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        return problem(
            request,
            400,
            "malformed-json",
            _("The body could not be read as JSON: %(error)s") % {"error": exc.__cause__},
        )
    if exc.status_code == 404:
        return not_found(request, exc)
    return problem(request, exc.status_code, "bad-request", exc.message)


def idempotency_key_reused(request: HttpRequest, exc: IdempotencyKeyReused) -> HttpResponse:
    return problem(request, 422, "idempotency-key-reused", str(exc))


def out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A number the database cannot hold (an id or offset past 64 bits, a year past a small
    # integer) is the caller's error, not the server's.
    return problem(
        request,
        422,
        "invalid-request",
        _("A number in the request is out of range; nothing was changed."),
        errors=[],
    )


def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem(
        request, 500, "server-error", _("The error is logged; please tell the administrator.")
    )


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(Exception, server_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, not_found)  # type: ignore[arg-type]
    api.add_exception_handler(OverflowError, out_of_range)  # type: ignore[arg-type]
    api.add_exception_handler(DataError, out_of_range)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]
    api.add_exception_handler(RequestInvalid, request_invalid)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, rule_broken)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, permission_denied)  # type: ignore[arg-type]
    api.add_exception_handler(IdempotencyKeyReused, idempotency_key_reused)  # type: ignore[arg-type]
