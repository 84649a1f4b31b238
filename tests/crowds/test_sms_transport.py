"""The SMS transport against a real local HTTP server replaying the gateways' answers.

46elks answers follow its documented formats (fixtures/sms/README.md); its error bodies are
not documented, so error cases give a plain-text body and rely only on the HTTP status.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from portaat.crowds.transports import configured_channels, transport_class
from portaat.crowds.transports.base import Outgoing, Result
from portaat.crowds.transports.sms_http import SmsTransport
from portaat.crowds.transports.sms_http.encoding import segments
from portaat.crowds.transports.sms_http.urls import receipt_url
from tests.listening.replay import Recorded, ReplayServer, replay

FIXTURES = Path(__file__).parent / "fixtures" / "sms"
SECRET = "hook-secret-0123456789abcdef"
SMS = "/a1/sms"
GSM_TEXT = "Myrsky Käpylässä: tarvitaan 10 auttajaa [sahat] & 5 €. Vastaa K7QX 1 / Åbo ÖÄÅ"
UCS_TEXT = "Tulva Šiauliain kadulla 🌊 – vastaa K7QX 1"

pytestmark = pytest.mark.urls("tests.crowds.test_sms_webhooks")


def message(to: str = "+358401234567", short_text: str = GSM_TEXT, **kw: Any) -> Outgoing:
    fields: dict[str, Any] = {
        "delivery_id": 7,
        "reference": "0b7f6c1e-2a8e-4d36-9a55-54c1d0a7f001",
        "to": to,
        "subject": "Myrsky",
        "text": "Koko viesti " + short_text,
        "short_text": short_text,
        "language": "fi",
    }
    fields.update(kw)
    return Outgoing(**fields)


def send(msg: Outgoing | None = None) -> Result:
    handed: list[bool] = []
    result = SmsTransport().send(msg or message(), lambda: handed.append(True))
    assert not handed  # HTTP has no point of no return to mark: the dispatcher marks "sending"
    return result


def form_of(request: Recorded) -> dict[str, str]:
    parsed = parse_qs(request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in parsed.values())
    return {key: values[0] for key, values in parsed.items()}


@pytest.fixture
def elks(settings: Any) -> Iterator[ReplayServer]:
    with replay([], fixtures=FIXTURES) as server:
        settings.PORTAAT_SMS_PROVIDER = "46elks"
        settings.PORTAAT_SMS_URL = f"{server.url}/a1"
        settings.PORTAAT_SMS_USERNAME = "u7a3f2c1e"
        settings.PORTAAT_SMS_PASSWORD = "D3ADB33F"
        settings.PORTAAT_SMS_SENDER = "Portaat"
        settings.PORTAAT_SMS_WEBHOOK_SECRET = SECRET
        settings.PORTAAT_SMS_TIMEOUT = 5
        settings.SITE_URL = "https://portaat.example"
        yield server


@pytest.fixture
def generic(settings: Any) -> Iterator[ReplayServer]:
    with replay([], fixtures=FIXTURES) as server:
        settings.PORTAAT_SMS_PROVIDER = "generic"
        settings.PORTAAT_SMS_URL = f"{server.url}/v2/messages"
        settings.PORTAAT_SMS_TOKEN = "tok-123"
        settings.PORTAAT_SMS_SENDER = "+358451234567"
        settings.PORTAAT_SMS_GENERIC_FIELDS = (
            "to=recipient,from=originator,text=body,reference=client_ref,callback=report_url"
        )
        settings.PORTAAT_SMS_GENERIC_EXTRA = "route=priority,channel=sms"
        settings.PORTAAT_SMS_GENERIC_ID_PATH = "messages.0.id"
        settings.PORTAAT_SMS_WEBHOOK_SECRET = SECRET
        settings.PORTAAT_SMS_TIMEOUT = 5
        settings.SITE_URL = "https://portaat.example"
        yield server


# 46elks ------------------------------------------------------------------------------------


def test_a_sent_message_gets_the_46elks_id(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    result = send()
    assert result == Result(ok=True, provider_id="s17a6dafb12d6b1cabc053d57dac2b9d8")
    (request,) = elks.requests
    assert (request.method, request.path) == ("POST", SMS)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"


def test_basic_auth_with_the_api_credentials(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    send()
    expected = base64.b64encode(b"u7a3f2c1e:D3ADB33F").decode()
    assert elks.requests[0].headers["authorization"] == f"Basic {expected}"


def test_form_fields_carry_the_gsm_text_intact(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    send()
    form = form_of(elks.requests[0])
    assert form == {
        "from": "Portaat",
        "to": "+358401234567",
        "message": GSM_TEXT,
        "whendelivered": f"https://portaat.example{receipt_path()}",
        "dontlog": "message",
    }


def test_a_ucs2_text_is_sent_as_utf8_form_data(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    send(message(short_text=UCS_TEXT))
    assert form_of(elks.requests[0])["message"] == UCS_TEXT
    assert "%F0%9F%8C%8A" in elks.requests[0].body.decode()  # 🌊 percent-encoded as UTF-8


def receipt_path() -> str:
    url = receipt_url()
    assert url.startswith("https://portaat.example/")
    assert SECRET in url
    return url.removeprefix("https://portaat.example")


def test_the_receipt_address_is_the_mounted_webhook(elks: ReplayServer) -> None:
    assert receipt_path().endswith(f"/hooks/sms/{SECRET}/receipt/")


def test_no_receipt_address_without_a_usable_webhook_secret(
    elks: ReplayServer, settings: Any
) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    settings.PORTAAT_SMS_WEBHOOK_SECRET = "short"
    assert send().ok
    assert "whendelivered" not in form_of(elks.requests[0])


def test_dontlog_can_be_turned_off(elks: ReplayServer, settings: Any) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    settings.PORTAAT_SMS_DONTLOG = False
    send()
    assert "dontlog" not in form_of(elks.requests[0])


def test_the_short_text_is_used_and_the_full_text_only_when_it_is_empty(
    elks: ReplayServer,
) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    send(message(short_text=""))
    assert form_of(elks.requests[0])["message"] == "Koko viesti "


def test_a_long_text_is_shortened_to_the_segment_limit(elks: ReplayServer, settings: Any) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    settings.PORTAAT_SMS_MAX_SEGMENTS = 2
    long = "Sana " * 200
    send(message(short_text=long))
    sent = form_of(elks.requests[0])["message"]
    assert segments(sent) == 2
    assert sent.endswith("...")
    assert long.startswith(sent[:-3])


def test_429_is_retried_after_the_providers_delay(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, status=429, headers={"Retry-After": "30"}, body="Slow down")
    result = send()
    assert (result.ok, result.retry, result.retry_after) == (False, True, 30.0)
    assert "429" in result.error


def test_429_with_a_date_and_without_a_header(elks: ReplayServer) -> None:
    elks.add(
        method="POST",
        path=SMS,
        status=429,
        headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
    )
    result = send()
    assert result.retry and result.retry_after == 0.0  # a date in the past: now
    elks.routes.clear()
    elks.add(method="POST", path=SMS, status=429)
    result = send()
    assert result.retry and result.retry_after is None  # the dispatcher's backoff decides


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried(elks: ReplayServer, status: int) -> None:
    elks.add(method="POST", path=SMS, status=status, body="Internal error")
    result = send()
    assert (result.ok, result.retry) == (False, True)
    assert f"HTTP {status}" in result.error


def test_a_server_error_keeps_its_retry_after(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, status=503, headers={"Retry-After": "120"})
    assert send().retry_after == 120.0


def test_an_invalid_number_is_not_retried(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, status=400, body="Invalid to number")
    result = send()
    assert (result.ok, result.retry) == (False, False)
    assert result.error == "HTTP 400 from 46elks: Invalid to number"


def test_a_refused_message_is_not_retried(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, status=403, body="Sender not allowed")
    result = send()
    assert (result.ok, result.retry) == (False, False)


def test_missing_credit_and_bad_credentials_wait_for_a_person(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, status=403, body='{"error": "Not enough credits"}')
    result = send()
    assert (result.ok, result.retry, result.retry_after) == (False, True, 300.0)
    elks.routes.clear()
    elks.add(method="POST", path=SMS, status=401, body="Unauthorized")
    result = send()
    assert (result.ok, result.retry, result.retry_after) == (False, True, 300.0)


@pytest.mark.parametrize(
    "body",
    [
        b"<html>OK</html>",
        b"[]",
        b'{"status": "created"}',
        b'{"id": ""}',
        b'{"id": 42}',
        b"",
    ],
)
def test_a_2xx_answer_without_an_id_is_sent_never_resent(elks: ReplayServer, body: bytes) -> None:
    elks.add(method="POST", path=SMS, body=body)
    result = send()
    assert result.ok  # the provider took it: sending again would send twice
    assert result.provider_id == ""
    assert "without an id" in result.error


def test_a_2xx_answer_saying_failed_is_not_retried(elks: ReplayServer) -> None:
    answer = json.loads((FIXTURES / "elks_send_created.json").read_text())
    elks.add(method="POST", path=SMS, body={**answer, "status": "failed"})
    result = send()
    assert (result.ok, result.retry) == (False, False)


def test_an_oversized_answer_is_not_read_to_the_end(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, body=b'{"id": "s1", "pad": "' + b"x" * 400_000 + b'"}')
    result = send()
    assert result.ok and result.provider_id == ""
    assert "too large" in result.error


def test_a_redirect_is_not_followed(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, status=302, headers={"Location": "{base}/elsewhere"})
    elks.add(method="POST", path="/elsewhere", file="elks_send_created.json")
    result = send()
    assert (result.ok, result.retry) == (False, True)
    assert [r.path for r in elks.requests] == [SMS]


def test_a_timeout_is_uncertain_and_not_retried(elks: ReplayServer, settings: Any) -> None:
    gate = threading.Event()
    elks.add(method="POST", path=SMS, file="elks_send_created.json", gate=gate)
    settings.PORTAAT_SMS_TIMEOUT = 0.3
    try:
        result = send()
    finally:
        gate.set()
        # the server now writes to a closed connection; let that fail while output is captured
        time.sleep(0.3)
    # the request reached the gateway: sending again could send twice, so the dispatcher
    # marks the row uncertain instead (docs/decisions/0006-crowd-outbox.md)
    assert (result.ok, result.retry, result.uncertain) == (False, False, True)
    assert "may have been sent" in result.error
    assert len(elks.requests) == 1


def test_no_connection_is_retried_and_says_nothing_was_sent(settings: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.PORTAAT_SMS_PROVIDER = "46elks"
    settings.PORTAAT_SMS_URL = f"http://127.0.0.1:{port}/a1"
    settings.PORTAAT_SMS_USERNAME = "u"
    settings.PORTAAT_SMS_PASSWORD = "p"
    settings.PORTAAT_SMS_SENDER = "Portaat"
    result = send()
    assert (result.ok, result.retry) == (False, True)
    assert "not sent" in result.error


@pytest.mark.parametrize("to", ["", "not a number", "+35812", "040 123"])
def test_a_bad_address_fails_without_a_request(elks: ReplayServer, to: str) -> None:
    result = send(message(to=to))
    assert (result.ok, result.retry) == (False, False)
    assert elks.requests == []


def test_a_nationally_written_number_is_sent_in_e164(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    send(message(to="040 123 4567"))
    assert form_of(elks.requests[0])["to"] == "+358401234567"


def test_a_session_sends_several_messages(elks: ReplayServer) -> None:
    elks.add(method="POST", path=SMS, file="elks_send_created.json")
    transport = SmsTransport()
    with transport.session() as session:
        results = [session.send(message(to=f"+35840123456{i}"), lambda: None) for i in range(3)]
    assert all(r.ok for r in results)
    assert [form_of(r)["to"] for r in elks.requests] == [f"+35840123456{i}" for i in range(3)]
    assert transport._client is None


def test_sending_while_unconfigured_waits(settings: Any) -> None:
    settings.PORTAAT_SMS_PROVIDER = ""
    result = send()
    assert (result.ok, result.retry) == (False, True)


# configuration -----------------------------------------------------------------------------


def test_the_registry_finds_the_sms_transport() -> None:
    cls = transport_class("sms")
    assert cls is SmsTransport
    assert cls.channel == "sms"
    assert cls.atomic_handover is False
    assert cls.dedupes_by_reference is False


def test_configured_only_with_the_needed_settings(elks: ReplayServer, settings: Any) -> None:
    assert SmsTransport.configured()
    for name, value in [
        ("PORTAAT_SMS_PASSWORD", ""),
        ("PORTAAT_SMS_SENDER", ""),
        ("PORTAAT_SMS_SENDER", "PortaatHelsinki"),  # a name longer than 11 characters
        ("PORTAAT_SMS_SENDER", "+35812"),  # not a number
        ("PORTAAT_SMS_PROVIDER", "twilio"),  # not one we know
        ("PORTAAT_SMS_PROVIDER", ""),
    ]:
        previous = getattr(settings, name)
        setattr(settings, name, value)
        assert not SmsTransport.configured(), (name, value)
        setattr(settings, name, previous)
    assert SmsTransport.configured()


def test_unset_settings_mean_no_sms(settings: Any) -> None:
    for name in ("PORTAAT_SMS_PROVIDER", "PORTAAT_SMS_USERNAME", "PORTAAT_SMS_URL"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert not SmsTransport.configured()


def test_configured_channels_offer_sms_when_configured(elks: ReplayServer) -> None:
    try:
        channels = configured_channels()
    except ImportError:
        pytest.skip("another channel's module is not there yet")
    assert "sms" in channels


def test_rate_per_second_from_the_setting(settings: Any) -> None:
    settings.PORTAAT_SMS_RATE = 12
    assert SmsTransport.rate_per_second() == 12.0
    settings.PORTAAT_SMS_RATE = 0
    assert SmsTransport.rate_per_second() == 5.0
    del settings.PORTAAT_SMS_RATE
    assert SmsTransport.rate_per_second() == 5.0


# the generic adapter -----------------------------------------------------------------------


def test_generic_json_with_configured_names_and_a_bearer_token(generic: ReplayServer) -> None:
    generic.add(method="POST", path="/v2/messages", status=201, file="generic_send_accepted.json")
    result = send(message(short_text=UCS_TEXT))
    assert result == Result(ok=True, provider_id="m-20250314-0001")
    (request,) = generic.requests
    assert request.headers["authorization"] == "Bearer tok-123"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "route": "priority",
        "channel": "sms",
        "recipient": "+358401234567",
        "originator": "+358451234567",
        "body": UCS_TEXT,
        "client_ref": "0b7f6c1e-2a8e-4d36-9a55-54c1d0a7f001",
        "report_url": f"https://portaat.example{receipt_path()}",
    }


def test_generic_form_with_basic_auth_and_left_out_fields(
    generic: ReplayServer, settings: Any
) -> None:
    generic.add(method="POST", path="/v2/messages", body={"id": 981})
    settings.PORTAAT_SMS_GENERIC_BODY = "form"
    settings.PORTAAT_SMS_TOKEN = ""
    settings.PORTAAT_SMS_USERNAME = "portaat"
    settings.PORTAAT_SMS_PASSWORD = "salasana"
    settings.PORTAAT_SMS_GENERIC_FIELDS = "reference=,callback="
    settings.PORTAAT_SMS_GENERIC_EXTRA = ""
    settings.PORTAAT_SMS_GENERIC_ID_PATH = "id"
    result = send()
    assert result == Result(ok=True, provider_id="981")
    request = generic.requests[0]
    assert (
        request.headers["authorization"]
        == "Basic " + base64.b64encode(b"portaat:salasana").decode()
    )
    assert form_of(request) == {"to": "+358401234567", "from": "+358451234567", "text": GSM_TEXT}


def test_generic_id_missing_at_the_path(generic: ReplayServer) -> None:
    generic.add(method="POST", path="/v2/messages", body={"messages": []})
    result = send()
    assert result.ok and result.provider_id == ""
    assert "messages.0.id" in result.error


def test_generic_errors_map_like_any_gateway(generic: ReplayServer) -> None:
    generic.add(method="POST", path="/v2/messages", status=422, body={"error": "bad msisdn"})
    result = send()
    assert (result.ok, result.retry) == (False, False)
    assert "bad msisdn" in result.error


def test_generic_needs_an_address_and_well_formed_settings(
    generic: ReplayServer, settings: Any
) -> None:
    assert SmsTransport.configured()
    for name, value in [
        ("PORTAAT_SMS_URL", ""),
        ("PORTAAT_SMS_URL", "ftp://gateway.example/send"),
        ("PORTAAT_SMS_GENERIC_BODY", "xml"),
        ("PORTAAT_SMS_GENERIC_FIELDS", "recipient"),  # not name=value
        ("PORTAAT_SMS_GENERIC_FIELDS", "msisdn=recipient"),  # an unknown name
        ("PORTAAT_SMS_GENERIC_FIELDS", "to="),  # no name for the number
        ("PORTAAT_SMS_GENERIC_INCOMING_FIELDS", "id="),
        ("PORTAAT_SMS_GENERIC_RECEIPT_FIELDS", "status="),
        ("PORTAAT_SMS_GENERIC_FAILED", "delivered"),  # the same value both ways
    ]:
        previous = getattr(settings, name, None)
        setattr(settings, name, value)
        assert not SmsTransport.configured(), (name, value)
        setattr(settings, name, previous)
    assert SmsTransport.configured()
