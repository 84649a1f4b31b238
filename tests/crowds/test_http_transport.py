"""What the HTTP transports share (``transports/http.py``), through each real transport.

Every case runs the SMS (46elks), Web Push and Telegram transports against real local servers:
the replay server of the other transport tests for recorded answers, and two small servers
below for what it cannot do — drop a connection mid-answer, and keep connections alive.
"""

from __future__ import annotations

import base64
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portaat.crowds.transports.base import Outgoing, Result
from portaat.crowds.transports.http import (
    CONFIG_RETRY_SECONDS,
    HttpTransport,
    retry_after_seconds,
)
from portaat.crowds.transports.sms_http import SmsTransport
from portaat.crowds.transports.telegram import TelegramTransport
from portaat.crowds.transports.webpush import WebPushTransport
from tests.listening.replay import replay

TOKEN = "7771234567:AAHk3x9vQ2mZ_fake-token-for-tests0"
PUSH_PATH = "/wpush/v2/gAAAAABk-subscription-7f3a"
# a 2xx answer each of the three reads as sent: 46elks' id, the Bot API's Message, and the push
# service's Location
ACCEPTED = b'{"id": "s1", "status": "created", "ok": true, "result": {"message_id": 5}}'
ACCEPTED_HEADERS = {"Location": "{base}/wpush/v2/m/msg-1"}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Channel:
    """One transport pointed at a local server: its settings, request path and a message."""

    name: str
    settings: Any
    url: str = ""

    @property
    def path(self) -> str:
        return {"sms": "/a1/sms", "push": PUSH_PATH, "telegram": f"/bot{TOKEN}/sendMessage"}[
            self.name
        ]

    @property
    def timeout_setting(self) -> str:
        return {
            "sms": "PORTAAT_SMS_TIMEOUT",
            "push": "PORTAAT_PUSH_TIMEOUT",
            "telegram": "PORTAAT_TELEGRAM_TIMEOUT",
        }[self.name]

    def point_at(self, url: str) -> None:
        self.url = url
        s = self.settings
        if self.name == "sms":
            s.PORTAAT_SMS_PROVIDER = "46elks"
            s.PORTAAT_SMS_URL = f"{url}/a1"
            s.PORTAAT_SMS_USERNAME = "u7a3f2c1e"
            s.PORTAAT_SMS_PASSWORD = "D3ADB33F"
            s.PORTAAT_SMS_SENDER = "Portaat"
            s.SITE_URL = "https://portaat.example"
        elif self.name == "push":
            key = ec.generate_private_key(ec.SECP256R1())
            s.PORTAAT_VAPID_PRIVATE_KEY = b64url(key.private_numbers().private_value.to_bytes(32))
            s.PORTAAT_VAPID_SUBJECT = "mailto:kriisi@portaat.example"
            s.PORTAAT_PUSH_ALLOW_HTTP = True
            s.PORTAAT_PUSH_ALLOW_PRIVATE_HOSTS = True
        else:
            s.PORTAAT_TELEGRAM_BOT_TOKEN = TOKEN
            s.PORTAAT_TELEGRAM_API_URL = url
        setattr(s, self.timeout_setting, 5)

    def transport(self) -> HttpTransport[Any]:
        cls = {"sms": SmsTransport, "push": WebPushTransport, "telegram": TelegramTransport}
        return cls[self.name]()

    def message(self) -> Outgoing:
        to = {"sms": "+358401234567", "push": self.url + PUSH_PATH, "telegram": "123456789"}
        browser = ec.generate_private_key(ec.SECP256R1()).public_key()
        p256dh = browser.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return Outgoing(
            delivery_id=7,
            reference="0b7f6c1e-2a8e-4d36-9a55-54c1d0a7f001",
            to=to[self.name],
            subject="Myrsky",
            text="Myrsky Käpylässä: tarvitaan auttajia",
            short_text="Myrsky Käpylässä. Vastaa K7QX 1",
            language="fi",
            extra={"p256dh": b64url(p256dh), "auth": b64url(os.urandom(16))},
        )

    def send(self, transport: HttpTransport[Any] | None = None) -> Result:
        handed: list[bool] = []
        result = (transport or self.transport()).send(self.message(), lambda: handed.append(True))
        assert not handed  # HTTP has no point of no return: the dispatcher marks "sending"
        return result


