"""The Telegram webhook end to end: Updates in the Bot API's documented format through the real
view and the real crowd services, against volunteers and a call in the database.

This module is also the URLconf of these tests: the webhook at ``/crowds/hooks/telegram/`` (as
the site mounts it) in front of the site's own URLs.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone

from portaat.crowds.models import (
    Answer,
    CallMessage,
    CallStatus,
    Channel,
    Delivery,
    DeliveryStatus,
    InboundMessage,
    MessageKind,
    Response,
    Volunteer,
    VolunteerStatus,
)
from portaat.crowds.transports.telegram.urls import webhook_url
from tests.factories import CallFactory, VolunteerFactory


def _urlpatterns() -> list[URLPattern | URLResolver]:
    from portaat import urls as site

    return [
        path("crowds/hooks/telegram/", include("portaat.crowds.transports.telegram.urls")),
        *site.urlpatterns,
    ]


urlpatterns = _urlpatterns()
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

HOOK = "/crowds/hooks/telegram/"
SECRET = "tg-hook-secret-0123456789abcdef"
CHAT = 123456789
BOT_ID = 7771234567


@pytest.fixture(autouse=True)
def _telegram(settings: Any) -> None:
    settings.PORTAAT_TELEGRAM_BOT_TOKEN = "7771234567:AAHk3x9vQ2mZ_fake-token-for-tests0"
    settings.PORTAAT_TELEGRAM_BOT_USERNAME = "PortaatBot"
    settings.PORTAAT_TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.SITE_URL = "https://portaat.example"


def user(user_id: int = CHAT) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Aino", "language_code": "fi"}


def private_chat(chat_id: int = CHAT) -> dict[str, Any]:
    return {"id": chat_id, "first_name": "Aino", "type": "private"}


def text_update(update_id: int, text: str, chat: dict[str, Any] | None = None) -> dict[str, Any]:
    """An Update carrying a Message, as the Bot API sends it to a webhook."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 17,
            "from": user(),
            "chat": chat or private_chat(),
            "date": 1718000000,
            "text": text,
            **(
                {"entities": [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]}
                if text.startswith("/")
                else {}
            ),
        },
    }


