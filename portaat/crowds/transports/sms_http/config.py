"""The SMS channel's settings, read when used (so a changed setting applies without restart
in tests) and checked in one place.

Settings (all optional; the channel is off until ``PORTAAT_SMS_PROVIDER`` names a provider
whose required settings are present):

``PORTAAT_SMS_PROVIDER``  ``46elks`` or ``generic``
``PORTAAT_SMS_URL``  46elks: API base (default ``https://api.46elks.com/a1``); generic: the
    full address messages are POSTed to (required)
``PORTAAT_SMS_USERNAME`` / ``PORTAAT_SMS_PASSWORD``  HTTP Basic credentials (46elks: the API
    username and password, required)
``PORTAAT_SMS_TOKEN``  generic: a bearer token (wins over Basic credentials)
``PORTAAT_SMS_SENDER``  the sender volunteers see: an E.164 number (needed for replies) or a
    name of at most 11 letters and digits (46elks: required)
``PORTAAT_SMS_WEBHOOK_SECRET``  the secret path segment of the webhooks (at least 16
    characters of ``A-Z a-z 0-9 - _``); without it there are no replies nor receipts
``PORTAAT_SMS_RATE``  messages per second per worker process (default 5)
``PORTAAT_SMS_TIMEOUT``  seconds to wait for the gateway (default 15)
``PORTAAT_SMS_MAX_SEGMENTS``  longer texts are shortened to this many parts (default 4)
``PORTAAT_SMS_REGION``  the country of numbers written without a country code (default FI)
``PORTAAT_SMS_DONTLOG``  46elks: ask the provider not to keep message texts (default true)
``PORTAAT_SMS_GENERIC_BODY``  ``json`` (default) or ``form``
``PORTAAT_SMS_GENERIC_FIELDS``  request field names, ``to=…,from=…,text=…,reference=…,
    callback=…``; an empty name leaves the field out
``PORTAAT_SMS_GENERIC_EXTRA``  fixed fields sent with every message, ``name=value,…``
``PORTAAT_SMS_GENERIC_ID_PATH``  where the message id is in the JSON answer (``id``,
    ``messages.0.id``)
``PORTAAT_SMS_GENERIC_INCOMING_FIELDS``  ``from=…,text=…,id=…`` of the incoming-SMS webhook
``PORTAAT_SMS_GENERIC_RECEIPT_FIELDS``  ``id=…,status=…,error=…`` of the receipt webhook
``PORTAAT_SMS_GENERIC_DELIVERED`` / ``PORTAAT_SMS_GENERIC_FAILED``  status values meaning
    delivered / failed (comma-separated); other values are steps on the way and are ignored
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings

ELKS_URL = "https://api.46elks.com/a1"
PROVIDERS = ("46elks", "generic")
SECRET_RE = re.compile(r"[A-Za-z0-9_-]{16,200}")
# an alphanumeric sender id is limited by the SMS format itself (TP-OA holds 11 characters)
SENDER_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,10}")

GENERIC_FIELDS = {
    "to": "to",
    "from": "from",
    "text": "text",
    "reference": "reference",
    "callback": "callback_url",
}
GENERIC_INCOMING_FIELDS = {"from": "from", "text": "text", "id": "id"}
GENERIC_RECEIPT_FIELDS = {"id": "id", "status": "status", "error": "error"}
GENERIC_DELIVERED = ("delivered",)
GENERIC_FAILED = ("failed", "undelivered", "rejected", "expired")


def text(name: str, default: str = "") -> str:
    """A string setting, stripped; unset or None means ``default``."""
    value = getattr(settings, name, default)
    return default if value is None else str(value).strip()


def number(name: str, default: float) -> float:
    """A positive number setting; anything else (also 0) means the default."""
    value = getattr(settings, name, default)
    try:
        result = float(value)
    except (TypeError, ValueError):
        return default
    return result if result > 0 else default


def flag(name: str, default: bool) -> bool:
    """A true/false setting (a string such as "yes" or "0" is read as env would be)."""
    value = getattr(settings, name, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def mapping(name: str, defaults: Mapping[str, str], *, closed: bool = True) -> dict[str, str]:
    """A ``key=value,key=value`` setting (or a dict) over ``defaults``.

    ``closed``: only the keys of ``defaults`` are allowed. Raises ``ValueError`` naming the
    setting on a malformed value, so the problem can be reported as configuration."""
    value: Any = getattr(settings, name, None)
    result = dict(defaults)
    if value in (None, ""):
        return result
    if isinstance(value, Mapping):
        pairs: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, str):
        pairs = []
        for item in value.split(","):
            if not item.strip():
                continue
            key, sep, val = item.partition("=")
            if not sep:
                raise ValueError(f"{name}: {item.strip()!r} is not name=value")
            pairs.append((key, val))
    else:
        raise ValueError(f"{name} must be name=value pairs separated by commas")
    for key, val in pairs:
        key = str(key).strip()
        if closed and key not in defaults:
            raise ValueError(f"{name}: unknown name {key!r} (known: {', '.join(defaults)})")
        if not key:
            raise ValueError(f"{name}: an empty name")
        result[key] = "" if val is None else str(val).strip()
    return result


def values(name: str, defaults: tuple[str, ...]) -> frozenset[str]:
    """A comma-separated (or list) setting of status values, compared case-insensitively."""
    value: Any = getattr(settings, name, None)
    if value in (None, ""):
        items: Iterable[Any] = defaults
    elif isinstance(value, str):
        items = value.split(",")
    else:
        items = value
    return frozenset(str(item).strip().lower() for item in items if str(item).strip())


def provider_name() -> str:
    """``PORTAAT_SMS_PROVIDER`` in lower case; "" when SMS is off."""
    return text("PORTAAT_SMS_PROVIDER").lower()


def webhook_secret() -> str:
    """The webhooks' secret path segment, or "" when none (or an unusable one) is set."""
    secret = text("PORTAAT_SMS_WEBHOOK_SECRET")
    return secret if SECRET_RE.fullmatch(secret) else ""


def region() -> str:
    """The country whose national numbering applies to numbers without a country code."""
    return text("PORTAAT_SMS_REGION", "FI").upper() or "FI"


def max_segments() -> int:
    """The most parts one text (a message or a reply) may be sent in."""
    return int(number("PORTAAT_SMS_MAX_SEGMENTS", 4))


def timeout() -> float:
    """Seconds to wait for the gateway to connect and to answer."""
    return number("PORTAAT_SMS_TIMEOUT", 15.0)


def rate() -> float:
    """Messages per second one worker process sends."""
    return number("PORTAAT_SMS_RATE", 5.0)


def sender_problem(sender: str) -> str:
    """Why ``sender`` cannot be a sender, or ""."""
    if not sender:
        return ""
    if sender.startswith("+"):
        from portaat.crowds.phone import is_e164

        return "" if is_e164(sender) else "PORTAAT_SMS_SENDER is not an E.164 number"
    if not SENDER_NAME_RE.fullmatch(sender) or sender.isdigit():
        return (
            "PORTAAT_SMS_SENDER must be an E.164 number or a name of at most 11 letters, "
            "digits, spaces, dots, dashes or underscores that is not only digits"
        )
    return ""