@pytest.fixture(params=["sms", "push", "telegram"])
def channel(request: pytest.FixtureRequest, settings: Any) -> Channel:
    return Channel(request.param, settings)


# Retry-After ---------------------------------------------------------------------------------

NOW = 1_445_412_480.0  # Wed, 21 Oct 2015 07:28:00 GMT


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Wed, 21 Oct 2015 07:30:00 GMT", 120.0),  # IMF-fixdate
        ("Wednesday, 21-Oct-15 07:30:00 GMT", 120.0),  # obsolete RFC 850
        ("Wed Oct 21 07:30:00 2015", 120.0),  # obsolete asctime: GMT, though it says no zone
        ("Wed, 21 Oct 2015 07:00:00 GMT", 0.0),  # in the past: now
        ("", None),
        (None, None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("²", None),  # a digit to str.isdigit, not to float
    ],
)
def test_retry_after_in_seconds_and_as_an_http_date(value: str | None, seconds: float) -> None:
    assert retry_after_seconds(value, now=NOW) == seconds


def test_an_http_date_without_a_zone_is_gmt_whatever_the_local_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        assert retry_after_seconds("Wed Oct 21 07:30:00 2015", now=NOW) == 120.0
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("status", [429, 503])
def test_a_retry_after_date_is_waited_for(channel: Channel, status: int) -> None:
    when = formatdate(time.time() + 120, usegmt=True)
    with replay([]) as server:
        channel.point_at(server.url)
        server.add(
            method="POST",
            path=channel.path,
            status=status,
            headers={"Retry-After": when, "Content-Type": "text/plain"},
            body="Slow down",
        )
        result = channel.send()
    assert (result.ok, result.retry, result.uncertain, result.gone) == (False, True, False, False)
    assert result.retry_after is not None and 100 < result.retry_after <= 120
    assert f"HTTP {status}" in result.error


def test_without_retry_after_the_dispatcher_decides(channel: Channel) -> None:
    with replay([]) as server:
        channel.point_at(server.url)
        server.add(method="POST", path=channel.path, status=502, body="Bad Gateway")
        result = channel.send()
    assert (result.ok, result.retry, result.retry_after) == (False, True, None)


def test_a_request_timeout_answer_is_retried(channel: Channel) -> None:
    # 408: the server gave up waiting for our request, so it did not act on it
    with replay([]) as server:
        channel.point_at(server.url)
        server.add(method="POST", path=channel.path, status=408, body="Request Timeout")
        result = channel.send()
    assert (result.ok, result.retry, result.uncertain) == (False, True, False)


# the connection ------------------------------------------------------------------------------


def test_no_connection_is_retried_and_nothing_was_sent(channel: Channel) -> None:
    with replay([]) as server:
        channel.point_at(server.url)
    result = channel.send()  # the server is gone: connection refused
    assert (result.ok, result.retry, result.uncertain) == (False, True, False)
    assert "not sent" in result.error


