"""API keys: made, listed and revoked by their owner (``/api-keys/``, ``portaat apikey``), and
checked on every API request that sends ``Authorization: Token <key>``.

Only a digest is stored (``ApiKey``). A key reads and writes exactly what its account may through
the pages; an expired key, a revoked one and one of a disabled account are refused with a
translated 403 that says which.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from portaat.models import ApiKey

KEY_START = "portaat_"
# a list longer than this is a sign of keys made and forgotten: revoke some first
MAX_KEYS_PER_PERSON = 20
NAME_MAX = 100
# the choices offered when a key is made (days; 0: never expires)
LIFETIMES = (30, 90, 365, 0)
DEFAULT_LIFETIME = 365
# "last used" is written at most this often per key, not on every request
LAST_USED_PRECISION = timedelta(minutes=5)


class ApiKeyError(ValueError):
    """A key that cannot be made: the message is translated and safe to show."""


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(user: Any, name: str, days: int | None = DEFAULT_LIFETIME) -> tuple[ApiKey, str]:
    """A new key for ``user``: returns the row and the key, which is never available again.
    ``days`` 0 or None: the key does not expire."""
    name = " ".join((name or "").split())
    if not name:
        raise ApiKeyError(_("Give the key a name, for example the integration that will use it."))
    if len(name) > NAME_MAX:
        raise ApiKeyError(
            _("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX}
        )
    if days is not None and days < 0:
        raise ApiKeyError(_("The lifetime must be a number of days, or 0 for no expiry."))
    if days and days > 3650:
        raise ApiKeyError(_("A key can be valid for at most ten years (3650 days)."))
    if not user.is_active:
        raise ApiKeyError(_("A disabled account cannot have API keys."))
    with transaction.atomic():
        # one person making keys in two tabs at once cannot pass the cap together
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if ApiKey.objects.filter(user=user).count() >= MAX_KEYS_PER_PERSON:
            raise ApiKeyError(
                _("You already have %(max)d API keys: revoke the ones no longer used first.")
                % {"max": MAX_KEYS_PER_PERSON}
            )
        key = KEY_START + secrets.token_urlsafe(30)
        now = timezone.now()
        row = ApiKey.objects.create(
            user=user,
            name=name,
            prefix=key[: len(KEY_START) + 4],
            digest=digest_of(key),
            created_at=now,
            expires_at=now + timedelta(days=days) if days else None,
        )
    return row, key


def revoke(user: Any, pk: int) -> bool:
    """Deletes one of ``user``'s own keys; False when there is no such key of theirs."""
    deleted, _rows = ApiKey.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


def keys_of(user: Any) -> list[ApiKey]:
    return list(ApiKey.objects.filter(user=user))


class ApiKeyAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` against the stored digests (the header DRF's token
    authentication uses, so integrations written for it keep working)."""

    model = ApiKey

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiKey]:
        row = ApiKey.objects.select_related("user").filter(digest=digest_of(key)).first()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        if row.expired:
            raise exceptions.AuthenticationFailed(
                _("This API key has expired: make a new one on the API keys page.")
            )
        if not row.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)
            row.last_used_at = now
        return row.user, row
