"""Helpers for the registry tests."""

from __future__ import annotations

import html
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext

from portaat.registry.models import Activism


def shown(msgid: str, **params: Any) -> str:
    """``msgid`` as the page shows it: translated into the active language and HTML-escaped.

    Tests compare with the catalogue rather than a copy of its wording, so translating a text
    later does not break them.
    """
    text = gettext(msgid)
    return escape(text % params if params else text)


def page_text(response: Any) -> str:
    """The page with HTML entities decoded, for texts that {% translate %} leaves unescaped
    but ``{{ message }}`` escapes."""
    return html.unescape(response.content.decode())


def form_data(activism_kind: Any, /, **overrides: Any) -> dict[str, Any]:
    """A valid POST for the activism form; ``None`` values are left out."""
    data: dict[str, Any] = {
        "name": "Vuosaaren REKO",
        "description": "Lähiruokaa suoraan tuottajilta torstaisin.",
        "kind": str(activism_kind.pk),
        "legal_form": "none",
        "status": "active",
        "channels": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def only_activism() -> Activism:
    return Activism.objects.get()