def test_a_timeout_after_the_request_was_sent_is_uncertain(channel: Channel) -> None:
    gate = threading.Event()
    try:
        with replay([]) as server:
            channel.point_at(server.url)
            server.add(
                method="POST", path=channel.path, body=ACCEPTED, headers=ACCEPTED_HEADERS, gate=gate
            )
            setattr(channel.settings, channel.timeout_setting, 0.3)
            started = time.monotonic()
            result = channel.send()
            elapsed = time.monotonic() - started
            gate.set()
            # the server now writes to a closed connection; let that fail while it is captured
            time.sleep(0.3)
            assert len(server.requests) == 1  # it reached the provider
    finally:
        gate.set()
    # sending again could send twice: the dispatcher marks the row uncertain, never re-sends
    assert (result.ok, result.retry, result.uncertain) == (False, False, True)
    assert "may have been sent" in result.error
    assert elapsed < 3  # the timeout comes from the channel's setting
    assert TOKEN not in result.error


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@contextmanager
def cutting_server(answer: bytes) -> Iterator[tuple[str, list[bytes]]]:
    """A server that reads a whole request, writes ``answer`` (b"": nothing) and hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                received.append(_read_request(conn))
                if answer:
                    conn.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", received
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def test_a_connection_closed_without_an_answer_is_uncertain(channel: Channel) -> None:
    with cutting_server(b"") as (url, received):
        channel.point_at(url)
        result = channel.send()
    assert len(received) == 1 and received[0].startswith(b"POST " + channel.path.encode())
    assert (result.ok, result.retry, result.uncertain) == (False, False, True)
    assert "may have been sent" in result.error
    assert TOKEN not in result.error


def test_the_status_stands_when_the_body_breaks_off(channel: Channel) -> None:
    answer = (
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        b"Location: /wpush/v2/m/msg-1\r\nContent-Length: 5000\r\n\r\n" + ACCEPTED[:20]
    )
    with cutting_server(answer) as (url, received):
        channel.point_at(url)
        result = channel.send()
    # the provider took the message: sending again would send twice
    assert (result.ok, result.uncertain) == (True, False)
    assert len(received) == 1


# the session ---------------------------------------------------------------------------------


class _KeepAlive(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # the replay server's HTTP/1.0 closes after every answer

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.ports.append(self.client_address[1])  # type: ignore[attr-defined]
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Location", "/wpush/v2/m/msg-1")
        self.send_header("Content-Length", str(len(ACCEPTED)))
        self.end_headers()
        self.wfile.write(ACCEPTED)


@contextmanager
def keep_alive_server() -> Iterator[tuple[str, list[int]]]:
    """A server that keeps connections open and records the client port of each request."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _KeepAlive)
    httpd.daemon_threads = True
    httpd.ports = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.ports  # type: ignore[attr-defined]
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_session_sends_a_batch_over_one_connection(channel: Channel) -> None:
    with keep_alive_server() as (url, ports):
        channel.point_at(url)
        transport = channel.transport()
        with transport.session() as session:
            assert session is transport
            client = transport._client
            assert client is not None
            assert all(channel.send(transport).ok for _ in range(3))
            assert transport._client is client
        assert transport._client is None and client.is_closed
        assert len(ports) == 3 and len(set(ports)) == 1  # one kept-alive connection
        # outside a session every message has a client (and a connection) of its own
        assert channel.send(transport).ok and channel.send(transport).ok
        assert len(set(ports)) == 3


# requests that cannot be made ------------------------------------------------------------------


def test_a_header_that_cannot_be_sent_is_a_setting_to_fix_not_an_uncertain_send(
    settings: Any,
) -> None:
    with replay([]) as server:
        settings.PORTAAT_SMS_PROVIDER = "generic"
        settings.PORTAAT_SMS_URL = f"{server.url}/v2/messages"
        settings.PORTAAT_SMS_TOKEN = "tök-123"  # not ASCII: no HTTP header can carry it
        result = SmsTransport().send(Channel("sms", settings).message(), lambda: None)
        assert server.requests == []
    assert (result.ok, result.retry, result.uncertain) == (False, True, False)
    assert result.retry_after == CONFIG_RETRY_SECONDS
    assert "not sent" in result.error and "tök" not in result.error


def test_an_unusable_api_address_names_the_setting_and_not_the_token(settings: Any) -> None:
    channel = Channel("telegram", settings)
    channel.point_at("ftp://api.telegram.example")
    result = channel.send()
    assert (result.ok, result.retry, result.uncertain) == (False, True, False)
    assert result.retry_after == CONFIG_RETRY_SECONDS
    assert "PORTAAT_TELEGRAM_API_URL" in result.error and TOKEN not in result.error
