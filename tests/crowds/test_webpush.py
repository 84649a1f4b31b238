"""The Web Push transport against a real local HTTP server standing in for a push service.

The test is the browser too: it makes a subscriber key pair and authentication secret, lets
the transport encrypt for them, then decrypts what the push service received (RFC 8291) and
checks the VAPID token's signature and claims (RFC 8292) with the server's public key.
"""

from __future__ import annotations

import base64
import io
import json
import os
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core.management import call_command
from django.utils import timezone

from portaat.crowds import dispatch
from portaat.crowds.models import (
    CallMessage,
    CallStatus,
    Channel,
    Delivery,
    DeliveryStatus,
    MessageKind,
    PushSubscription,
)
from portaat.crowds.transports import TRANSPORTS, configured_channels
from portaat.crowds.transports.base import Outgoing, Result
from portaat.crowds.transports.webpush import WebPushTransport, vapid_public_key
from portaat.crowds.transports.webpush.transport import BODY_CHARS, MAX_PLAINTEXT
from tests.factories import CallFactory, VolunteerFactory
from tests.listening.replay import Recorded, ReplayServer, replay

SUBJECT = "mailto:kriisi@portaat.example"
PUSH_PATH = "/wpush/v2/gAAAAABk-subscription-7f3a"
REFERENCE = "0b7f6c1e-2a8e-4d36-9a55-54c1d0a7f001"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@dataclass
class Browser:
    """A subscriber: what a browser keeps (private key, auth secret) and hands out."""

    key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def new(cls) -> Browser:
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def keys(self) -> dict[str, str]:
        return {"p256dh": b64url(point(self.key)), "auth": b64url(self.auth)}

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        data: dict[str, Any] = json.loads(plain.decode("utf-8"))
        return data


@pytest.fixture
def server_key(settings: Any) -> ec.EllipticCurvePrivateKey:
    key = ec.generate_private_key(ec.SECP256R1())
    settings.PORTAAT_VAPID_PRIVATE_KEY = b64url(key.private_numbers().private_value.to_bytes(32))
    settings.PORTAAT_VAPID_SUBJECT = SUBJECT
    settings.PORTAAT_PUSH_ALLOW_HTTP = True
    settings.PORTAAT_PUSH_ALLOW_PRIVATE_HOSTS = True
    settings.PORTAAT_PUSH_TIMEOUT = 5
    return key


@pytest.fixture
def push_service(server_key: Any) -> Iterator[ReplayServer]:
    route = {
        "method": "POST",
        "path": PUSH_PATH,
        "status": 201,
        "body": b"",
        "headers": {"Location": "{base}/wpush/v2/m/msg-5f2c9a", "Content-Type": "text/plain"},
    }
    with replay([route]) as server:
        yield server


def message(endpoint: str, browser: Browser, **kw: Any) -> Outgoing:
    fields: dict[str, Any] = {
        "delivery_id": 7,
        "reference": REFERENCE,
        "to": endpoint,
        "subject": "Avunpyyntö: Kaatuneet puut Käpylässä",
        "text": "Kaatuneet puut Käpylässä\n\nTuo sahat ja hanskat. " + "Lisätietoja. " * 40,
        "short_text": "Kaatuneet puut Käpylässä. Vastaa K7QX 1",
        "language": "fi",
        "links": {
            "coming": "https://portaat.example/crowds/r/1.2.abc/?a=coming",
            "not_coming": "https://portaat.example/crowds/r/1.2.abc/?a=not_coming",
            "arrived": "https://portaat.example/crowds/r/1.2.abc/?a=arrived",
        },
        "url": "https://portaat.example/crowds/r/1.2.abc/",
        "extra": {**browser.keys, "manage_url": "https://portaat.example/crowds/v/s/"},
    }
    fields.update(kw)
    return Outgoing(**fields)


def send(msg: Outgoing, transport: WebPushTransport | None = None) -> Result:
    handed: list[bool] = []
    result = (transport or WebPushTransport()).send(msg, lambda: handed.append(True))
    assert not handed  # HTTP has no point of no return to mark: the dispatcher marks "sending"
    return result


