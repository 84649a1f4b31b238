"""The Telegram webhook: chats linked with ``/start <token>``, ``/stop``, and answer buttons.

Telegram authenticates itself with the ``X-Telegram-Bot-Api-Secret-Token`` header carrying the
secret given to ``setWebhook``. What we say back travels in the webhook's own response as a Bot
API method call (``sendMessage``, ``answerCallbackQuery``), which Telegram performs for us:
no second request, and nothing to send when the update was a duplicate. Each update is
processed once by its ``update_id`` (``crowds.inbound``), so Telegram retrying is harmless.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from portaat.crowds import inbound
from portaat.crowds.inbound import Reply, ReplyOutcome
from portaat.crowds.transports.telegram import config
from portaat.crowds.transports.telegram.transport import MAX_TEXT, clip_utf16
from portaat.crowds.transports.telegram.updates import (
    ButtonAnswer,
    ButtonOther,
    Malformed,
    Start,
    Stop,
    parse_update,
)

MAX_BODY = 64 * 1024
MAX_ALERT = 200  # answerCallbackQuery: 0-200 characters
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _read(request: HttpRequest) -> Any:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_BODY:
        raise Malformed(_("The request is too large."))
    body = request.body
    if len(body) > MAX_BODY:
        raise Malformed(_("The request is too large."))
    if (request.content_type or "").lower() != "application/json":
        raise Malformed(_("The request has an unsupported content type."))
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Malformed(_("The request could not be read.")) from None


def _send_message(chat_id: str, reply: Reply) -> HttpResponse:
    if not reply.text:
        return HttpResponse(status=200)
    return JsonResponse(
        {
            "method": "sendMessage",
            "chat_id": int(chat_id),
            "text": clip_utf16(reply.text, MAX_TEXT),
            "link_preview_options": {"is_disabled": True},
        }
    )


def _answer_query(query_id: str, reply: Reply | None = None) -> HttpResponse:
    # always answered, even with nothing to say: the button spins until it is
    body: dict[str, Any] = {"method": "answerCallbackQuery", "callback_query_id": query_id}
    if reply is not None and reply.text:
        body["text"] = clip_utf16(reply.text, MAX_ALERT)
        # the common case is a brief notice; news that changes plans needs a tap to go away
        body["show_alert"] = reply.outcome not in (ReplyOutcome.ANSWERED, ReplyOutcome.DUPLICATE)
    return JsonResponse(body)


@csrf_exempt
def webhook(request: HttpRequest) -> HttpResponse:
    """One ``Update`` from Telegram."""
    secret = config.webhook_secret()
    if not secret:
        return _plain(_("Not found."), 404)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    given = request.headers.get(HEADER, "")
    if not hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8")):
        return _plain(_("Forbidden."), 403)
    try:
        number, command = parse_update(_read(request))
    except Malformed as exc:
        return _plain(str(exc), 400)
    provider_id = str(number)
    if isinstance(command, Start):
        reply = inbound.link_telegram_chat(command.token, command.chat_id, provider_id=provider_id)
        return _send_message(command.chat_id, reply)
    if isinstance(command, Stop):
        reply = inbound.handle_chat_stop("telegram", command.chat_id, provider_id=provider_id)
        return _send_message(command.chat_id, reply)
    if isinstance(command, ButtonAnswer):
        reply = inbound.handle_chat_answer(
            "telegram", command.chat_id, command.call_id, command.answer, provider_id=provider_id
        )
        return _answer_query(command.query_id, reply)
    if isinstance(command, ButtonOther):
        return _answer_query(command.query_id)
    return HttpResponse(status=200)
