from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(
    {
        "type": "object",
        "properties": {code: {"type": "string"} for code, _name in settings.LANGUAGES},
        "required": [code for code, _name in settings.LANGUAGES],
        "example": {"fi": "Tukeminen", "sv": "Stöd", "en": "Supporting"},
    }
)
class TranslatedField(serializers.Field):  # type: ignore[type-arg]
    """A modeltranslation field as ``{"fi": …, "sv": …, "en": …}`` (read-only)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> dict[str, str]:
        return {
            code: getattr(instance, f"{self.source}_{code}") or ""
            for code, _name in settings.LANGUAGES
        }

    def to_representation(self, value: Any) -> Any:
        return value
