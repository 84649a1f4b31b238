"""The Web Push transport: one encrypted, VAPID-signed POST to the browser's push service.

The payload is JSON (title, body, url, links, tag, language, action labels) encrypted for the
browser with RFC 8291 ``aes128gcm`` under a fresh key pair and salt per message; the push
service sees only ciphertext and our signed VAPID token.

HTTP has no point of no return the transport could mark (``atomic_handover`` is False): the
dispatcher records "sending" before ``send``. A failure before a byte reached the push service
(no connection) is retried; a timeout after the request went out may or may not have delivered,
so it is reported uncertain. The service worker shows every message under its reference as the
notification ``tag``, and the request names it as the ``Topic``, so a duplicate that does get
through replaces the first notification instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar
from urllib.parse import urlsplit

import http_ece
import httpx
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils.translation import override

from portaat.crowds.models import Answer
from portaat.crowds.transports.base import Handover, Outgoing, Result, Transport
from portaat.crowds.transports.webpush import config, vapid
from portaat.crowds.transports.webpush.keys import (
    BadSubscription,
    check_endpoint,
    decode_auth,
    decode_p256dh,
)
from portaat.listening.connectors.http import retry_after_seconds

USER_AGENT = "Portaat/0.1 (rapid-response crowds)"
BODY_CHARS = 200
# RFC 8291 §4: push services must accept 4096 bytes of body; the aes128gcm header (86 bytes),
# the padding delimiter (1) and the tag (16) leave 3993 bytes of plaintext in one record.
MAX_PLAINTEXT = 3993
RECORD_SIZE = 4096
MAX_ANSWER_BYTES = 64 * 1024
MAX_PROVIDER_ID = 120  # Delivery.provider_id
CONFIG_RETRY_SECONDS = 300.0
ANSWERS = ("coming", "not_coming", "arrived")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"


def _body(message: Outgoing) -> str:
    """The notification text: the message without a first line that only repeats the title
    (the call's title heads both), shortened to about 200 characters."""
    lines = message.text.strip().splitlines()
    if len(lines) > 1 and lines[0].strip() and lines[0].strip() in message.subject:
        lines = lines[1:]
    return _clip("\n".join(lines) or message.short_text, BODY_CHARS)


def _action_labels(language: str) -> dict[str, str]:
    # the service worker cannot translate: the labels travel in the volunteer's language
    with override(language):
        return {answer: str(Answer(answer).label) for answer in ANSWERS}


def payload(message: Outgoing) -> bytes:
    """The JSON the service worker shows, at most ``MAX_PLAINTEXT`` bytes: the answer links go
    first, then the title and text are shortened; raises ``ValueError`` when even that is too
    large (an absurdly long page address)."""
    links = {key: value for key, value in message.links.items() if key in ANSWERS}
    data: dict[str, Any] = {
        "title": _clip(message.subject, 160),
        "body": _body(message),
        "url": message.url,
        "links": links,
        "tag": message.reference,
        "lang": message.language,
    }
    if links:
        labels = _action_labels(message.language)
        data["actions"] = [{"action": key, "title": labels[key]} for key in links]
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(encoded) > MAX_PLAINTEXT:
        data["links"], data["actions"] = {}, []
        data["title"], data["body"] = _clip(message.subject, 80), _clip(data["body"], 100)
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(encoded) > MAX_PLAINTEXT:
        raise ValueError("the notification does not fit in a push message")
    return encoded


def encrypt(plaintext: bytes, p256dh: bytes, auth: bytes) -> bytes:
    """RFC 8291: ``aes128gcm`` for the browser key ``p256dh`` and secret ``auth``, one record,
    a new sender key pair and salt every time (reusing either would weaken the encryption)."""
    sender = ec.generate_private_key(ec.SECP256R1())
    body = http_ece.encrypt(
        plaintext,
        salt=os.urandom(16),
        private_key=sender,
        dh=p256dh,
        auth_secret=auth,
        version="aes128gcm",
        rs=RECORD_SIZE,
    )
    return bytes(body)


def topic(reference: str) -> str:
    """RFC 8030 §5.4: at most 32 characters of the base64url alphabet. A resend of the same
    delivery replaces the first message while the push service still holds it."""
    return vapid.b64url(hashlib.sha256(reference.encode("utf-8")).digest()[:24])


def result_for(status: int, headers: dict[str, str], body: bytes) -> Result:
    """The ``Result`` of a push service's answer (RFC 8030 §5, RFC 8292 §4)."""
    if 200 <= status < 300:
        location = headers.get("location", "").strip()
        provider_id = location.rstrip("/").rsplit("/", 1)[-1] if location else ""
        return Result(ok=True, provider_id=provider_id[:MAX_PROVIDER_ID])
    detail = f"HTTP {status} from the push service"
    text = " ".join(body[:400].decode("utf-8", "replace").split())[:120]
    if text:
        detail = f"{detail}: {text}"
    if status in (404, 410):
        # the browser unsubscribed or the subscription expired: it will never work again
        return Result(ok=False, retry=False, gone=True, error=detail)
    if status == 429:
        return Result(
            ok=False,
            retry=True,
            retry_after=retry_after_seconds(headers.get("retry-after")),
            error=detail,
        )
    if status in (401, 403):
        # our VAPID token was refused: a changed key (the subscription was made with the old
        # one) or a clock far off. Retrying the same token cannot help this message.
        return Result(
            ok=False, retry=False, error=f"{detail} (VAPID refused: was the key changed?)"
        )
    if status == 408:
        return Result(ok=False, retry=True, error=detail)
    if 400 <= status < 500:  # 400 malformed, 413 too large: the same request fails again
        return Result(ok=False, retry=False, error=detail)
    if status >= 500:
        return Result(
            ok=False,
            retry=True,
            retry_after=retry_after_seconds(headers.get("retry-after")),
            error=detail,
        )
    # 1xx/3xx: a redirect is never followed with a message in it
    return Result(ok=False, retry=False, error=detail)


def _is_private(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return not address.is_global
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False  # the request itself fails with a clear (retried) error
    return any(not ipaddress.ip_address(info[4][0]).is_global for info in infos)


class WebPushTransport(Transport):
    """Notifications to browsers through their push services (RFC 8030, 8291, 8292)."""

    channel: ClassVar[str] = "push"
    atomic_handover: ClassVar[bool] = False
    # Push services keep no record of our reference once a message is delivered, so an
    # uncertain send stays uncertain (the tag only softens a duplicate, it does not drop it).
    dedupes_by_reference: ClassVar[bool] = False

    def __init__(self) -> None:
        self._client: httpx.Client | None = None
        self._private: dict[str, bool] = {}

    @classmethod
    def configured(cls) -> bool:
        return not vapid.problems()

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
        """Keep one connection pool for a batch: most endpoints share a few push services."""
        with self._new_client() as client:
            self._client = client
            try:
                yield self
            finally:
                self._client = None
                self._private.clear()

    def _blocked(self, host: str) -> bool:
        if config.allow_private_hosts():
            return False
        if host not in self._private:
            self._private[host] = _is_private(host)
        return self._private[host]

    def send(self, message: Outgoing, handover: Handover) -> Result:
        """Encrypt and send ``message`` to the subscription ``message.to`` with the keys in
        ``message.extra`` (``p256dh``, ``auth``)."""
        key, sub = vapid.private_key(), vapid.subject()
        if key is None or not sub:
            return Result(
                ok=False,
                retry=True,
                retry_after=CONFIG_RETRY_SECONDS,
                error="Web Push is not configured",
            )
        try:
            endpoint = check_endpoint(message.to)
            p256dh = decode_p256dh(str(message.extra.get("p256dh", "")))
            auth = decode_auth(str(message.extra.get("auth", "")))
        except BadSubscription as exc:
            return Result(ok=False, retry=False, error=f"not a usable subscription ({exc.code})")
        host = urlsplit(endpoint).hostname or ""
        if self._blocked(host):
            return Result(ok=False, retry=False, error="the endpoint is on a private address")
        try:
            body = encrypt(payload(message), p256dh, auth)
        except ValueError as exc:
            return Result(ok=False, retry=False, error=str(exc))
        headers = {
            "TTL": str(config.ttl()),
            "Urgency": "high",
            "Topic": topic(message.reference),
            "Content-Type": "application/octet-stream",
            "Content-Encoding": "aes128gcm",
            "Authorization": vapid.authorization(key, endpoint, sub),
        }
        return self._deliver(endpoint, headers, body)

    def _deliver(self, endpoint: str, headers: dict[str, str], body: bytes) -> Result:
        client = self._client or self._new_client()
        try:
            with client.stream("POST", endpoint, content=body, headers=headers) as response:
                answer = bytearray()
                try:
                    for chunk in response.iter_bytes():
                        answer.extend(chunk)
                        if len(answer) > MAX_ANSWER_BYTES:
                            break
                except httpx.HTTPError:
                    pass  # the status line arrived: what it says stands without the body
                found = {k.lower(): v for k, v in response.headers.items()}
                return result_for(response.status_code, found, bytes(answer))
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            return Result(
                ok=False,
                retry=True,
                error=f"could not reach the push service ({type(exc).__name__}); not sent",
            )
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return Result(
                ok=False, retry=False, error=f"not a usable endpoint ({type(exc).__name__})"
            )
        except httpx.TimeoutException:
            return Result(
                ok=False,
                retry=False,
                uncertain=True,
                error="no answer from the push service in time; the message may have been sent",
            )
        except httpx.HTTPError as exc:
            return Result(
                ok=False,
                retry=False,
                uncertain=True,
                error=(
                    f"{type(exc).__name__} talking to the push service; "
                    "the message may have been sent"
                ),
            )
        finally:
            if client is not self._client:
                client.close()
