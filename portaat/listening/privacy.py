"""Pseudonyms for authors and encryption for sources' credentials.

A pseudonym is an HMAC of the platform and the handle under a key from the settings: the same
author gets the same pseudonym (so activity can be counted), but nobody without the key can
confirm a guess ("is this @maija?") by hashing it. Credentials are encrypted with Fernet (AES
with an authentication tag); the key comes from settings, never from the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def derived_key(purpose: str, configured: str) -> bytes:
    """32 bytes for one purpose, from the configured key (or SECRET_KEY when none is set)."""
    secret = configured or settings.SECRET_KEY
    return hmac.new(secret.encode(), f"portaat/{purpose}".encode(), hashlib.sha256).digest()


@lru_cache(maxsize=4)
def _pseudonym_key(configured: str, secret: str) -> bytes:
    return derived_key("pseudonym", configured)


def pseudonym_key() -> bytes:
    return _pseudonym_key(settings.PORTAAT_PSEUDONYM_KEY, settings.SECRET_KEY)


def normalise_handle(handle: str) -> str:
    return handle.strip().removeprefix("@").lower()


def pseudonymise(platform: str, handle: str, key: bytes | None = None) -> str:
    """32 hex characters for an author; "" for no author."""
    handle = normalise_handle(handle)
    if not handle:
        return ""
    message = f"{platform}\x00{handle}".encode()
    return hmac.new(key or pseudonym_key(), message, hashlib.sha256).hexdigest()[:32]


def _fernet() -> Fernet:
    raw = derived_key("credentials", settings.PORTAAT_CREDENTIALS_KEY)
    return Fernet(base64.urlsafe_b64encode(raw))


def encrypt_credentials(values: dict[str, str]) -> str:
    """An encrypted token for the credentials, "" for none."""
    cleaned = {k: v for k, v in values.items() if v}
    if not cleaned:
        return ""
    return _fernet().encrypt(json.dumps(cleaned).encode()).decode()


class CredentialsUnreadable(Exception):
    """The key changed since the credentials were stored: they must be entered again."""


def decrypt_credentials(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        values = json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError) as exc:
        raise CredentialsUnreadable from exc
    return {str(k): str(v) for k, v in values.items()}
