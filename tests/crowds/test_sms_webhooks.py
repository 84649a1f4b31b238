"""The SMS webhooks end to end: the gateway's documented requests through the real views and
the real crowd services, against a volunteer and a call in the database.

This module is also the URLconf of the SMS tests: the site's URLs, or, while another
channel's module is still missing from the site's URLs, the SMS webhooks alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone

from portaat.crowds import inbound
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
from portaat.crowds.transports.sms_http.elks import Elks
from portaat.crowds.transports.sms_http.encoding import segments
from portaat.crowds.transports.sms_http.urls import incoming_url, receipt_url
from tests.factories import CallFactory, VolunteerFactory


def _urlpatterns() -> list[URLPattern | URLResolver]:
    try:
        from portaat import urls as site
    except ImportError:
        return [path("crowds/hooks/sms/", include("portaat.crowds.transports.sms_http.urls"))]
    return list(site.urlpatterns)


urlpatterns = _urlpatterns()
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

FIXTURES = Path(__file__).parent / "fixtures" / "sms"
SECRET = "hook-secret-0123456789abcdef"
PHONE = "+358401234567"
SMS_ID = "s17a6dafb12d6b1cabc053d57dac2b9d8"
FORM = "application/x-www-form-urlencoded"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text().strip()


@pytest.fixture(autouse=True)
def _fresh_reply_counts() -> None:
    cache.clear()


@pytest.fixture
def elks(settings: Any) -> None:
    settings.PORTAAT_SMS_PROVIDER = "46elks"
    settings.PORTAAT_SMS_USERNAME = "u7a3f2c1e"
    settings.PORTAAT_SMS_PASSWORD = "D3ADB33F"
    settings.PORTAAT_SMS_SENDER = "Portaat"
    settings.PORTAAT_SMS_WEBHOOK_SECRET = SECRET
    settings.SITE_URL = "https://portaat.example"


@pytest.fixture
def generic(settings: Any) -> None:
    settings.PORTAAT_SMS_PROVIDER = "generic"
    settings.PORTAAT_SMS_URL = "https://gateway.example/v2/messages"
    settings.PORTAAT_SMS_WEBHOOK_SECRET = SECRET
    settings.PORTAAT_SMS_GENERIC_INCOMING_FIELDS = "from=data.msisdn,text=data.body,id=data.mid"
    settings.PORTAAT_SMS_GENERIC_RECEIPT_FIELDS = "id=mid,status=state,error=reason"
    settings.PORTAAT_SMS_GENERIC_DELIVERED = "DELIVRD"
    settings.PORTAAT_SMS_GENERIC_FAILED = "UNDELIV,REJECTD,EXPIRED"
    settings.SITE_URL = "https://portaat.example"


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """A volunteer on SMS who was sent call K7QX (open), with the 46elks id of that SMS."""
    volunteer = VolunteerFactory(phone=PHONE, channels=["sms"], language="fi")
    call = CallFactory(code="K7QX", status=CallStatus.SENT, title="Kaatuneet puut Käpylässä")
    alert = CallMessage.objects.create(call=call, kind=MessageKind.ALERT, text_fi="Apua")
    delivery = Delivery.objects.create(
        message=alert,
        volunteer=volunteer,
        channel=Channel.SMS,
        status=DeliveryStatus.SENT,
        provider_id=SMS_ID,
        sent_at=timezone.now(),
    )
    return {"volunteer": volunteer, "call": call, "delivery": delivery}


def client() -> Client:
    return Client(enforce_csrf_checks=True)  # the gateway has no CSRF token


def incoming_path() -> str:
    url = incoming_url()
    assert url, "the SMS webhooks are not mounted"
    return url.removeprefix("https://portaat.example")


def receipt_path() -> str:
    url = receipt_url()
    assert url, "the SMS webhooks are not mounted"
    return url.removeprefix("https://portaat.example")


def post_form(path_: str, body: str | bytes) -> HttpResponse:
    return client().post(path_, data=body, content_type=FORM)  # type: ignore[return-value]


def snapshot() -> tuple[Any, ...]:
    """Everything an SMS webhook may change."""
    return (
        list(InboundMessage.objects.values_list("channel", "kind", "provider_id", "outcome")),
        list(Response.objects.values_list("call_id", "volunteer_id", "answer", "updated_at")),
        list(Volunteer.objects.values_list("pk", "status", "left_at")),
        list(Delivery.objects.values_list("pk", "status", "error", "delivered_at")),
    )


def text_of(response: HttpResponse) -> str:
    return response.content.decode("utf-8")


# authentication and methods ----------------------------------------------------------------


def test_the_hooks_are_under_crowds(elks: None) -> None:
    assert incoming_path() == f"/crowds/hooks/sms/{SECRET}/incoming/"
    assert receipt_path() == f"/crowds/hooks/sms/{SECRET}/receipt/"


@pytest.mark.parametrize("kind", ["incoming", "receipt"])
def test_a_wrong_secret_is_not_found(elks: None, world: dict[str, Any], kind: str) -> None:
    before = snapshot()
    for secret in [
        "hook-secret-0123456789abcdeX",
        "x",
        SECRET + "0",
        "hook-secret-0123456789abcdeé",
    ]:
        response = post_form(f"/crowds/hooks/sms/{secret}/{kind}/", fixture("elks_incoming.form"))
        assert response.status_code == 404
        # a wrong secret does not even learn whether the method was right
        assert client().get(f"/crowds/hooks/sms/{secret}/{kind}/").status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("secret", ["", "too-short"])
def test_no_usable_secret_configured_means_no_hooks(
    elks: None, world: dict[str, Any], settings: Any, secret: str
) -> None:
    settings.PORTAAT_SMS_WEBHOOK_SECRET = secret
    response = post_form(f"/crowds/hooks/sms/{secret or 'x'}/incoming/", "a=b")
    assert response.status_code == 404
    assert incoming_url() == receipt_url() == ""


def test_no_provider_means_no_hooks(elks: None, world: dict[str, Any], settings: Any) -> None:
    settings.PORTAAT_SMS_PROVIDER = ""
    path_ = f"/crowds/hooks/sms/{SECRET}/incoming/"
    assert post_form(path_, fixture("elks_incoming.form")).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete", "head"])
def test_only_post(elks: None, world: dict[str, Any], method: str) -> None:
    before = snapshot()
    for path_ in (incoming_path(), receipt_path()):
        response = getattr(client(), method)(path_)
        assert response.status_code == 405
        assert response["Allow"] == "POST"
    assert snapshot() == before


# 46elks incoming SMS -----------------------------------------------------------------------


def test_an_answer_by_sms_is_recorded_and_confirmed(elks: None, world: dict[str, Any]) -> None:
    response = post_form(incoming_path(), fixture("elks_incoming.form"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Kaatuneet puut Käpylässä" in text_of(response)  # the reply SMS names the call
    answer = Response.objects.get(call=world["call"], volunteer=world["volunteer"])
    assert (answer.answer, answer.via) == (Answer.COMING, "sms")
    assert InboundMessage.objects.filter(
        channel="sms", kind="reply", provider_id="sf8425555e5d8db61dda7a7b3f1b91bdb"
    ).exists()


def test_a_retried_webhook_changes_nothing_and_sends_no_second_reply(
    elks: None, world: dict[str, Any]
) -> None:
    assert post_form(incoming_path(), fixture("elks_incoming.form")).status_code == 200
    before = snapshot()
    again = post_form(incoming_path(), fixture("elks_incoming.form"))
    assert again.status_code == 204
    assert again.content == b""
    assert snapshot() == before


def test_a_change_of_mind_by_sms(elks: None, world: dict[str, Any]) -> None:
    post_form(incoming_path(), fixture("elks_incoming.form"))
    body = (
        fixture("elks_incoming.form")
        .replace("sf8425555e", "sf9999999e")
        .replace("K7QX%201", "k7qx%20EI")
    )
    assert post_form(incoming_path(), body).status_code == 200
    answer = Response.objects.get(call=world["call"], volunteer=world["volunteer"])
    assert answer.answer == Answer.NOT_COMING


def test_stop_by_sms_leaves(elks: None, world: dict[str, Any]) -> None:
    body = fixture("elks_incoming.form").replace("K7QX%201", "LOPETA")
    response = post_form(incoming_path(), body)
    assert response.status_code == 200
    assert text_of(response)
    world["volunteer"].refresh_from_db()
    assert world["volunteer"].status == VolunteerStatus.LEFT
    assert not Response.objects.exists()


def test_an_unknown_sender_is_told_so_and_nothing_changes(
    elks: None, world: dict[str, Any]
) -> None:
    body = fixture("elks_incoming.form").replace("%2B358401234567", "%2B358501112222")
    responses_before = list(Response.objects.all())
    response = post_form(incoming_path(), body)
    assert response.status_code == 200
    assert "/" in text_of(response)  # one reply in fi / sv / en: we do not know their language
    assert list(Response.objects.all()) == responses_before
    world["volunteer"].refresh_from_db()
    assert world["volunteer"].status == VolunteerStatus.ACTIVE


def test_an_unknown_code_is_explained_and_nothing_changes(
    elks: None, world: dict[str, Any]
) -> None:
    body = fixture("elks_incoming.form").replace("K7QX%201", "ZZZZ%201")
    response = post_form(incoming_path(), body)
    assert response.status_code == 200
    assert "ZZZZ" in text_of(response)
    assert not Response.objects.exists()


def test_a_long_reply_is_shortened_to_the_segment_limit(
    elks: None, world: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PORTAAT_SMS_MAX_SEGMENTS = 1
    long = inbound.Reply(inbound.ReplyOutcome.NOT_UNDERSTOOD, "Vastaa koodilla. " * 30)
    monkeypatch.setattr(inbound, "handle_sms_reply", lambda *a, **kw: long)
    response = post_form(incoming_path(), fixture("elks_incoming.form"))
    assert segments(text_of(response)) == 1


def test_replies_to_one_number_are_limited_but_answers_still_count(
    elks: None, world: dict[str, Any], settings: Any
) -> None:
    settings.PORTAAT_SMS_REPLIES_PER_HOUR = 2
    base = fixture("elks_incoming.form")
    replies = []
    for n, word in enumerate(["HMM", "ZZZZ%201", "K7QX%202"]):
        body = base.replace("sf8425555e", f"sf{n}000000e").replace("K7QX%201", word)
        response = post_form(incoming_path(), body)
        replies.append((response.status_code, bool(response.content)))
    # a third message in the hour gets no reply SMS (two bots could answer each other for
    # ever), yet what it says is recorded
    assert replies == [(200, True), (200, True), (204, False)]
    assert Response.objects.get(volunteer=world["volunteer"]).answer == Answer.NOT_COMING
    other = base.replace("sf8425555e", "sf7000000e").replace("%2B358401234567", "%2B358501112222")
    assert post_form(incoming_path(), other).status_code == 200  # another number is not limited


def test_a_reply_looking_like_json_is_sent_as_the_reply_action() -> None:
    plain = Elks().reply("Kiitos!")
    assert plain.content.decode() == "Kiitos!"
    braced = Elks().reply('{"forward": "+46700000000"}')
    assert braced["Content-Type"].startswith("application/json")
    assert json.loads(braced.content) == {"reply": '{"forward": "+46700000000"}'}


# 46elks malformed requests -----------------------------------------------------------------

BAD_INCOMING = {
    "no sender": "direction=incoming&id=sf1&to=%2B46766861004&message=K7QX%201",
    "no id": "direction=incoming&from=%2B358401234567&message=K7QX%201",
    "empty id": "direction=incoming&id=&from=%2B358401234567&message=K7QX%201",
    "no message": "direction=incoming&id=sf1&from=%2B358401234567",
    "repeated sender": "id=sf1&from=%2B358401234567&from=%2B358501112222&message=K7QX%201",
    "bad number": "id=sf1&from=%2B35812&message=K7QX%201",
    "a name as sender": "id=sf1&from=Telia&message=K7QX%201",
    "outgoing": "direction=outgoing&id=sf1&from=%2B358401234567&message=K7QX%201",
    "overlong id": f"id={'s' * 121}&from=%2B358401234567&message=K7QX%201",
    "nul": "id=sf1&from=%2B358401234567&message=K7QX%001",
    "not a form": "this is not a form",
    "invalid utf-8 escape": "id=sf1&from=%2B358401234567&message=K7QX%20%FF",
}


@pytest.mark.parametrize("case", list(BAD_INCOMING))
def test_malformed_incoming_sms_is_refused_and_changes_nothing(
    elks: None, world: dict[str, Any], case: str
) -> None:
    before = snapshot()
    response = post_form(incoming_path(), BAD_INCOMING[case])
    assert response.status_code == 400, case
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 0 < len(text_of(response)) < 200
    assert snapshot() == before


def test_invalid_utf8_bytes_are_refused(elks: None, world: dict[str, Any]) -> None:
    before = snapshot()
    response = post_form(incoming_path(), b"id=sf1&from=%2B358401234567&message=\xff\xfe")
    assert response.status_code == 400
    assert snapshot() == before


def test_an_oversized_body_is_refused(elks: None, world: dict[str, Any]) -> None:
    before = snapshot()
    body = fixture("elks_incoming.form") + "&pad=" + "x" * (64 * 1024)
    response = post_form(incoming_path(), body)
    assert response.status_code == 400
    assert snapshot() == before


def test_json_is_not_the_46elks_format(elks: None, world: dict[str, Any]) -> None:
    before = snapshot()
    response = client().post(
        incoming_path(),
        data={"id": "sf1", "from": PHONE, "message": "K7QX 1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert snapshot() == before


# 46elks delivery reports -------------------------------------------------------------------


def test_a_delivered_report_marks_the_delivery(elks: None, world: dict[str, Any]) -> None:
    response = post_form(receipt_path(), fixture("elks_receipt_delivered.form"))
    assert response.status_code == 200
    world["delivery"].refresh_from_db()
    assert world["delivery"].status == DeliveryStatus.DELIVERED
    assert world["delivery"].delivered_at is not None


def test_a_failed_report_marks_the_delivery_failed(elks: None, world: dict[str, Any]) -> None:
    response = post_form(receipt_path(), fixture("elks_receipt_failed.form"))
    assert response.status_code == 200
    world["delivery"].refresh_from_db()
    assert world["delivery"].status == DeliveryStatus.FAILED
    assert "46elks" in world["delivery"].error


def test_the_sent_step_is_acknowledged_and_not_recorded(elks: None, world: dict[str, Any]) -> None:
    before = snapshot()
    response = post_form(receipt_path(), fixture("elks_receipt_sent.form"))
    assert response.status_code == 200
    assert snapshot() == before
    # "delivered" after "sent" still counts
    post_form(receipt_path(), fixture("elks_receipt_delivered.form"))
    world["delivery"].refresh_from_db()
    assert world["delivery"].status == DeliveryStatus.DELIVERED


def test_a_report_for_an_unknown_id_is_acknowledged(elks: None, world: dict[str, Any]) -> None:
    before = snapshot()
    body = fixture("elks_receipt_delivered.form").replace(SMS_ID, "s0000000000")
    assert post_form(receipt_path(), body).status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        f"id={SMS_ID}",
        "status=delivered",
        f"id={SMS_ID}&status=lost",
        f"id={SMS_ID}&status=delivered&status=failed",
        "id=&status=delivered",
    ],
)
def test_malformed_reports_are_refused_and_change_nothing(
    elks: None, world: dict[str, Any], body: str
) -> None:
    before = snapshot()
    assert post_form(receipt_path(), body).status_code == 400
    assert snapshot() == before


# the generic adapter -----------------------------------------------------------------------


def post_json(path_: str, body: Any) -> HttpResponse:
    return client().post(  # type: ignore[return-value]
        path_, data=json.dumps(body), content_type="application/json"
    )


def test_generic_incoming_json_with_nested_fields(generic: None, world: dict[str, Any]) -> None:
    body = {"event": "mo", "data": {"msisdn": 358401234567, "body": "K7QX 1", "mid": 99101}}
    response = post_json(incoming_path(), body)
    assert response.status_code == 200
    reply = json.loads(response.content)
    assert "Kaatuneet puut Käpylässä" in reply["reply"]
    assert Response.objects.get(volunteer=world["volunteer"]).answer == Answer.COMING
    assert InboundMessage.objects.filter(kind="reply", provider_id="99101").exists()


def test_generic_incoming_form(generic: None, world: dict[str, Any], settings: Any) -> None:
    settings.PORTAAT_SMS_GENERIC_INCOMING_FIELDS = "from=sender,text=text,id=mid"
    response = post_form(incoming_path(), "sender=040+123+4567&text=K7QX+3&mid=m1")
    assert response.status_code == 200
    assert Response.objects.get(volunteer=world["volunteer"]).answer == Answer.ARRIVED


@pytest.mark.parametrize(
    "body",
    [
        [{"data": {"msisdn": PHONE, "body": "K7QX 1", "mid": "m1"}}],  # a batch
        {"data": {"msisdn": [PHONE], "body": "K7QX 1", "mid": "m1"}},
        {"data": {"msisdn": PHONE, "body": True, "mid": "m1"}},
        {"data": {"msisdn": PHONE, "body": "K7QX 1", "mid": None}},
        {"data": {"msisdn": PHONE, "body": "K7QX 1"}},
        {"data": "K7QX 1"},
        {"data": {"msisdn": "+35812", "body": "K7QX 1", "mid": "m1"}},
    ],
)
def test_generic_malformed_incoming_is_refused_with_json(
    generic: None, world: dict[str, Any], body: Any
) -> None:
    before = snapshot()
    response = post_json(incoming_path(), body)
    assert response.status_code == 400
    assert set(json.loads(response.content)) == {"error"}
    assert snapshot() == before


def test_generic_broken_json_is_refused(generic: None, world: dict[str, Any]) -> None:
    response = client().post(incoming_path(), data="{not json", content_type="application/json")
    assert response.status_code == 400


def test_generic_receipts_by_configured_status_values(generic: None, world: dict[str, Any]) -> None:
    delivery = world["delivery"]
    # a step on the way: acknowledged, not recorded
    before = snapshot()
    response = post_json(receipt_path(), {"mid": SMS_ID, "state": "ACCEPTD"})
    assert response.status_code == 200
    assert json.loads(response.content) == {"ok": True}
    assert snapshot() == before
    response = post_json(receipt_path(), {"mid": SMS_ID, "state": "undeliv", "reason": "absent"})
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error) == (DeliveryStatus.FAILED, "absent")


def test_generic_delivered_receipt_as_a_form(generic: None, world: dict[str, Any]) -> None:
    assert post_form(receipt_path(), f"mid={SMS_ID}&state=DELIVRD").status_code == 200
    world["delivery"].refresh_from_db()
    assert world["delivery"].status == DeliveryStatus.DELIVERED


def test_generic_malformed_receipt(generic: None, world: dict[str, Any]) -> None:
    before = snapshot()
    assert post_json(receipt_path(), {"state": "DELIVRD"}).status_code == 400
    assert post_json(receipt_path(), {"mid": SMS_ID, "state": 3.5}).status_code == 400
    assert snapshot() == before