def only_request(server: ReplayServer) -> Recorded:
    assert len(server.requests) == 1
    return server.requests[0]


def jwt_parts(request: Recorded) -> tuple[dict[str, Any], dict[str, Any], str, str]:
    scheme, _, params = request.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert set(fields) == {"t", "k"}
    header, claims, _signature = fields["t"].split(".")
    return (
        json.loads(unb64url(header)),
        json.loads(unb64url(claims)),
        fields["t"],
        fields["k"],
    )


# the message and its encryption ------------------------------------------------------------


def test_the_message_reaches_the_push_service_encrypted(push_service: ReplayServer) -> None:
    browser = Browser.new()
    result = send(message(push_service.url + PUSH_PATH, browser))
    assert result == Result(ok=True, provider_id="msg-5f2c9a")

    request = only_request(push_service)
    assert (request.method, request.path) == ("POST", PUSH_PATH)
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["content-type"] == "application/octet-stream"
    assert request.headers["ttl"] == "3600"
    assert request.headers["urgency"] == "high"
    topic = request.headers["topic"]
    assert len(topic) <= 32 and set(topic) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    # nothing readable travels: not the title, not the links
    assert b"K\xc3\xa4pyl\xc3\xa4" not in request.body and b"portaat" not in request.body

    payload = browser.decrypt(request.body)
    assert payload["title"] == "Avunpyyntö: Kaatuneet puut Käpylässä"
    assert payload["url"] == "https://portaat.example/crowds/r/1.2.abc/"
    assert payload["links"]["coming"].endswith("?a=coming")
    assert set(payload["links"]) == {"coming", "not_coming", "arrived"}
    assert payload["tag"] == REFERENCE and payload["lang"] == "fi"
    # the first line only repeated the title; the rest is shortened to about 200 characters
    assert payload["body"].startswith("Tuo sahat ja hanskat.")
    assert len(payload["body"]) <= BODY_CHARS and payload["body"].endswith("…")
    assert [a["action"] for a in payload["actions"]] == ["coming", "not_coming", "arrived"]
    assert all(a["title"] for a in payload["actions"])


def test_the_body_is_one_aes128gcm_record_with_a_fresh_key_and_salt(
    push_service: ReplayServer,
) -> None:
    browser = Browser.new()
    endpoint = push_service.url + PUSH_PATH
    send(message(endpoint, browser))
    send(message(endpoint, browser))
    headers = []
    for request in push_service.requests:
        body = request.body
        salt, rs, idlen = body[:16], struct.unpack("!L", body[16:20])[0], body[20]
        keyid = body[21 : 21 + idlen]
        assert rs == 4096 and idlen == 65 and keyid[0] == 0x04
        # RFC 8291 §4: one record, and at most 4096 bytes for every push service to take it
        assert len(body) <= 4096 and len(body) - 21 - idlen <= rs
        headers.append((salt, keyid))
        assert browser.decrypt(body)["tag"] == REFERENCE
    assert headers[0][0] != headers[1][0] and headers[0][1] != headers[1][1]


def test_the_vapid_token_is_signed_and_names_the_push_service(
    push_service: ReplayServer, server_key: ec.EllipticCurvePrivateKey
) -> None:
    before = int(time.time())
    send(message(push_service.url + PUSH_PATH, Browser.new()))
    header, claims, jwt, k = jwt_parts(only_request(push_service))

    assert header == {"typ": "JWT", "alg": "ES256"}
    assert k == vapid_public_key() == b64url(point(server_key))
    assert claims["aud"] == push_service.url  # the origin: scheme, host and port, no path
    assert claims["sub"] == SUBJECT
    assert before < claims["exp"] <= int(time.time()) + 24 * 3600

    signing_input, _, signature = jwt.rpartition(".")
    raw = unb64url(signature)
    assert len(raw) == 64  # JWS: r and s as two 32-byte numbers
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(k))
    public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    with pytest.raises(InvalidSignature):
        public.verify(der, signing_input.encode() + b"x", ec.ECDSA(hashes.SHA256()))


