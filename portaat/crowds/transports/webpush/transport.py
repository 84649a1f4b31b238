"""The Web Push transport: one encrypted, VAPID-signed POST to the browser's push service.

The payload is JSON (title, body, url, links, tag, language, action labels) encrypted for the
browser with RFC 8291 ``aes128gcm`` under a fresh key pair and salt per message; the push
service sees only ciphertext and our signed VAPID token.

The session, the exceptions and the shared statuses are ``HttpTransport``'s (see
``transports/http.py``: no connection is retried, a timeout after the request went out may
have delivered and is uncertain); here are the push services' own meanings (404/410: the
subscription is gone, 401/403: our VAPID token was refused). The service worker shows every
message under its reference as the notification ``tag``, and the request names it as the
``Topic``, so a duplicate that does get through replaces the first notification instead of
adding a second one.
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
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils.translation import override

from portaat.crowds.models import Answer
from portaat.crowds.transports.base import Outgoing, Result, Transport
from portaat.crowds.transports.http import CONFIG_RETRY_SECONDS, HttpTransport, Reply, Request
from portaat.crowds.transports.webpush import config, vapid
from portaat.crowds.transports.webpush.keys import (
    BadSubscription,
    check_endpoint,
    decode_auth,
    decode_p256dh,
)

BODY_CHARS = 200
# RFC 8291 §4: push services must accept 4096 bytes of body; the aes128gcm header (86 bytes),
# the padding delimiter (1) and the tag (16) leave 3993 bytes of plaintext in one record.
MAX_PLAINTEXT = 3993
RECORD_SIZE = 4096
MAX_PROVIDER_ID = 120  # Delivery.provider_id
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


class WebPushTransport(HttpTransport[None]):
    """Notifications to browsers through their push services (RFC 8030, 8291, 8292)."""

    channel: ClassVar[str] = "push"
    atomic_handover: ClassVar[bool] = False
    # Push services keep no record of our reference once a message is delivered, so an
    # uncertain send stays uncertain (the tag only softens a duplicate, it does not drop it).
    dedupes_by_reference: ClassVar[bool] = False
    peer_name: ClassVar[str] = "the push service"
    max_answer_bytes: ClassVar[int] = 64 * 1024

    def __init__(self) -> None:
        super().__init__()
        self._private: dict[str, bool] = {}

    @classmethod
    def configured(cls) -> bool:
        return not vapid.problems()

    @classmethod
    def rate_per_second(cls) -> float:
        return config.rate()

    @classmethod
    def timeout(cls) -> float:
        return config.timeout()

    @contextmanager
    def session(self) -> Iterator[Transport]:
        """Keep one connection pool for a batch: most endpoints share a few push services."""
        try:
            with super().session() as session:
                yield session
        finally:
            self._private.clear()

    def _blocked(self, host: str) -> bool:
        if config.allow_private_hosts():
            return False
        if host not in self._private:
            self._private[host] = _is_private(host)
        return self._private[host]

    def prepare(self, message: Outgoing) -> tuple[Request, None] | Result:
        """Encrypt ``message`` for the subscription ``message.to`` with the keys in
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
        return Request(endpoint, content=body, headers=headers), None

    def accepted(self, answer: Reply, context: None) -> Result:
        """RFC 8030 §5: 201 with the message's address in ``Location``."""
        location = answer.headers.get("location", "").strip()
        provider_id = location.rstrip("/").rsplit("/", 1)[-1] if location else ""
        return Result(ok=True, provider_id=provider_id[:MAX_PROVIDER_ID])

    def refused(self, answer: Reply, detail: str, context: None) -> Result | None:
        """RFC 8030 §5, RFC 8292 §4."""
        status = answer.status
        if status in (404, 410):
            # the browser unsubscribed or the subscription expired: it will never work again
            return Result(ok=False, retry=False, gone=True, error=detail)
        if status in (401, 403):
            # our VAPID token was refused: a changed key (the subscription was made with the
            # old one) or a clock far off. Retrying the same token cannot help this message.
            return Result(
                ok=False, retry=False, error=f"{detail} (VAPID refused: was the key changed?)"
            )
        if status < 400:
            # 1xx/3xx: a redirect is never followed with a message in it; the endpoint is the
            # subscription's, not a setting somebody could fix
            return Result(ok=False, retry=False, error=detail)
        return None

    def unusable(self, exc: Exception, context: None) -> Result:
        # the endpoint comes from the browser: no setting to fix, no retry
        return Result(ok=False, retry=False, error=f"not a usable endpoint ({type(exc).__name__})")