def button_update(update_id: int, data: str, chat_id: int = CHAT) -> dict[str, Any]:
    """An Update carrying a CallbackQuery: a press of an inline keyboard button."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"48151623420{update_id}",
            "from": user(chat_id),
            "message": {
                "message_id": 4711,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Portaat"},
                "chat": private_chat(chat_id),
                "date": 1718000000,
                "text": "Kaatuneet puut Käpylässä",
            },
            "chat_instance": "-5310473629436458203",
            "data": data,
        },
    }


def deliver(
    body: Any, *, secret: str | None = SECRET, content_type: str = "application/json"
) -> HttpResponse:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    # Telegram has no CSRF token: the view must not need one
    response: HttpResponse = Client(enforce_csrf_checks=True).post(
        HOOK, data=data, content_type=content_type, headers=headers
    )
    return response


def method_of(response: HttpResponse) -> dict[str, Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data: dict[str, Any] = json.loads(response.content)
    return data


def snapshot() -> tuple[Any, ...]:
    """Everything a Telegram update may change."""
    return (
        list(InboundMessage.objects.values_list("channel", "kind", "provider_id", "outcome")),
        list(Response.objects.values_list("call_id", "volunteer_id", "answer", "via")),
        list(
            Volunteer.objects.values_list(
                "pk", "status", "telegram_chat_id", "telegram_link_token", "channels"
            )
        ),
    )


@pytest.fixture
def newcomer() -> Volunteer:
    """A volunteer who has not linked a chat yet."""
    volunteer: Volunteer = VolunteerFactory(channels=["email"], language="fi")
    return volunteer


@pytest.fixture
def world() -> dict[str, Any]:
    """A volunteer on Telegram who was sent an open call."""
    volunteer = VolunteerFactory(channels=["telegram"], telegram_chat_id=str(CHAT), language="fi")
    call = CallFactory(status=CallStatus.SENT, title="Kaatuneet puut Käpylässä", needed=5)
    alert = CallMessage.objects.create(call=call, kind=MessageKind.ALERT)
    Delivery.objects.create(
        message=alert,
        volunteer=volunteer,
        channel=Channel.TELEGRAM,
        status=DeliveryStatus.SENT,
        provider_id=f"{CHAT}:4711",
        sent_at=timezone.now(),
    )
    return {"volunteer": volunteer, "call": call}


# authentication and methods ----------------------------------------------------------------


def test_the_webhook_address_for_set_webhook() -> None:
    assert webhook_url() == "https://portaat.example/crowds/hooks/telegram/"


@pytest.mark.parametrize("secret", ["", "short"])
def test_no_usable_secret_means_no_webhook(
    settings: Any, secret: str, world: dict[str, Any]
) -> None:
    settings.PORTAAT_TELEGRAM_WEBHOOK_SECRET = secret
    before = snapshot()
    response = deliver(text_update(1, "/stop"), secret=secret)
    assert response.status_code == 404
    assert snapshot() == before
    assert webhook_url() == ""


@pytest.mark.parametrize("given", [None, "", "wrong", SECRET + "x", SECRET[:-1], SECRET.upper()])
def test_a_wrong_secret_is_forbidden(world: dict[str, Any], given: str | None) -> None:
    before = snapshot()
    response = deliver(text_update(1, "/stop"), secret=given)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_post(method: str) -> None:
    response = getattr(Client(), method)(HOOK, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 405
    assert response["Allow"] == "POST"


# linking a chat ----------------------------------------------------------------------------


def test_start_with_the_token_links_the_chat(newcomer: Volunteer) -> None:
    token = newcomer.telegram_link_token
    response = deliver(text_update(900001, f"/start {token}"))
    reply = method_of(response)
    assert reply["method"] == "sendMessage"
    assert reply["chat_id"] == CHAT and reply["text"]
    newcomer.refresh_from_db()
    assert newcomer.telegram_chat_id == str(CHAT)
    assert newcomer.channels == ["email", "telegram"]
    # used up: a forwarded link cannot bind a second chat
    assert newcomer.telegram_link_token != token
    assert InboundMessage.objects.filter(channel="telegram", provider_id="900001").exists()


def test_a_repeated_update_changes_nothing_and_says_nothing(newcomer: Volunteer) -> None:
    update = text_update(900002, f"/start {newcomer.telegram_link_token}")
    method_of(deliver(update))
    before = snapshot()
    response = deliver(update)  # Telegram retries an update it thinks failed
    assert response.status_code == 200 and response.content == b""
    assert snapshot() == before


def test_start_addressed_to_the_bot_by_name_works(newcomer: Volunteer) -> None:
    method_of(deliver(text_update(900003, f"/start@PortaatBot {newcomer.telegram_link_token}")))
    newcomer.refresh_from_db()
    assert newcomer.telegram_chat_id == str(CHAT)


@pytest.mark.parametrize("text", ["/start nope-not-a-token", "/start"])
def test_start_with_an_unknown_token_links_nothing(newcomer: Volunteer, text: str) -> None:
    reply = method_of(deliver(text_update(900004, text)))
    assert reply["method"] == "sendMessage" and reply["text"]
    newcomer.refresh_from_db()
    assert newcomer.telegram_chat_id == ""


def test_a_group_chat_is_never_linked(newcomer: Volunteer) -> None:
    group = {"id": -1001234567890, "title": "Kallion talkoot", "type": "supergroup"}
    before = snapshot()
    response = deliver(text_update(900005, f"/start {newcomer.telegram_link_token}", group))
    assert response.status_code == 200 and response.content == b""
    assert snapshot() == before


# leaving -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/stop", "LOPETA", "sluta"])
def test_stop_leaves(world: dict[str, Any], text: str) -> None:
    reply = method_of(deliver(text_update(900010, text)))
    assert reply["method"] == "sendMessage" and reply["chat_id"] == CHAT and reply["text"]
    volunteer = Volunteer.objects.get(pk=world["volunteer"].pk)
    assert volunteer.status == VolunteerStatus.LEFT


def test_stop_from_an_unknown_chat_changes_nothing(world: dict[str, Any]) -> None:
    update = text_update(900011, "/stop", private_chat(555))
    update["message"]["from"] = user(555)
    reply = method_of(deliver(update))
    assert reply["chat_id"] == 555 and reply["text"]
    assert Volunteer.objects.get(pk=world["volunteer"].pk).status == VolunteerStatus.ACTIVE


# answer buttons ----------------------------------------------------------------------------


def test_a_button_records_the_answer(world: dict[str, Any]) -> None:
    call = world["call"]
    reply = method_of(deliver(button_update(900020, f"a:{call.pk}:coming")))
    assert reply["method"] == "answerCallbackQuery"
    assert reply["callback_query_id"] == "48151623420900020"
    assert reply["text"] and len(reply["text"]) <= 200
    assert reply["show_alert"] is False
    answer = Response.objects.get(call=call, volunteer=world["volunteer"])
    assert (answer.answer, answer.via) == (Answer.COMING, "telegram")


def test_a_change_of_mind_replaces_the_answer(world: dict[str, Any]) -> None:
    call = world["call"]
    method_of(deliver(button_update(900021, f"a:{call.pk}:coming")))
    method_of(deliver(button_update(900022, f"a:{call.pk}:not_coming")))
    method_of(deliver(button_update(900023, f"a:{call.pk}:not_coming")))
    assert list(Response.objects.values_list("answer", flat=True)) == [Answer.NOT_COMING]


def test_a_repeated_button_update_is_answered_but_changes_nothing(world: dict[str, Any]) -> None:
    update = button_update(900024, f"a:{world['call'].pk}:arrived")
    method_of(deliver(update))
    before = snapshot()
    reply = method_of(deliver(update))
    assert reply == {"method": "answerCallbackQuery", "callback_query_id": "48151623420900024"}
    assert snapshot() == before


def test_coming_when_enough_people_are_coming_is_waitlisted(world: dict[str, Any]) -> None:
    call = world["call"]
    call.needed = 1
    call.save(update_fields=["needed"])
    other = VolunteerFactory()
    Response.objects.create(call=call, volunteer=other, answer=Answer.COMING, via="link")
    reply = method_of(deliver(button_update(900025, f"a:{call.pk}:coming")))
    assert reply["show_alert"] is True  # news that changes plans: a tap to dismiss
    assert Response.objects.get(volunteer=world["volunteer"]).waitlisted


def test_a_button_from_an_unknown_chat_records_nothing(world: dict[str, Any]) -> None:
    reply = method_of(deliver(button_update(900026, f"a:{world['call'].pk}:coming", chat_id=555)))
    assert reply["method"] == "answerCallbackQuery" and reply["text"]
    assert not Response.objects.exists()


def test_a_button_for_a_call_not_sent_to_the_volunteer_records_nothing(
    world: dict[str, Any],
) -> None:
    elsewhere = CallFactory(status=CallStatus.SENT)
    reply = method_of(deliver(button_update(900027, f"a:{elsewhere.pk}:coming")))
    assert reply["text"]
    assert not Response.objects.exists()


def test_a_button_after_the_call_is_over(world: dict[str, Any]) -> None:
    call = world["call"]
    call.status = CallStatus.STOOD_DOWN
    call.save(update_fields=["status"])
    reply = method_of(deliver(button_update(900028, f"a:{call.pk}:coming")))
    assert reply["text"] and reply["show_alert"] is True
    assert not Response.objects.exists()


@pytest.mark.parametrize("data", ["x", "a:1", "a:1:maybe", "a:-1:coming", "a:1:coming:extra"])
def test_a_button_we_do_not_know_is_only_acknowledged(world: dict[str, Any], data: str) -> None:
    before = snapshot()
    reply = method_of(deliver(button_update(900030, data)))
    assert reply == {"method": "answerCallbackQuery", "callback_query_id": "48151623420900030"}
    assert snapshot() == before


# other updates and malformed requests ------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        {
            "update_id": 900040,
            "edited_message": {"message_id": 1, "chat": private_chat(), "date": 1},
        },
        {
            "update_id": 900041,
            "my_chat_member": {
                "chat": private_chat(),
                "from": user(),
                "date": 1718000000,
                "old_chat_member": {"status": "member", "user": user(BOT_ID)},
                "new_chat_member": {"status": "kicked", "user": user(BOT_ID), "until_date": 0},
            },
        },
        {
            "update_id": 900042,
            "message": {"message_id": 2, "chat": private_chat(), "date": 1, "sticker": {}},
        },
        text_update(900043, "kyllä tulen"),
        text_update(900044, "/help"),
        {"update_id": 900045},
    ],
)
def test_other_updates_are_acknowledged_quietly(world: dict[str, Any], update: Any) -> None:
    before = snapshot()
    response = deliver(update)
    assert response.status_code == 200 and response.content == b""
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        (b"\xff\xfe{}", "application/json"),
        ("[]", "application/json"),
        ("null", "application/json"),
        (json.dumps(text_update(1, "/stop")), "application/x-www-form-urlencoded"),
        (json.dumps({"message": text_update(1, "/stop")["message"]}), "application/json"),
        (json.dumps({**text_update(1, "/stop"), "update_id": "1"}), "application/json"),
        (json.dumps({**text_update(1, "/stop"), "update_id": True}), "application/json"),
        (json.dumps({**text_update(1, "/stop"), "update_id": -5}), "application/json"),
        (json.dumps({**text_update(1, "/stop"), "update_id": 2**60}), "application/json"),
        (json.dumps({"update_id": 1, "message": "hello"}), "application/json"),
        (
            json.dumps(
                {
                    "update_id": 1,
                    "message": {"chat": {"id": "123", "type": "private"}, "text": "/stop"},
                }
            ),
            "application/json",
        ),
        (
            json.dumps({"update_id": 1, "message": {"chat": {"id": CHAT}, "text": "/stop"}}),
            "application/json",
        ),
        (
            json.dumps({"update_id": 1, "message": {"chat": private_chat(), "text": 5}}),
            "application/json",
        ),
        (json.dumps({"update_id": 1, "message": {"text": "/stop"}}), "application/json"),
        (
            json.dumps({"update_id": 1, "callback_query": {"from": user(), "data": "a:1:coming"}}),
            "application/json",
        ),
        (
            json.dumps(
                {"update_id": 1, "callback_query": {"id": "", "from": user(), "data": "a:1:coming"}}
            ),
            "application/json",
        ),
        (
            json.dumps({"update_id": 1, "callback_query": {"id": "7", "data": "a:1:coming"}}),
            "application/json",
        ),
        (
            json.dumps({"update_id": 1, "callback_query": {"id": "7", "from": user(), "data": 1}}),
            "application/json",
        ),
        (
            json.dumps(
                {"update_id": 1, "callback_query": {"id": "7", "from": user(), "data": "a" * 65}}
            ),
            "application/json",
        ),
        (json.dumps({"update_id": 1, "callback_query": []}), "application/json"),
        (json.dumps({**text_update(1, "/stop"), "pad": "x" * 70_000}), "application/json"),
    ],
)
def test_a_malformed_update_changes_nothing(
    world: dict[str, Any], body: str | bytes, content_type: str
) -> None:
    before = snapshot()
    response = deliver(body, content_type=content_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.strip()
    assert snapshot() == before