def test_a_session_reuses_its_connection_pool(push_service: ReplayServer) -> None:
    browser = Browser.new()
    transport = WebPushTransport()
    with transport.session() as session:
        assert isinstance(session, WebPushTransport)
        for _ in range(3):
            assert send(message(push_service.url + PUSH_PATH, browser), session).ok
    assert len(push_service.requests) == 3


def test_a_message_without_links_has_no_buttons(push_service: ReplayServer) -> None:
    browser = Browser.new()
    msg = message(
        push_service.url + PUSH_PATH,
        browser,
        subject="Kiitos: Kaatuneet puut",
        text="Kiitos: Kaatuneet puut\n\nTyö on tehty. Kiitos avusta!",
        links={},
    )
    assert send(msg).ok
    payload = browser.decrypt(only_request(push_service).body)
    assert payload["links"] == {} and "actions" not in payload
    assert payload["body"] == "Työ on tehty. Kiitos avusta!"


def test_a_page_address_too_long_for_a_push_message_is_not_sent(
    push_service: ReplayServer,
) -> None:
    msg = message(
        push_service.url + PUSH_PATH, Browser.new(), url="https://x.example/" + "a" * 5000
    )
    result = send(msg)
    assert (result.ok, result.retry) == (False, False)
    assert push_service.requests == []


def test_long_links_are_dropped_before_the_message_is(push_service: ReplayServer) -> None:
    browser = Browser.new()
    long = {k: f"https://portaat.example/{k}/" + "b" * 2000 for k in ("coming", "not_coming")}
    assert send(message(push_service.url + PUSH_PATH, browser, links=long)).ok
    request = only_request(push_service)
    assert len(request.body) <= 4096
    payload = browser.decrypt(request.body)
    assert payload["links"] == {} and payload["url"].startswith("https://portaat.example/")
    assert len(json.dumps(payload, ensure_ascii=False).encode()) <= MAX_PLAINTEXT


# the push service's answers ----------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_an_expired_subscription_is_gone(server_key: Any, status: int) -> None:
    route = {"method": "POST", "path": PUSH_PATH, "status": status, "body": "Subscription expired"}
    with replay([route]) as server:
        result = send(message(server.url + PUSH_PATH, Browser.new()))
    assert (result.ok, result.retry, result.gone) == (False, False, True)
    assert str(status) in result.error


def test_too_many_requests_waits_as_told(server_key: Any) -> None:
    route = {"method": "POST", "path": PUSH_PATH, "status": 429, "headers": {"Retry-After": "120"}}
    with replay([route]) as server:
        result = send(message(server.url + PUSH_PATH, Browser.new()))
    assert (result.ok, result.retry, result.retry_after, result.gone) == (False, True, 120.0, False)


@pytest.mark.parametrize("status", [400, 413])
def test_a_refused_request_is_not_retried(server_key: Any, status: int) -> None:
    route = {"method": "POST", "path": PUSH_PATH, "status": status, "body": {"errno": 104}}
    with replay([route]) as server:
        result = send(message(server.url + PUSH_PATH, Browser.new()))
    assert (result.ok, result.retry, result.gone) == (False, False, False)


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_vapid_token_is_not_retried_nor_forgotten(server_key: Any, status: int) -> None:
    route = {"method": "POST", "path": PUSH_PATH, "status": status}
    with replay([route]) as server:
        result = send(message(server.url + PUSH_PATH, Browser.new()))
    assert (result.ok, result.retry, result.gone) == (False, False, False)
    assert "VAPID" in result.error


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_push_service_failure_is_retried(server_key: Any, status: int) -> None:
    route = {
        "method": "POST",
        "path": PUSH_PATH,
        "status": status,
        "headers": {"Retry-After": "30"},
    }
    with replay([route]) as server:
        result = send(message(server.url + PUSH_PATH, Browser.new()))
    assert (result.ok, result.retry, result.gone, result.uncertain) == (False, True, False, False)
    assert result.retry_after == 30.0


