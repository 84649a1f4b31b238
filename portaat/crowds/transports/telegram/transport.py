"""The Telegram transport: one Bot API ``sendMessage`` per message.

Plain text (no ``parse_mode``, so nothing in a call's text needs escaping) and, for a call,
an inline keyboard whose buttons come back to the webhook as ``a:<call id>:<answer>``. Link
previews are off: Telegram's servers would otherwise fetch the volunteer's personal answer
links to build them.

HTTP has no point of no return the transport could mark, so the dispatcher records "sending"
before ``send``; a timeout after the request went out is reported uncertain (Telegram does not
drop a repeated message). Error texts never contain the request URL: it holds the bot token.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import httpx
from django.utils.translation import override

from portaat.crowds.models import Answer
from portaat.crowds.transports.base import Handover, Outgoing, Result, Transport
from portaat.crowds.transports.telegram import config
from portaat.listening.connectors.http import retry_after_seconds

USER_AGENT = "Portaat/0.1 (rapid-response crowds)"
MAX_TEXT = 4096  # sendMessage: 1-4096 characters (UTF-16 code units)
MAX_ANSWER_BYTES = 256 * 1024
CONFIG_RETRY_SECONDS = 300.0
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


def _description(answer: Any) -> str:
    text = answer.get("description") if isinstance(answer, dict) else None
    return " ".join(str(text).split())[:160] if text else ""


def result_for(status: int, headers: dict[str, str], body: bytes, chat_id: str) -> Result:
    """The ``Result`` of a Bot API answer (``{"ok": …, "result" | "description", …}``)."""
    try:
        answer: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        answer = None
    description = _description(answer)
    if 200 <= status < 300:
        result = answer.get("result") if isinstance(answer, dict) else None
        message_id = result.get("message_id") if isinstance(result, dict) else None
        if isinstance(answer, dict) and answer.get("ok") is True and isinstance(message_id, int):
            chat = result.get("chat") if isinstance(result, dict) else None
            found = chat.get("id") if isinstance(chat, dict) else None
            chat_part = found if isinstance(found, int) and not isinstance(found, bool) else chat_id
            return Result(ok=True, provider_id=f"{chat_part}:{message_id}")
        # 2xx means Telegram took it: sending again would send twice
        return Result(ok=True, error="Telegram accepted the message without a message id")
    detail = f"HTTP {status} from Telegram" + (f": {description}" if description else "")
    lowered = description.lower()
    if status == 429:
        parameters = answer.get("parameters") if isinstance(answer, dict) else None
        wait = parameters.get("retry_after") if isinstance(parameters, dict) else None
        retry_after = (
            float(wait)
            if isinstance(wait, int | float) and not isinstance(wait, bool)
            else retry_after_seconds(headers.get("retry-after"))
        )
        return Result(ok=False, retry=True, retry_after=retry_after, error=detail)
    if status == 403 and any(words in lowered for words in _GONE):
        # the volunteer blocked the bot or deleted their account: forget the chat
        return Result(ok=False, retry=False, gone=True, error=detail)
    if status in (401, 404):
        # a wrong or revoked token (the Bot API answers 404 for an unknown bot): a problem of
        # the configuration, not of the message; try again once somebody has fixed it
        return Result(ok=False, retry=True, retry_after=CONFIG_RETRY_SECONDS, error=detail)
    if 400 <= status < 500:
        # "chat not found" included: not forgotten, because a bot token swapped for another
        # bot's would make every chat "not found" and wipe them all
        return Result(ok=False, retry=False, error=detail)
    if status >= 500:
        return Result(
            ok=False,
            retry=True,
            retry_after=retry_after_seconds(headers.get("retry-after")),
            error=detail,
        )
    return Result(ok=False, retry=True, retry_after=CONFIG_RETRY_SECONDS, error=detail)


class TelegramTransport(Transport):
    """Messages to volunteers' Telegram chats through the bot."""

    channel: ClassVar[str] = "telegram"
    atomic_handover: ClassVar[bool] = False
    dedupes_by_reference: ClassVar[bool] = False

    def __init__(self) -> None:
        self._client: httpx.Client | None = None

    @classmethod
    def configured(cls) -> bool:
        """Sending needs only the token; linking chats needs the username and webhook too
        (``telegram_link`` is None without them)."""
        return bool(config.token())

    @classmethod
    def rate_per_second(cls) -> float:
        return config.rate()

    @staticmethod
    def _new_client() -> httpx.Client:
        return httpx.Client(
            timeout=config.timeout(), follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )

    @contextmanager
    def session(self) -> Iterator[Transport]:
        """One connection to the Bot API for a batch."""
        with self._new_client() as client:
            self._client = client
            try:
                yield self
            finally:
                self._client = None

    def send(self, message: Outgoing, handover: Handover) -> Result:
        """Send ``message.text`` to the chat ``message.to``, with answer buttons for a call."""
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
        return self._post(url, request_body(message), chat_id)

    def _post(self, url: str, body: dict[str, Any], chat_id: str) -> Result:
        client = self._client or self._new_client()
        try:
            with client.stream("POST", url, json=body) as response:
                answer = bytearray()
                try:
                    for chunk in response.iter_bytes():
                        answer.extend(chunk)
                        if len(answer) > MAX_ANSWER_BYTES:
                            break
                except httpx.HTTPError:
                    pass  # the status line arrived: what it says stands without the body
                headers = {k.lower(): v for k, v in response.headers.items()}
                return result_for(response.status_code, headers, bytes(answer), chat_id)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            return Result(
                ok=False,
                retry=True,
                error=f"could not reach Telegram ({type(exc).__name__}); not sent",
            )
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return Result(
                ok=False,
                retry=True,
                retry_after=CONFIG_RETRY_SECONDS,
                error=f"PORTAAT_TELEGRAM_API_URL is not usable ({type(exc).__name__})",
            )
        except httpx.TimeoutException:
            return Result(
                ok=False,
                retry=False,
                uncertain=True,
                error="no answer from Telegram in time; the message may have been sent",
            )
        except httpx.HTTPError as exc:
            return Result(
                ok=False,
                retry=False,
                uncertain=True,
                error=f"{type(exc).__name__} talking to Telegram; the message may have been sent",
            )
        finally:
            if client is not self._client:
                client.close()
