"""The API object every endpoint hangs on: problem details for every error, the request's
language, token or session auth, a rate limit per token, Idempotency-Key on writes, and an
OpenAPI document that says all of this (docs/openapi.json is its committed copy)."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from thidua.apitokens.scopes import scopes_reaching

from . import problems
from .auth import SAFE_METHODS, ApiTokenAuth, TokenRateThrottle, api_auth
from .idempotency import HEADER as IDEMPOTENCY_HEADER
from .idempotency import idempotent


class UnicodeRenderer(JSONRenderer):
    """Vietnamese stays readable in the payloads instead of \\u escapes."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


class StrictJSONParser(Parser):
    """A body that is not JSON is a ValueError, which problems.py reports with its place."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body.decode("utf-8"))


def request_language(request: HttpRequest) -> str:
    """The language the person chose in the pages (the cookie), else the first supported
    one of Accept-Language, else Vietnamese."""
    supported = dict(settings.LANGUAGES)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in supported:
        return chosen
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return str(settings.LANGUAGE_CODE)


def call_context(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Around each call (auth included): its language, and a context of its own for the
    audit log's channel facts."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = request_language(request)
        with translation.override(language):
            response = contextvars.copy_context().run(run, request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapper


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {problems.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


# The errors any operation may answer, whatever it declares itself.
COMMON_PROBLEMS = {
    "401": "Neither a valid API token nor a session",
    "403": "Refused: the person may not do this, or the token's scopes do not reach it",
    "422": "The request does not match the contract, or a rule refuses it",
    "429": "The token made too many calls",
}


class ScopedSchema(OpenAPISchema):
    """Each operation says, under `x-token-scopes`, the token scopes any one of which lets a
    token call it, so the docs page tells which token an endpoint needs."""

    def operation_details(self, operation: Operation) -> dict[str, Any]:
        details = super().operation_details(operation)
        for auth in operation.auth_callbacks or []:
            if isinstance(auth, ApiTokenAuth):
                write = not set(operation.methods) <= SAFE_METHODS
                details["x-token-scopes"] = scopes_reaching(write=write, area=auth.area)
        return details


class ThiduaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = ScopedSchema(self, path_prefix)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = PROBLEM_SCHEMA
        for path_item in schema["paths"].values():
            for method, operation in path_item.items():
                self._document_problems(method.upper(), operation)
        if "Error" in components and '"#/components/schemas/Error"' not in json.dumps(schema):
            del components["Error"]
        return schema

    @staticmethod
    def _document_problems(method: str, operation: dict[str, Any]) -> None:
        # django-ninja keys the responses by int; JSON (and the committed file) by string.
        responses = {str(status): value for status, value in operation["responses"].items()}
        operation["responses"] = responses
        for status, description in COMMON_PROBLEMS.items():
            responses.setdefault(status, {"description": description})
        if any(p.get("in") == "path" for p in operation.get("parameters", [])):
            responses.setdefault("404", {"description": "No such object"})
        if "requestBody" in operation or method not in SAFE_METHODS:
            responses.setdefault(
                "400", {"description": "The body is not JSON, or the Idempotency-Key is malformed"}
            )
        if method not in SAFE_METHODS:
            operation.setdefault("parameters", []).append(
                {
                    "in": "header",
                    "name": IDEMPOTENCY_HEADER,
                    "required": False,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                    "description": "A repeated write with the same key changes nothing "
                    "and gets the first answer.",
                }
            )
        for status, response in list(responses.items()):
            if int(status) >= 400:
                description = response.get("description") or "Error"
                responses[status] = _problem_response(description)


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details (application/problem+json).",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


def make_api() -> ThiduaAPI:
    api = ThiduaAPI(
        title="Thi đua API",
        version="1",
        description="The JSON API of Thi đua. Guide: docs/api.md. Errors are RFC 9457 "
        "problem details in the request's language.",
        urls_namespace="api",
        auth=api_auth(),
        throttle=[TokenRateThrottle()],
        renderer=UnicodeRenderer(),
        parser=StrictJSONParser(),
        # The schema and its docs page are for signed-in people only (issue #13.6); the
        # docs page is django-ninja's own copy of Swagger UI, served from our static files.
        docs_decorator=login_required,
    )
    problems.install(api)
    api.add_decorator(call_context, mode="view")
    api.add_decorator(idempotent)
    return api
