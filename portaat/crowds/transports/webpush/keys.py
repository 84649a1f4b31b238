"""What a browser's push subscription must look like, checked the same way when it is stored
(the subscribe view) and when a message is sent to it (the transport)."""

from __future__ import annotations

from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from portaat.crowds.transports.webpush import config
from portaat.crowds.transports.webpush.vapid import b64url_decode

MAX_ENDPOINT = 1000  # PushSubscription.endpoint
P256DH_BYTES = 65  # an uncompressed P-256 point (RFC 8291 §3.1)
AUTH_BYTES = 16  # RFC 8291 §3.2


class BadSubscription(ValueError):
    """A subscription that cannot work; ``code`` says which part (endpoint, p256dh, auth)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_endpoint(endpoint: str) -> str:
    """``endpoint`` when it is an address a push service could have given; else raises
    ``BadSubscription("endpoint")``."""
    if (
        not endpoint
        or len(endpoint) > MAX_ENDPOINT
        or any(ch.isspace() or not ch.isprintable() for ch in endpoint)
    ):
        raise BadSubscription("endpoint")
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        raise BadSubscription("endpoint") from None
    schemes = ("https", "http") if config.allow_http() else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise BadSubscription("endpoint")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise BadSubscription("endpoint")
    return endpoint


def decode_p256dh(value: str) -> bytes:
    """The browser's public key: 65 bytes, 0x04 first, a point on P-256."""
    try:
        data = b64url_decode(value)
    except ValueError:
        raise BadSubscription("p256dh") from None
    if len(data) != P256DH_BYTES or data[0] != 0x04:
        raise BadSubscription("p256dh")
    try:
        # a point off the curve would make every message to it fail; refuse it at once
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
    except ValueError:
        raise BadSubscription("p256dh") from None
    return data


def decode_auth(value: str) -> bytes:
    """The browser's authentication secret: 16 bytes."""
    try:
        data = b64url_decode(value)
    except ValueError:
        raise BadSubscription("auth") from None
    if len(data) != AUTH_BYTES:
        raise BadSubscription("auth")
    return data
