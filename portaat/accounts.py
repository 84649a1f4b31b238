"""Adapters for django-allauth: self-registration is a deployment decision; two-step secrets
are stored encrypted."""

from __future__ import annotations

import base64
import logging
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.totp import forms as allauth_totp_forms
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.PORTAAT_OPEN_SIGNUP)


class MFAAdapter(DefaultMFAAdapter):
    """Two-step sign-in: the authenticator app's secret and the recovery codes' seed are stored
    encrypted (Fernet under a key derived from ``PORTAAT_CREDENTIALS_KEY``, as sources'
    credentials)."""

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _fernet().decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            # the key changed since the secret was stored: no code can match (fail closed, no
            # error page); a coordinator removes the authenticator and the person sets it up again
            log.error("A stored two-step secret cannot be read: PORTAAT_CREDENTIALS_KEY changed?")
            return base64.b32encode(secrets.token_bytes(20)).decode()


def _fernet() -> Fernet:
    from portaat.listening.privacy import derived_key

    return Fernet(base64.urlsafe_b64encode(derived_key("mfa", settings.PORTAAT_CREDENTIALS_KEY)))


class ActivateTOTPForm(allauth_totp_forms.ActivateTOTPForm):
    """Setting up the authenticator app checks its first code: the session that did it counts as
    signed in with the second step (``access.second_step_missing``)."""

    def clean_code(self) -> str:
        from portaat.access import SECOND_STEP_SESSION_KEY

        code: str = super().clean_code()
        allauth_context.request.session[SECOND_STEP_SESSION_KEY] = self.user.pk
        return code
