"""The Telegram transport: one Bot API ``sendMessage`` per message.

Plain text (no ``parse_mode``, so nothing in a call's text needs escaping) and, for a call,
an inline keyboard whose buttons come back to the webhook as ``a:<call id>:<answer>``. Link
previews are off: Telegram's servers would otherwise fetch the volunteer's personal answer
links to build them.

The session, the exceptions and the shared statuses are ``HttpTransport``'s (see
``transports/http.py``): a timeout after the request went out is reported uncertain (Telegram
does not drop a repeated message). Error texts never contain the request URL: it holds the bot
token.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.utils.translation import override

from portaat.crowds.models import Answer
from portaat.crowds.transports.base import Outgoing, Result
from portaat.crowds.transports.http import CONFIG_RETRY_SECONDS, HttpTransport, Reply, Request
from portaat.crowds.transports.telegram import config

MAX_TEXT = 4096  # sendMessage: 1-4096 characters (UTF-16 code units)
ANSWERS = ("coming", "not_coming", "arrived")
CHAT_ID_RE = re.compile(r"-?[0-9]{1,20}")
# the 403 descriptions that mean the chat will never take a message from the bot again
_GONE = ("blocked by the user", "user is deactivated", "bot was kicked", "can't initiate")


def callback_data(call_id: int, answer: str) -> str:
    """The data of an answer button: ``a:<call id>:<answer>``, well inside 64 bytes."""
    return f"a:{call_id}:{answer}"


def clip_utf16(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-16 code units, with an ellipsis when cut."""
    # Telegram counts UTF-16 code units: an emoji outside the BMP counts twice
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    out: list[str] = []
    used = 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + "…"


def keyboard(call_id: int, answers: list[str], language: str) -> dict[str, Any]:
    """The inline keyboard of a call: coming and not coming side by side, arrived below."""
    with override(language):
        buttons = {
            answer: {
                "text": str(Answer(answer).label),
                "callback_data": callback_data(call_id, answer),
            }
            for answer in answers
        }
    rows = [[buttons[a] for a in ("coming", "not_coming") if a in buttons]]
    if "arrived" in buttons:
        rows.append([buttons["arrived"]])
    return {"inline_keyboard": [row for row in rows if row]}


def request_body(message: Outgoing) -> dict[str, Any]:
    """The ``sendMessage`` parameters for ``message``. Buttons go with a call (a message with
    a call id and answer links); updates and stand-downs about a call carry none."""
    body: dict[str, Any] = {
        "chat_id": int(message.to),
        "text": clip_utf16(message.text or message.subject, MAX_TEXT),
        "link_preview_options": {"is_disabled": True},
    }
    call_id = message.extra.get("call_id")
    answers = [answer for answer in ANSWERS if answer in message.links]
    if isinstance(call_id, int) and not isinstance(call_id, bool) and answers:
        body["reply_markup"] = keyboard(call_id, answers, message.language)
    return body


class TelegramTransport(HttpTransport[str]):
    """Messages to volunteers' Telegram chats through the bot."""

    channel: ClassVar[str] = "telegram"
    atomic_handover: ClassVar[bool] = False
    dedupes_by_reference: ClassVar[bool] = False
    peer_name: ClassVar[str] = "Telegram"
    url_setting: ClassVar[str] = "PORTAAT_TELEGRAM_API_URL"
    max_answer_bytes: ClassVar[int] = 256 * 1024

    @classmethod
    def configured(cls) -> bool:
        """Sending needs only the token; linking chats needs the username and webhook too
        (``telegram_link`` is None without them)."""
        return bool(config.token())

    @classmethod
    def rate_per_second(cls) -> float:
        return config.rate()

    @classmethod
    def timeout(cls) -> float:
        return config.timeout()

    def prepare(self, message: Outgoing) -> tuple[Request, str] | Result:
        """``sendMessage`` of ``message.text`` to the chat ``message.to``, with answer buttons
        for a call; the context is the chat id."""
        token = config.token()
        if not token:
            return Result(
                ok=False,
                retry=True,
                retry_after=CONFIG_RETRY_SECONDS,
                error="Telegram is not configured",
            )
        chat_id = message.to.strip()
        if not CHAT_ID_RE.fullmatch(chat_id):
            return Result(ok=False, retry=False, error="not a Telegram chat id")
        url = f"{config.api_url()}/bot{token}/sendMessage"
        return Request(url, json=request_body(message)), chat_id

    def describe(self, answer: Reply) -> str:
        """The Bot API's ``description`` (``{"ok": false, "error_code", "description"}``)."""
        document = answer.document
        text = document.get("description") if isinstance(document, dict) else None
        return " ".join(str(text).split())[:160] if text else ""

    def accepted(self, answer: Reply, context: str) -> Result:
        """``{"ok": true, "result": Message}``: the provider id is ``<chat id>:<message id>``."""
        document = answer.document if isinstance(answer.document, dict) else {}
        result = document.get("result")
        if document.get("ok") is True and isinstance(result, dict):
            message_id, chat = result.get("message_id"), result.get("chat")
            found = chat.get("id") if isinstance(chat, dict) else None
            chat_part = found if isinstance(found, int) and not isinstance(found, bool) else context
            if isinstance(message_id, int):
                return Result(ok=True, provider_id=f"{chat_part}:{message_id}")
        # 2xx means Telegram took it: sending again would send twice
        return Result(ok=True, error="Telegram accepted the message without a message id")

    def refused(self, answer: Reply, detail: str, context: str) -> Result | None:
        status, document = answer.status, answer.document
        if status == 429:
            parameters = document.get("parameters") if isinstance(document, dict) else None
            wait = parameters.get("retry_after") if isinstance(parameters, dict) else None
            if isinstance(wait, int | float) and not isinstance(wait, bool):
                return Result(ok=False, retry=True, retry_after=float(wait), error=detail)
            return None  # the Retry-After header, if any
        if status == 403 and any(words in self.describe(answer).lower() for words in _GONE):
            # the volunteer blocked the bot or deleted their account: forget the chat
            return Result(ok=False, retry=False, gone=True, error=detail)
        if status in (401, 404):
            # a wrong or revoked token (the Bot API answers 404 for an unknown bot): a problem
            # of the configuration, not of the message; try again once somebody has fixed it
            return Result(ok=False, retry=True, retry_after=CONFIG_RETRY_SECONDS, error=detail)
        # other 4xx, "chat not found" included, are not retried and not forgotten: a bot token
        # swapped for another bot's would make every chat "not found" and wipe them all
        return None
