"""VAPID (RFC 8292): the server's P-256 key and the signed token each push request carries.

The token is an ES256 JWT whose ``aud`` is the origin of the push endpoint, ``exp`` at most
24 hours ahead and ``sub`` a contact address; it goes with the public key in
``Authorization: vapid t=<jwt>, k=<key>``. Signed here with ``cryptography`` directly: it is a
few lines, and keeps the key handling (raw, PEM or DER) in one place.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from portaat.crowds.transports.webpush import config

# RFC 8292 §2: "MUST NOT be more than 24 hours from the time of the request". Half of that
# leaves room for a push service whose clock runs ahead of ours.
TOKEN_LIFETIME = 12 * 3600
_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def b64url(data: bytes) -> str:
    """Unpadded base64url, the encoding of every key and token in Web Push."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(value: str) -> bytes:
    """Strict base64url (padding optional); raises ``ValueError`` on anything else (the
    standard library would silently skip characters outside the alphabet)."""
    if not _B64URL.fullmatch(value):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def public_bytes(key: ec.EllipticCurvePublicKey) -> bytes:
    """The uncompressed point (65 bytes starting 0x04), as browsers take it."""
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@lru_cache(maxsize=8)
def load_private_key(raw: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key from base64url raw 32 bytes, base64url DER, or PEM; raises
    ``ValueError`` naming what is wrong (never the key itself)."""
    raw = raw.strip()
    key: object
    try:
        if raw.startswith("-----BEGIN"):
            # environment variables rarely hold newlines: "\n" written out is accepted too
            pem = raw.replace("\\n", "\n").encode("ascii")
            key = serialization.load_pem_private_key(pem, password=None)
        else:
            data = b64url_decode(raw)
            if len(data) == 32:
                key = ec.derive_private_key(int.from_bytes(data, "big"), ec.SECP256R1())
            else:
                key = serialization.load_der_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm, UnicodeEncodeError):
        raise ValueError("PORTAAT_VAPID_PRIVATE_KEY is not a readable private key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("PORTAAT_VAPID_PRIVATE_KEY must be a P-256 (prime256v1) key")
    return key


def private_key() -> ec.EllipticCurvePrivateKey | None:
    """The configured key, or None when it is unset or unreadable."""
    raw = config.text("PORTAAT_VAPID_PRIVATE_KEY")
    if not raw:
        return None
    try:
        return load_private_key(raw)
    except ValueError:
        return None


def problems() -> list[str]:
    """What keeps Web Push from working (for checks and the admin's eyes; never the key)."""
    found = []
    raw = config.text("PORTAAT_VAPID_PRIVATE_KEY")
    if not raw:
        found.append("PORTAAT_VAPID_PRIVATE_KEY is not set")
    else:
        try:
            load_private_key(raw)
        except ValueError as exc:
            found.append(str(exc))
    if not subject():
        found.append("PORTAAT_VAPID_SUBJECT must be a mailto: or https: address")
    return found


def subject() -> str:
    """``PORTAAT_VAPID_SUBJECT`` as a ``mailto:`` or ``https:`` URI, or "" when unusable."""
    value = config.text("PORTAAT_VAPID_SUBJECT")
    if not value or any(ch.isspace() for ch in value):
        return ""
    if value.startswith("mailto:"):
        return value if "@" in value else ""
    if value.startswith("https://"):
        return value if urlsplit(value).hostname else ""
    if ":" not in value and value.count("@") == 1 and not value.startswith("@"):
        return f"mailto:{value}"  # a bare address: what else could it mean
    return ""


def vapid_public_key() -> str:
    """The public key for the browser's ``applicationServerKey`` (base64url of the
    uncompressed point), or "" when no usable key is configured."""
    key = private_key()
    return b64url(public_bytes(key.public_key())) if key is not None else ""


def audience(endpoint: str) -> str:
    """The origin of ``endpoint`` (scheme, host and a non-default port): the JWT's ``aud``."""
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets in an origin
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def token(
    key: ec.EllipticCurvePrivateKey,
    aud: str,
    sub: str,
    *,
    now: float | None = None,
    lifetime: int = TOKEN_LIFETIME,
) -> str:
    """A signed ES256 JWT with the VAPID claims."""
    issued = int(time.time() if now is None else now)
    header = {"typ": "JWT", "alg": "ES256"}
    claims = {"aud": aud, "exp": issued + min(lifetime, 24 * 3600), "sub": sub}
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    der = key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    # JWS (RFC 7518 §3.4) wants r and s as two fixed 32-byte numbers, not DER
    r, s = decode_dss_signature(der)
    return f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def authorization(key: ec.EllipticCurvePrivateKey, endpoint: str, sub: str) -> str:
    """The ``Authorization`` header value for a message to ``endpoint``."""
    jwt = token(key, audience(endpoint), sub)
    return f"vapid t={jwt}, k={b64url(public_bytes(key.public_key()))}"


def generate() -> tuple[str, str]:
    """A new key pair: (private key as base64url raw 32 bytes, public key as base64url)."""
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return b64url(raw), b64url(public_bytes(key.public_key()))
