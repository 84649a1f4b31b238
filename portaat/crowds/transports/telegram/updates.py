"""Reading a Telegram ``Update`` (Bot API) strictly into the few things it can mean for us.

Only private chats count: a group chat is not a volunteer, and binding one would send calls
to everybody in it. Anything well-formed that we do not act on is ``Ignored``; anything that
does not follow the documented format raises ``Malformed`` with a translated message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

# Telegram's ids fit in 52 bits; a bigger number is not from Telegram
MAX_ID = 2**53
ANSWER_DATA_RE = re.compile(r"a:([0-9]{1,12}):(coming|not_coming|arrived)")
# what volunteers type in SMS to leave also works typed in the chat
STOP_WORDS = frozenset({"stop", "lopeta", "sluta"})


class Malformed(Exception):
    """An update that does not follow the Bot API's format; the message is translated."""


@dataclass(frozen=True)
class Start:
    chat_id: str
    token: str


@dataclass(frozen=True)
class Stop:
    chat_id: str


@dataclass(frozen=True)
class ButtonAnswer:
    query_id: str
    chat_id: str
    call_id: int
    answer: str


@dataclass(frozen=True)
class ButtonOther:
    """A button press we do not understand (an old keyboard): only acknowledged."""

    query_id: str


@dataclass(frozen=True)
class Ignored:
    pass


Command = Start | Stop | ButtonAnswer | ButtonOther | Ignored


def _wrong(name: str) -> Malformed:
    return Malformed(_("The field %(name)s is not valid.") % {"name": name})


def _id(value: Any, name: str, *, signed: bool = True) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(name)
    if abs(value) >= MAX_ID or (value < 0 and not signed):
        raise _wrong(name)
    return int(value)


def _object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _wrong(name)
    return value


def _text(value: Any, name: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise _wrong(name)
    return value


def update_id(data: dict[str, Any]) -> int:
    """The update's id (our provider id: Telegram resends an update with the same id)."""
    if "update_id" not in data:
        raise Malformed(_("A required field is missing: %(name)s.") % {"name": "update_id"})
    return _id(data["update_id"], "update_id", signed=False)


def _message(message: dict[str, Any]) -> Command:
    chat = _object(message.get("chat"), "message.chat")
    chat_id = _id(chat.get("id"), "message.chat.id")
    kind = _text(chat.get("type"), "message.chat.type", 40)
    text = message.get("text")
    if text is None:
        return Ignored()  # a photo, a sticker, a location …
    text = _text(text, "message.text", 10_000).strip()
    if kind != "private":
        return Ignored()
    words = text.split()
    if not words:
        return Ignored()
    # "/start@PortaatBot token" is how commands look when several bots could be meant
    command = words[0].split("@", 1)[0].lower()
    if command == "/start":
        return Start(str(chat_id), words[1] if len(words) > 1 else "")
    if command == "/stop" or (len(words) == 1 and command in STOP_WORDS):
        return Stop(str(chat_id))
    return Ignored()


def _callback(query: dict[str, Any]) -> Command:
    query_id = _text(query.get("id"), "callback_query.id", 200)
    if not query_id:
        raise _wrong("callback_query.id")
    sender = _object(query.get("from"), "callback_query.from")
    chat_id = _id(sender.get("id"), "callback_query.from.id")
    if query.get("message") is not None:
        # the chat the keyboard is in; in a private chat it is the user's own id
        message = _object(query["message"], "callback_query.message")
        chat = _object(message.get("chat"), "callback_query.message.chat")
        chat_id = _id(chat.get("id"), "callback_query.message.chat.id")
        if chat.get("type", "private") != "private":
            return ButtonOther(query_id)
    data = query.get("data")
    if data is None:
        return ButtonOther(query_id)  # a game button, not ours
    match = ANSWER_DATA_RE.fullmatch(_text(data, "callback_query.data", 64))
    if match is None:
        return ButtonOther(query_id)
    return ButtonAnswer(query_id, str(chat_id), int(match.group(1)), match.group(2))


def parse_update(data: Any) -> tuple[int, Command]:
    """``(update_id, command)`` of a decoded ``Update``; raises ``Malformed``."""
    if not isinstance(data, dict):
        raise Malformed(_("The request could not be read."))
    number = update_id(data)
    if data.get("message") is not None:
        return number, _message(_object(data["message"], "message"))
    if data.get("callback_query") is not None:
        return number, _callback(_object(data["callback_query"], "callback_query"))
    return number, Ignored()
