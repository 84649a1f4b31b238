"""Telegram: calls to volunteers' chats through a bot, answers by inline buttons.

A volunteer links a chat by opening ``telegram_link`` (``/start <token>`` reaches the webhook);
``/stop`` leaves. The webhook (``views``) is authenticated by Telegram's secret-token header.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from portaat.crowds.transports.telegram import config
from portaat.crowds.transports.telegram.transport import TelegramTransport

if TYPE_CHECKING:
    from portaat.crowds.models import Volunteer

__all__ = ["TelegramTransport", "telegram_link"]

# a start parameter is at most 64 characters of A-Z a-z 0-9 _ - (``new_secret()`` fits)
START_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def telegram_link(volunteer: Volunteer) -> str | None:
    """The deep link that binds a Telegram chat to ``volunteer``
    (``https://t.me/<bot>?start=<token>``), or None while the bot, its username or the webhook
    secret is missing (without the webhook the ``/start`` would never reach us)."""
    if config.problems():
        return None
    token = volunteer.telegram_link_token
    if not START_RE.fullmatch(token or ""):
        return None
    return f"https://t.me/{config.username()}?start={token}"