def test_no_connection_is_retried(server_key: Any) -> None:
    with replay([]) as server:
        endpoint = server.url + PUSH_PATH
    result = send(message(endpoint, Browser.new()))  # the server is gone: connection refused
    assert (result.ok, result.retry, result.uncertain) == (False, True, False)
    assert "not sent" in result.error


def test_no_answer_in_time_is_uncertain(server_key: Any, settings: Any) -> None:
    settings.PORTAAT_PUSH_TIMEOUT = 0.3
    gate = threading.Event()
    route = {"method": "POST", "path": PUSH_PATH, "status": 201, "gate": gate}
    try:
        with replay([route]) as server:
            result = send(message(server.url + PUSH_PATH, Browser.new()))
            gate.set()
    finally:
        gate.set()
    assert (result.ok, result.retry, result.uncertain) == (False, False, True)


# what is not sent --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "keys",
    [
        {"p256dh": "", "auth": ""},
        {"p256dh": b64url(b"\x04" + b"\x01" * 64), "auth": b64url(os.urandom(16))},  # off curve
        {"p256dh": b64url(os.urandom(65)), "auth": b64url(os.urandom(16))},
        {"auth": b64url(os.urandom(16))},
        {"p256dh": b64url(point(ec.generate_private_key(ec.SECP256R1()))), "auth": "abc"},
        {"p256dh": "not base64!", "auth": b64url(os.urandom(16))},
    ],
)
def test_broken_keys_are_not_sent(push_service: ReplayServer, keys: dict[str, str]) -> None:
    msg = message(push_service.url + PUSH_PATH, Browser.new(), extra=keys)
    result = send(msg)
    assert (result.ok, result.retry) == (False, False)
    assert push_service.requests == []


def test_private_addresses_are_not_sent_to_unless_allowed(
    push_service: ReplayServer, settings: Any
) -> None:
    settings.PORTAAT_PUSH_ALLOW_PRIVATE_HOSTS = False
    result = send(message(push_service.url + PUSH_PATH, Browser.new()))
    assert (result.ok, result.retry) == (False, False)
    assert "private" in result.error
    assert push_service.requests == []


def test_http_endpoints_are_refused_in_production(
    push_service: ReplayServer, settings: Any
) -> None:
    settings.PORTAAT_PUSH_ALLOW_HTTP = False
    settings.DEBUG = False
    result = send(message(push_service.url + PUSH_PATH, Browser.new()))
    assert (result.ok, result.retry) == (False, False)
    assert push_service.requests == []


def test_unconfigured_push_waits(settings: Any) -> None:
    settings.PORTAAT_VAPID_PRIVATE_KEY = ""
    result = send(message("https://push.example/x", Browser.new()))
    assert (result.ok, result.retry) == (False, True)
    assert result.retry_after


# configuration ----------------------------------------------------------------------------


def test_configured_needs_a_key_and_a_subject(settings: Any) -> None:
    settings.PORTAAT_VAPID_PRIVATE_KEY = ""
    settings.PORTAAT_VAPID_SUBJECT = SUBJECT
    assert not WebPushTransport.configured()
    assert vapid_public_key() == ""
    key = ec.generate_private_key(ec.SECP256R1())
    settings.PORTAAT_VAPID_PRIVATE_KEY = b64url(key.private_numbers().private_value.to_bytes(32))
    assert WebPushTransport.configured()
    assert vapid_public_key() == b64url(point(key))
    for subject in ("", "kriisi", "http://portaat.example", "mailto:nobody", "mailto:a b@x.fi"):
        settings.PORTAAT_VAPID_SUBJECT = subject
        assert not WebPushTransport.configured(), subject
    for subject in ("kriisi@portaat.example", "https://portaat.example/contact"):
        settings.PORTAAT_VAPID_SUBJECT = subject
        assert WebPushTransport.configured(), subject


