"""The email digest against a real SMTP server (aiosmtpd, in-process) and a controlled clock:
one email per user in their language, each notification emailed exactly once."""

from __future__ import annotations

import datetime as dt
import email
import socket
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from portaat import notifications, tasks
from portaat.models import Notification, NotificationSettings

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY = dt.datetime(2026, 11, 30, 7, 0, tzinfo=HELSINKI)
FRIDAY = dt.datetime(2026, 11, 27, 7, 0, tzinfo=HELSINKI)


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it by this name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "portaat@portaat.example"
    settings.SITE_URL = "https://portaat.example"
    try:
        yield inbox
    finally:
        controller.stop()


def note(user, key, *, activism="Lauttasaaren REKO", url="/cases/1/", **extra) -> Notification:
    return Notification.objects.create(
        user=user,
        key=key,
        kind="reassess",
        params={"activism": activism, "last": "2025-10-01"},
        url=url,
        created_at=MONDAY - dt.timedelta(days=1),
        **extra,
    )


def body(message: EmailMessage) -> str:
    return message.get_content()  # type: ignore[no-any-return]


def test_each_user_gets_one_email_in_their_language_and_a_rerun_sends_nothing(
    smtp, official, coordinator, researcher
):
    NotificationSettings.objects.create(user=official, email_digest="daily", language="sv")
    NotificationSettings.objects.create(user=researcher, email_digest="off", language="en")
    first = note(official, "a", activism="Lauttasaaren REKO")
    second = note(official, "b", activism="Kallion kaupunkiviljelijät", url="")
    already_read = note(official, "c", read_at=MONDAY - dt.timedelta(hours=1))
    already_emailed = note(official, "d", emailed_at=MONDAY - dt.timedelta(days=1))
    coordinators = note(coordinator, "a")  # no settings: daily, in Finnish
    researchers = note(researcher, "a")  # "off": never emailed

    result = notifications.send_digests(now=MONDAY)

    assert (result.emails, result.notifications) == (2, 3)
    assert len(smtp.messages) == 2
    by_recipient = {rcpt[0]: m for rcpt, m in zip(smtp.recipients, smtp.messages, strict=True)}
    assert set(by_recipient) == {official.email, coordinator.email}

    swedish = by_recipient[official.email]
    assert swedish["Content-Language"] == "sv"
    assert swedish["From"] == "portaat@portaat.example"
    assert "2" in swedish["Subject"]
    text = body(swedish)
    assert "Lauttasaaren REKO" in text and "Kallion kaupunkiviljelijät" in text
    assert "1 oktober 2025" in text  # the date in Swedish
    assert "https://portaat.example/cases/1/" in text
    assert "https://portaat.example/notifications/" in text  # no url: the list, and settings

    finnish = by_recipient[coordinator.email]
    assert finnish["Content-Language"] == "fi"
    assert "1. lokakuuta 2025" in body(finnish)

    emailed = set(Notification.objects.filter(emailed_at=MONDAY).values_list("pk", flat=True))
    assert emailed == {first.pk, second.pk, coordinators.pk}
    for untouched in (already_read, researchers):
        untouched.refresh_from_db()
        assert untouched.emailed_at is None
    already_emailed.refresh_from_db()
    assert already_emailed.emailed_at == MONDAY - dt.timedelta(days=1)

    # the same morning again, and the next morning: nothing is sent twice
    assert notifications.send_digests(now=MONDAY).emails == 0
    assert notifications.send_digests(now=MONDAY + dt.timedelta(days=1)).emails == 0
    assert len(smtp.messages) == 2


def test_only_new_notifications_go_in_the_next_digest(smtp, official):
    note(official, "a", activism="Ensimmäinen")
    assert notifications.send_digests(now=MONDAY).emails == 1
    note(official, "b", activism="Toinen")
    assert notifications.send_digests(now=MONDAY + dt.timedelta(days=1)).emails == 1
    latest = body(smtp.messages[-1])
    assert "Toinen" in latest and "Ensimmäinen" not in latest


def test_weekly_digests_go_out_on_mondays_only(smtp, official):
    NotificationSettings.objects.create(user=official, email_digest="weekly")
    note(official, "a")
    assert notifications.send_digests(now=FRIDAY).emails == 0
    assert notifications.send_digests(now=FRIDAY + dt.timedelta(days=1)).emails == 0
    assert smtp.messages == []
    assert notifications.send_digests(now=MONDAY).emails == 1
    assert len(smtp.messages) == 1


def test_monday_is_local_time(smtp, official):
    NotificationSettings.objects.create(user=official, email_digest="weekly")
    note(official, "a")
    # Sunday 23:30 UTC is already Monday 01:30 in Helsinki
    sunday_utc = dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC)
    assert timezone.localdate(sunday_utc).weekday() == 0
    assert notifications.send_digests(now=sunday_utc).emails == 1


def test_users_who_chose_off_get_nothing(smtp, official):
    NotificationSettings.objects.create(user=official, email_digest="off")
    note(official, "a")
    assert notifications.send_digests(now=MONDAY).emails == 0
    assert smtp.messages == []


def test_an_unreachable_server_marks_nothing_and_the_next_run_sends(smtp, settings, official):
    n = note(official, "a")
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    assert notifications.send_digests(now=MONDAY).emails == 0
    n.refresh_from_db()
    assert n.emailed_at is None
    settings.EMAIL_PORT = working_port
    assert notifications.send_digests(now=MONDAY + dt.timedelta(hours=1)).emails == 1
    assert len(smtp.messages) == 1


def test_the_periodic_task_sends_at_seven_local_time(smtp, official):
    note(official, "a")
    task = tasks.send_digests.s()
    # Huey's scheduler (utc=False) passes naive local times, so the test does too.
    seven = dt.datetime(2026, 11, 27, 7, 0)  # noqa: DTZ001
    assert task.validate_datetime(seven)
    assert not task.validate_datetime(seven + dt.timedelta(minutes=1))
    assert not task.validate_datetime(seven + dt.timedelta(hours=12))
    assert tasks.send_digests.call_local() == 1
    assert len(smtp.messages) == 1
