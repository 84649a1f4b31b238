"""API errors: every error body is JSON with a translated ``detail``; nothing leaks a 500 page.

``ApiSchema`` documents these errors in the OpenAPI schema, so that a client (and
``tests/test_api_schemathesis.py``) knows every status code an operation can answer with.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from portaat.access import ApiReadPublic


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.ParseError):
        # DRF's own message is English with the parser's internals ("JSON parse error - …")
        exc = exceptions.ValidationError(
            detail={
                api_settings.NON_FIELD_ERRORS_KEY: [
                    _("The body could not be read: it is not valid for its content type.")
                ]
            }
        )
    elif isinstance(exc, DjangoValidationError):
        # the same shape as DRF's own validation errors: {"field": ["message", …]}
        exc = exceptions.ValidationError(
            detail=exc.message_dict
            if hasattr(exc, "error_dict")
            else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        )
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        # a list's item or a nested object (``{"practices": {"1": ["…"]}}``) is reported in the
        # documented shape: each field with a list of messages, naming the item or the part
        exc.detail = {name: _messages(value) for name, value in exc.detail.items()}
    return drf_exception_handler(exc, context)


def _messages(value: Any, where: str = "") -> list[Any]:
    if isinstance(value, dict):
        found: list[Any] = []
        for key, inner in value.items():
            found.extend(_messages(inner, f"{where}{key}: "))
        return found
    if isinstance(value, list):
        found = []
        for inner in value:
            found.extend(_messages(inner, where))
        return found
    if where and isinstance(value, exceptions.ErrorDetail):
        return [exceptions.ErrorDetail(f"{where}{value}", code=value.code)]
    return [value]


# The bodies ``exception_handler`` (DRF's, for the rest) gives.
_ERROR = {
    "type": "object",
    "description": "A translated explanation.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_VALIDATION_ERROR = {
    "type": "object",
    "description": "What was wrong with which query parameter or field: its name (or "
    f"``{api_settings.NON_FIELD_ERRORS_KEY}``) mapped to translated messages.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, with the errors each read operation can answer with:

    - ``400`` when it takes query parameters (a filter or the page's ``limit`` that is not
      valid) or a body (a field that is not valid, or a rule of the service that refuses it);
    - ``403`` unless anyone may read it (``access.ApiReadPublic``): signed out, or without the
      role, the answer is 403 (session authentication sends no ``WWW-Authenticate``, so never
      401); and on every operation, public ones too, for a token that is not valid;
    - ``404`` when the address names an object (it does not exist or the reader may not see it).

    A public operation also says that its cookie is optional (an empty security requirement).
    It is the default schema class of every API view (``REST_FRAMEWORK`` in the settings).
    """

    def _is_public(self) -> bool:
        return self.method in permissions.SAFE_METHODS and all(
            isinstance(permission, ApiReadPublic) for permission in self.view.get_permissions()
        )

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        if self._is_public() and {} not in auths:
            auths.append({})
        return auths

    def _error(self, name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        component = ResolvedComponent(  # type: ignore[no-untyped-call]
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return {
            "description": description,
            "content": {"application/json": {"schema": component.ref}},
        }

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses: dict[str, Any] = operation["responses"]
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            if parameter["in"] == "query":
                # ``?kind=`` is the same as no ``kind``: django-filter's way, and the API's
                parameter.setdefault("allowEmptyValue", True)
        located = {parameter["in"] for parameter in parameters}
        if "query" in located or self.method not in permissions.SAFE_METHODS:
            responses.setdefault(
                "400", self._error("ValidationError", _VALIDATION_ERROR, "Invalid parameters.")
            )
        if not self._is_public():
            responses.setdefault(
                "403", self._error("Error", _ERROR, "Not signed in, or not allowed to do this.")
            )
        else:
            responses.setdefault(
                "403", self._error("Error", _ERROR, "A token was sent, but it is not valid.")
            )
        if "path" in located:
            responses.setdefault("404", self._error("Error", _ERROR, "Not found."))
        operation["responses"] = dict(sorted(responses.items()))
        return operation


def form_errors(form: Any, rename: dict[str, str] | None = None) -> dict[str, list[str]]:
    """A Django form's translated errors in the API's 400 shape, for writes that are checked by
    the pages' own form: the form's field names (``rename``: to the API's), and its errors that
    belong to no field under ``non_field_errors``."""
    rename = {"__all__": api_settings.NON_FIELD_ERRORS_KEY, **(rename or {})}
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        bare = name.removeprefix(f"{form.prefix}-") if form.prefix else name
        errors.setdefault(rename.get(bare, bare), []).extend(str(m) for m in messages)
    return errors
