"""Query parameters of the API that say no to what the schema does not allow.

An empty parameter (``?unread=``) is the same as none, everywhere (the schema says so with
``allowEmptyValue``); anything else that is not what the schema describes is a 400.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

TRUE = ("true", "True", "1")
FALSE = ("false", "False", "0")
_ID = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _as_id(raw: str) -> int | None:
    return int(raw) if _ID.fullmatch(raw) and 1 <= int(raw) <= MAX_ID else None


class _StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or ``1``/``0``); empty for none. django-filter's own field quietly
    took ``?unread=yes`` for no filter at all."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Must be a valid boolean.")}  # DRF's, translated

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise DjangoValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: Any) -> None:
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = _StrictBooleanField


class _IdField(forms.Field):
    widget = forms.TextInput
    default_error_messages = {"invalid": _("Not an id.")}

    def to_python(self, value: Any) -> int | None:
        if value in (None, ""):
            return None
        found = _as_id(value)
        if found is None:
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")
        return found


class OrderingFilter(django_filters.OrderingFilter):
    """``?ordering=a,b``; an empty name in the list (``?ordering=level,``) is a 400, where
    django-filter quietly left it out."""

    def filter(self, qs: Any, value: Any) -> Any:
        if value and "" in value:
            raise ValidationError({self.field_name: [_("This field cannot be blank.")]})
        return super().filter(qs, value)


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.Filter):
    """An object's id (``ID_SCHEMA``): django-filter's NumberFilter also took ``2.5`` and
    ``1e-99`` (and found nothing)."""

    field_class = _IdField


def id_param(params: Any, name: str) -> int | None:
    """The query parameter ``name`` as an object's id (``ID_SCHEMA``), None when not given."""
    raw = params.get(name)
    if not raw:
        return None
    found = _as_id(raw)
    if found is None:
        raise ValidationError({name: [_("Not an id.")]})
    return found
