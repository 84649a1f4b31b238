"""Crowd fixtures: a real SMTP server (aiosmtpd), officials who may run calls, areas."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Permission

from tests.factories import AreaFactory


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "portaat@portaat.example"
    settings.SITE_URL = "https://portaat.example"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def caller(official: Any) -> Any:
    """An official who was given the permission to run calls."""
    official.user_permissions.add(Permission.objects.get(codename="run_calls"))
    return type(official).objects.get(pk=official.pk)


@pytest.fixture
def areas(db: None) -> dict[str, Any]:
    return {
        "kallio": AreaFactory(
            key="helsinki-kallio", name="Kallio", name_sv="Berghäll", lat=60.184, lon=24.950
        ),
        "sornainen": AreaFactory(
            key="helsinki-sornainen", name="Sörnäinen", name_sv="Sörnäs", lat=60.187, lon=24.962
        ),
        "espoo": AreaFactory(
            key="espoo-tapiola",
            name="Tapiola",
            name_sv="Hagalund",
            municipality="Espoo",
            lat=60.175,
            lon=24.805,
        ),
    }
