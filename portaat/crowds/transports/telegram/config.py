"""The Telegram channel's settings, read when used and checked in one place.

``PORTAAT_TELEGRAM_BOT_TOKEN``  the bot's token from @BotFather (``123456:ABC-…``); sending
    needs only this
``PORTAAT_TELEGRAM_BOT_USERNAME``  the bot's username (with or without ``@``), for the link
    ``https://t.me/<bot>?start=<token>`` that binds a volunteer's chat
``PORTAAT_TELEGRAM_WEBHOOK_SECRET``  the ``secret_token`` given to ``setWebhook`` (16–256
    characters of ``A-Z a-z 0-9 _ -``); Telegram sends it in the
    ``X-Telegram-Bot-Api-Secret-Token`` header. Without it there is no webhook, so chats can
    be neither linked nor answered from
``PORTAAT_TELEGRAM_API_URL``  the Bot API (default ``https://api.telegram.org``; tests point it
    at a local server, a self-hosted Bot API server works too)
``PORTAAT_TELEGRAM_RATE``  messages per second per worker process (default 25: Telegram allows
    about 30 a second for a bot)
``PORTAAT_TELEGRAM_TIMEOUT``  seconds to wait for the Bot API (default 15)
"""

from __future__ import annotations

import re

from django.conf import settings

API_URL = "https://api.telegram.org"
# the token goes into the request path: anything but its documented shape is refused
TOKEN_RE = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{20,100}")
USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
# Telegram allows 1-256 characters; fewer than 16 would be guessable
SECRET_RE = re.compile(r"[A-Za-z0-9_-]{16,256}")


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


def token() -> str:
    """The bot token, or "" when unset or malformed."""
    value = text("PORTAAT_TELEGRAM_BOT_TOKEN")
    return value if TOKEN_RE.fullmatch(value) else ""


def username() -> str:
    """The bot's username without ``@``, or "" when unset or malformed."""
    value = text("PORTAAT_TELEGRAM_BOT_USERNAME").removeprefix("@")
    return value if USERNAME_RE.fullmatch(value) else ""


def webhook_secret() -> str:
    """The webhook's secret token, or "" when none (or an unusable one) is set."""
    value = text("PORTAAT_TELEGRAM_WEBHOOK_SECRET")
    return value if SECRET_RE.fullmatch(value) else ""


def api_url() -> str:
    """The Bot API's base address, without a trailing slash."""
    return text("PORTAAT_TELEGRAM_API_URL", API_URL).rstrip("/") or API_URL


def rate() -> float:
    """Messages per second one worker process sends through the bot."""
    return number("PORTAAT_TELEGRAM_RATE", 25.0)


def timeout() -> float:
    """Seconds to wait for the Bot API's answer."""
    return number("PORTAAT_TELEGRAM_TIMEOUT", 15.0)


def problems() -> list[str]:
    """What keeps the channel from working fully (never the secrets themselves)."""
    found = []
    if not token():
        found.append("PORTAAT_TELEGRAM_BOT_TOKEN is not set or not a bot token")
    if not username():
        found.append("PORTAAT_TELEGRAM_BOT_USERNAME is not set or not a bot username")
    if not webhook_secret():
        found.append("PORTAAT_TELEGRAM_WEBHOOK_SECRET must be 16-256 characters of A-Z a-z 0-9 _ -")
    return found
