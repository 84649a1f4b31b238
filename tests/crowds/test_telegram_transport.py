"""The Telegram transport against a real local HTTP server replaying Bot API answers.

The answers follow the Bot API's documented format (https://core.telegram.org/bots/api:
``{"ok": true, "result": Message}`` or ``{"ok": false, "error_code", "description",
"parameters"}``); the error descriptions are the ones Telegram gives for these cases.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils.translation import override

from portaat.crowds import dispatch
from portaat.crowds.models import (
    Answer,
    CallMessage,
    CallStatus,
    Channel,
    Delivery,
    DeliveryStatus,
    MessageKind,
    Volunteer,
)
from portaat.crowds.transports import TRANSPORTS
from portaat.crowds.transports.base import Outgoing, Result
from portaat.crowds.transports.telegram import TelegramTransport, telegram_link
from tests.factories import CallFactory, VolunteerFactory
from tests.listening.replay import Recorded, ReplayServer, replay

TOKEN = "7771234567:AAHk3x9vQ2mZ_fake-token-for-tests0"
SEND = f"/bot{TOKEN}/sendMessage"
CHAT = "123456789"
SECRET = "tg-hook-secret-0123456789abcdef"


def sent_message(message_id: int = 4711, chat_id: int = int(CHAT)) -> dict[str, Any]:
    """A ``sendMessage`` success as the Bot API documents it."""
    return {
        "ok": True,
        "result": {
            "message_id": message_id,
            "from": {
                "id": 7771234567,
                "is_bot": True,
                "first_name": "Portaat",
                "username": "PortaatBot",
            },
            "chat": {"id": chat_id, "first_name": "Aino", "type": "private"},
            "date": 1718000000,
            "text": "Kaatuneet puut Käpylässä",
        },
    }


def failure(code: int, description: str, **parameters: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


@pytest.fixture
def bot(settings: Any) -> Iterator[ReplayServer]:
    with replay([]) as server:
        settings.PORTAAT_TELEGRAM_BOT_TOKEN = TOKEN
        settings.PORTAAT_TELEGRAM_BOT_USERNAME = "@PortaatBot"
        settings.PORTAAT_TELEGRAM_WEBHOOK_SECRET = SECRET
        settings.PORTAAT_TELEGRAM_API_URL = server.url
        settings.PORTAAT_TELEGRAM_TIMEOUT = 5
        yield server


def answers(server: ReplayServer, status: int, body: Any, **route: Any) -> None:
    server.add(method="POST", path=SEND, status=status, body=body, **route)


def message(**kw: Any) -> Outgoing:
    fields: dict[str, Any] = {
        "delivery_id": 7,
        "reference": "0b7f6c1e-2a8e-4d36-9a55-54c1d0a7f001",
        "to": CHAT,
        "subject": "Avunpyyntö: Kaatuneet puut Käpylässä",
        "text": "Kaatuneet puut Käpylässä\n\nTuo sahat <ja> hanskat & *kypärä* _nyt_.",
        "short_text": "Kaatuneet puut. Vastaa K7QX 1",
        "language": "fi",
        "links": {
            "coming": "https://portaat.example/crowds/r/42.3.abc/?a=coming",
            "not_coming": "https://portaat.example/crowds/r/42.3.abc/?a=not_coming",
            "arrived": "https://portaat.example/crowds/r/42.3.abc/?a=arrived",
        },
        "url": "https://portaat.example/crowds/r/42.3.abc/",
        "extra": {"call_id": 42, "manage_url": "https://portaat.example/crowds/v/s/"},
    }
    fields.update(kw)
    return Outgoing(**fields)


def send(msg: Outgoing | None = None, transport: TelegramTransport | None = None) -> Result:
    handed: list[bool] = []
    result = (transport or TelegramTransport()).send(msg or message(), lambda: handed.append(True))
    assert not handed  # HTTP has no point of no return: the dispatcher marks "sending"
    return result


def body_of(request: Recorded) -> dict[str, Any]:
    assert request.headers["content-type"] == "application/json"
    data: dict[str, Any] = json.loads(request.body)
    return data


# sending -----------------------------------------------------------------------------------


def test_a_call_goes_as_plain_text_with_answer_buttons(bot: ReplayServer) -> None:
    answers(bot, 200, sent_message())
    result = send()
    assert result == Result(ok=True, provider_id=f"{CHAT}:4711")

    [request] = bot.requests
    assert (request.method, request.path) == ("POST", SEND)
    body = body_of(request)
    assert body["chat_id"] == int(CHAT)
    # sent as written: no parse_mode, so <, &, * and _ need no escaping
    assert body["text"] == message().text
    assert "parse_mode" not in body
    # Telegram would otherwise fetch the personal answer links for a preview
    assert body["link_preview_options"] == {"is_disabled": True}
    rows = body["reply_markup"]["inline_keyboard"]
    buttons = [button for row in rows for button in row]
    assert [b["callback_data"] for b in buttons] == [
        "a:42:coming",
        "a:42:not_coming",
        "a:42:arrived",
    ]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    with override("fi"):
        labels = [str(Answer.COMING.label), str(Answer.NOT_COMING.label), str(Answer.ARRIVED.label)]
    assert [b["text"] for b in buttons] == labels


def test_the_buttons_speak_the_volunteers_language(bot: ReplayServer) -> None:
    answers(bot, 200, sent_message())
    with override("fi"):
        send(message(language="sv"))
    buttons = [
        b for row in body_of(bot.requests[0])["reply_markup"]["inline_keyboard"] for b in row
    ]
    with override("sv"):
        assert buttons[0]["text"] == str(Answer.COMING.label)


def test_a_message_that_is_not_a_call_has_no_buttons(bot: ReplayServer) -> None:
    answers(bot, 200, sent_message(4712))
    result = send(message(subject="Kiitos", text="Työ on tehty. Kiitos!", links={}))
    assert result.ok and result.provider_id == f"{CHAT}:4712"
    assert "reply_markup" not in body_of(bot.requests[0])


def test_a_long_text_is_cut_to_what_telegram_takes(bot: ReplayServer) -> None:
    answers(bot, 200, sent_message())
    send(message(text="🌊" * 3000))  # 6000 UTF-16 code units
    text = body_of(bot.requests[0])["text"]
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    assert text.endswith("…")


def test_a_session_reuses_its_connection(bot: ReplayServer) -> None:
    answers(bot, 200, sent_message())
    transport = TelegramTransport()
    with transport.session() as session:
        assert isinstance(session, TelegramTransport)
        assert all(send(transport=session).ok for _ in range(3))
    assert len(bot.requests) == 3


# the Bot API's answers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "description", ["Forbidden: bot was blocked by the user", "Forbidden: user is deactivated"]
)
def test_a_blocked_bot_forgets_the_chat(bot: ReplayServer, description: str) -> None:
    answers(bot, 403, failure(403, description))
    result = send()
    assert (result.ok, result.retry, result.gone) == (False, False, True)
    assert description in result.error


def test_chat_not_found_is_not_retried(bot: ReplayServer) -> None:
    answers(bot, 400, failure(400, "Bad Request: chat not found"))
    result = send()
    assert (result.ok, result.retry, result.gone) == (False, False, False)
    assert "chat not found" in result.error


def test_too_many_requests_waits_as_told(bot: ReplayServer) -> None:
    answers(bot, 429, failure(429, "Too Many Requests: retry after 35", retry_after=35))
    result = send()
    assert (result.ok, result.retry, result.retry_after) == (False, True, 35.0)


def test_too_many_requests_without_parameters_uses_the_header(bot: ReplayServer) -> None:
    answers(bot, 429, "Too Many Requests", headers={"Retry-After": "12"})
    result = send()
    assert (result.ok, result.retry, result.retry_after) == (False, True, 12.0)


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_server_error_is_retried(bot: ReplayServer, status: int) -> None:
    answers(bot, status, failure(status, "Internal Server Error"))
    result = send()
    assert (result.ok, result.retry, result.gone, result.uncertain) == (False, True, False, False)


@pytest.mark.parametrize(("status", "description"), [(401, "Unauthorized"), (404, "Not Found")])
def test_a_wrong_token_waits_for_the_configuration(
    bot: ReplayServer, status: int, description: str
) -> None:
    answers(bot, status, failure(status, description))
    result = send()
    assert (result.ok, result.retry, result.gone) == (False, True, False)
    assert result.retry_after and result.retry_after >= 60


def test_an_ok_answer_without_a_message_id_still_counts_as_sent(bot: ReplayServer) -> None:
    answers(bot, 200, {"ok": True, "result": True})
    result = send()
    assert result.ok and result.provider_id == "" and result.error


def test_errors_never_show_the_token(bot: ReplayServer, settings: Any) -> None:
    answers(bot, 500, "<html>Bad Gateway</html>")
    assert TOKEN not in send().error
    with replay([]) as gone:
        settings.PORTAAT_TELEGRAM_API_URL = gone.url
    result = send()  # the server is gone: connection refused
    assert (result.ok, result.retry, result.uncertain) == (False, True, False)
    assert TOKEN not in result.error and "not sent" in result.error


def test_no_answer_in_time_is_uncertain(bot: ReplayServer, settings: Any) -> None:
    settings.PORTAAT_TELEGRAM_TIMEOUT = 0.3
    gate = threading.Event()
    answers(bot, 200, sent_message(), gate=gate)
    try:
        result = send()
    finally:
        gate.set()
    assert (result.ok, result.retry, result.uncertain) == (False, False, True)
    assert TOKEN not in result.error


# what is not sent --------------------------------------------------------------------------


@pytest.mark.parametrize("to", ["", "@somechannel", "12ab", "1" * 25, "123 456"])
def test_a_bad_chat_id_is_not_sent(bot: ReplayServer, to: str) -> None:
    result = send(message(to=to))
    assert (result.ok, result.retry) == (False, False)
    assert bot.requests == []


def test_unconfigured_telegram_waits(settings: Any) -> None:
    settings.PORTAAT_TELEGRAM_BOT_TOKEN = ""
    result = send()
    assert (result.ok, result.retry) == (False, True)
    assert result.retry_after


# configuration and the link ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "configured"),
    [
        (TOKEN, True),
        ("", False),
        ("not-a-token", False),
        ("123:short", False),
        ("123456:AAHk3x9vQ2mZ/../../etc/passwd0000", False),
    ],
)
def test_configured_needs_a_bot_token(settings: Any, token: str, configured: bool) -> None:
    settings.PORTAAT_TELEGRAM_BOT_TOKEN = token
    assert TelegramTransport.configured() is configured


@pytest.mark.django_db
def test_the_link_binds_a_chat_through_the_bot(bot: ReplayServer, settings: Any) -> None:
    volunteer = VolunteerFactory()
    link = telegram_link(volunteer)
    assert link == f"https://t.me/PortaatBot?start={volunteer.telegram_link_token}"
    for name, value in [
        ("PORTAAT_TELEGRAM_BOT_USERNAME", ""),
        ("PORTAAT_TELEGRAM_WEBHOOK_SECRET", ""),
        ("PORTAAT_TELEGRAM_WEBHOOK_SECRET", "short"),
        ("PORTAAT_TELEGRAM_BOT_TOKEN", ""),
    ]:
        previous = getattr(settings, name)
        setattr(settings, name, value)
        assert telegram_link(volunteer) is None, name
        setattr(settings, name, previous)
    assert telegram_link(volunteer) == link


# through the dispatcher --------------------------------------------------------------------


@pytest.fixture
def telegram_registered(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setitem(
        TRANSPORTS, "telegram", "portaat.crowds.transports.telegram.TelegramTransport"
    )
    settings.SITE_URL = "https://portaat.example"


def _delivery(kind: str = MessageKind.ALERT) -> Delivery:
    volunteer = VolunteerFactory(channels=["telegram"], telegram_chat_id=CHAT, language="fi")
    call = CallFactory(status=CallStatus.SENT, title="Kaatuneet puut Käpylässä")
    alert = CallMessage.objects.create(call=call, kind=kind, text_fi="Tulkaa pian")
    return Delivery.objects.create(message=alert, volunteer=volunteer, channel=Channel.TELEGRAM)


@pytest.mark.django_db
def test_the_dispatcher_sends_a_call_with_buttons(
    bot: ReplayServer, telegram_registered: None
) -> None:
    answers(bot, 200, sent_message(4713))
    delivery = _delivery()
    assert dispatch.run_batch("telegram") == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider_id) == (DeliveryStatus.SENT, f"{CHAT}:4713")
    body = body_of(bot.requests[0])
    assert "Kaatuneet puut Käpylässä" in body["text"]
    data = [b["callback_data"] for row in body["reply_markup"]["inline_keyboard"] for b in row]
    call_id = delivery.message.call_id
    assert data == [f"a:{call_id}:coming", f"a:{call_id}:not_coming", f"a:{call_id}:arrived"]


@pytest.mark.django_db
def test_the_dispatcher_sends_an_update_without_buttons(
    bot: ReplayServer, telegram_registered: None
) -> None:
    answers(bot, 200, sent_message(4714))
    delivery = _delivery(MessageKind.UPDATE)
    assert dispatch.run_batch("telegram") == 1
    assert "reply_markup" not in body_of(bot.requests[0])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_a_blocked_bot_makes_the_dispatcher_forget_the_chat(
    bot: ReplayServer, telegram_registered: None
) -> None:
    answers(bot, 403, failure(403, "Forbidden: bot was blocked by the user"))
    delivery = _delivery()
    dispatch.run_batch("telegram")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert Volunteer.objects.get(pk=delivery.volunteer_id).telegram_chat_id == ""