def test_a_pem_key_works_too_with_written_out_newlines(settings: Any) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.PORTAAT_VAPID_SUBJECT = SUBJECT
    for written in (pem, pem.strip().replace("\n", "\\n")):
        settings.PORTAAT_VAPID_PRIVATE_KEY = written
        assert WebPushTransport.configured()
        assert vapid_public_key() == b64url(point(key))


@pytest.mark.parametrize(
    "raw",
    [
        "not a key",
        b64url(b"\x00" * 32),  # zero is not a private key
        b64url(os.urandom(31)),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
    ],
)
def test_an_unreadable_key_is_not_configured(settings: Any, raw: str) -> None:
    settings.PORTAAT_VAPID_PRIVATE_KEY = raw
    settings.PORTAAT_VAPID_SUBJECT = SUBJECT
    assert not WebPushTransport.configured()
    assert vapid_public_key() == ""


def test_a_key_of_another_curve_is_refused(settings: Any) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    settings.PORTAAT_VAPID_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.PORTAAT_VAPID_SUBJECT = SUBJECT
    assert not WebPushTransport.configured()


def test_the_key_command_prints_environment_lines(settings: Any) -> None:
    settings.PORTAAT_VAPID_PRIVATE_KEY = ""
    out = io.StringIO()
    call_command("crowds_vapid_keys", "--subject", SUBJECT, stdout=out)
    lines = [line for line in out.getvalue().splitlines() if not line.startswith("#")]
    values = dict(line.split("=", 1) for line in lines)
    assert set(values) == {"PORTAAT_VAPID_PRIVATE_KEY", "PORTAAT_VAPID_SUBJECT"}
    assert values["PORTAAT_VAPID_SUBJECT"] == SUBJECT
    settings.PORTAAT_VAPID_PRIVATE_KEY = values["PORTAAT_VAPID_PRIVATE_KEY"]
    settings.PORTAAT_VAPID_SUBJECT = values["PORTAAT_VAPID_SUBJECT"]
    assert WebPushTransport.configured()
    assert vapid_public_key() in out.getvalue()  # the comment names the public key


def test_the_key_command_refuses_a_bad_subject() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("crowds_vapid_keys", "--subject", "http://x.example", stdout=io.StringIO())


# through the dispatcher --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dispatcher_sends_to_every_browser_and_forgets_a_gone_one(
    push_service: ReplayServer, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(TRANSPORTS, "push", "portaat.crowds.transports.webpush.WebPushTransport")
    settings.SITE_URL = "https://portaat.example"
    assert "push" in configured_channels()
    push_service.add(method="POST", path="/gone", status=410)
    volunteer = VolunteerFactory(channels=["push"], language="sv")
    phone, laptop = Browser.new(), Browser.new()
    PushSubscription.objects.create(
        volunteer=volunteer, endpoint=push_service.url + PUSH_PATH, **phone.keys
    )
    PushSubscription.objects.create(
        volunteer=volunteer, endpoint=push_service.url + "/gone", **laptop.keys
    )
    call = CallFactory(status=CallStatus.SENT, title="Översvämning i Gammelstaden")
    alert = CallMessage.objects.create(call=call, kind=MessageKind.ALERT)
    delivery = Delivery.objects.create(message=alert, volunteer=volunteer, channel=Channel.PUSH)

    assert dispatch.run_batch("push") == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.provider_id == "msg-5f2c9a"
    assert delivery.sent_at is not None and delivery.sent_at <= timezone.now()
    paths = sorted(r.path for r in push_service.requests)
    assert paths == sorted([PUSH_PATH, "/gone"])
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        push_service.url + PUSH_PATH
    ]
    sent = next(r for r in push_service.requests if r.path == PUSH_PATH)
    payload = phone.decrypt(sent.body)
    assert "Översvämning i Gammelstaden" in payload["title"]
    assert payload["lang"] == "sv" and payload["tag"] == str(delivery.reference)
    assert set(payload["links"]) == {"coming", "not_coming", "arrived"}
    assert payload["url"].startswith("https://portaat.example/crowds/r/")
