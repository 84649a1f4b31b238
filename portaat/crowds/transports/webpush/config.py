"""The Web Push channel's settings, read when used (a changed setting applies without a restart
in tests) and checked in one place.

``PORTAAT_VAPID_PRIVATE_KEY``  the server's VAPID key (RFC 8292): base64url of the raw 32-byte
    P-256 private key (what ``portaat manage crowds_vapid_keys`` prints), or a PEM (newlines
    may be written as ``\\n``). Changing it orphans every browser subscription made with the
    old key: browsers subscribe to one application server key.
``PORTAAT_VAPID_SUBJECT``  how the push services can reach the operator: ``mailto:…`` or an
    ``https:`` address (a bare email address is read as ``mailto:``)
``PORTAAT_PUSH_TTL``  seconds a push service keeps a message for an offline browser (3600)
``PORTAAT_PUSH_RATE``  messages per second per worker process (50)
``PORTAAT_PUSH_TIMEOUT``  seconds to wait for a push service (15)
``PORTAAT_PUSH_ALLOW_HTTP``  accept ``http:`` endpoints (tests; also on when ``DEBUG``)
``PORTAAT_PUSH_ALLOW_PRIVATE_HOSTS``  send to endpoints on private addresses (tests)
"""

from __future__ import annotations

from django.conf import settings

# RFC 8030 lets a push service keep a message up to its own limit; a call older than about an
# hour is mostly stale, and escalation has moved on to the volunteer's next channel by then.
DEFAULT_TTL = 3600


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


def flag(name: str, default: bool = False) -> bool:
    """A true/false setting (a string such as "yes" or "0" is read as env would be)."""
    value = getattr(settings, name, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def ttl() -> int:
    """Seconds a push service keeps an undelivered message."""
    return int(number("PORTAAT_PUSH_TTL", DEFAULT_TTL))


def rate() -> float:
    """Messages per second one worker process sends to push services."""
    return number("PORTAAT_PUSH_RATE", 50.0)


def timeout() -> float:
    """Seconds to wait for a push service's answer."""
    return number("PORTAAT_PUSH_TIMEOUT", 15.0)


def allow_http() -> bool:
    """Whether ``http:`` push endpoints are accepted (never in production: the push service
    would see the VAPID token in clear)."""
    return flag("PORTAAT_PUSH_ALLOW_HTTP") or bool(getattr(settings, "DEBUG", False))


def allow_private_hosts() -> bool:
    """Whether endpoints on private addresses are sent to. Endpoints come from browsers, i.e.
    from anyone with a volunteer page: without this guard a made-up "subscription" would make
    the worker POST into the internal network."""
    return flag("PORTAAT_PUSH_ALLOW_PRIVATE_HOSTS")
