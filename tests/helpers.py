"""Small helpers shared by several test modules."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from portaat.ladders.models import LEVELS, Ladder
from portaat.ladders.services import LANGS


def translation_of(msgid: str, lang: str) -> str:
    """The UI catalogue's translation of ``msgid``; fails if the catalogue lacks one.

    Pages are checked against the catalogue rather than a copy of its wording, so a
    translator may improve a text without breaking tests, but a missing translation fails.
    """
    with translation.override(lang):
        text = translation.gettext(msgid)
    assert text != msgid, f"no {lang} translation for {msgid!r} (run `make compilemessages`)"
    return text


def html_lang(content: bytes) -> str:
    """The ``lang`` attribute of a page's ``<html>`` element."""
    head = content.decode()[:300]
    marker = '<html lang="'
    assert marker in head, head
    return head.split(marker, 1)[1].split('"', 1)[0]


def ladder_form_data(ladder: Ladder, **overrides: str) -> dict[str, Any]:
    """POST data for the copy/edit form holding ``ladder``'s texts, with ``overrides``."""
    data: dict[str, Any] = {}
    for lang in LANGS:
        for name in ("name", "domain", "description"):
            data[f"{name}_{lang}"] = getattr(ladder, f"{name}_{lang}") or ""
    steps = {step.level: step for step in ladder.steps.all()}
    for level in range(1, LEVELS + 1):
        for lang in LANGS:
            for part in ("title", "description"):
                step = steps.get(level)
                data[f"step{level}_{part}_{lang}"] = (
                    getattr(step, f"{part}_{lang}") or "" if step else ""
                )
    data.update(overrides)
    return data


def totp_code(secret: str, at: float | None = None, period: int = 30) -> str:
    """The six-digit code an authenticator app shows for ``secret`` (RFC 6238, SHA-1): written
    here from the RFC rather than taken from allauth, so the tests check that Portaat agrees with
    the apps people use."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def give_authenticator_app(user: Any) -> str:
    """Sets up an authenticator app for ``user`` with its recovery codes (as allauth stores them,
    encrypted) and returns the app's secret."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def sign_in_with_second_step(client: Any, user: Any) -> Any:
    """``client.force_login`` plus what allauth records after the code step, so pages that need
    the second step (``access.second_step_missing``) open; sets up an app first if there is none."""
    import time

    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    app = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if app is None:
        give_authenticator_app(user)
        app = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": app.pk, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def api_key_for(user: Any, name: str = "integration") -> str:
    """A new API key of ``user`` (the key itself, as its owner is shown it once)."""
    from portaat.api import keys

    return keys.create(user, name)[1]
