"""Email over SMTP, with the hand-over at the one moment that makes exactly-once possible.

SMTP accepts a message only when the client sends the line with a single "." after DATA.
We send the whole message, then let the dispatcher record it as sent (``handover``), and only
then send the ".": a worker killed before the record leaves the server with an unfinished
message, which it discards, so the row is sent again; killed after it, the server gets the "."
from the kernel's socket buffer (a closing socket still sends what it holds). One connection
serves a whole batch (connection reuse).
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from typing import ClassVar

from django.conf import settings

from portaat.crowds.transports.base import Handover, Outgoing, Result, Transport

_LEADING_DOT = re.compile(rb"(?m)^\.")


def build_message(message: Outgoing, sender: str) -> EmailMessage:
    email = EmailMessage(policy=SMTP)
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=True)
    # the same delivery always has the same id: mail systems that fold duplicates by
    # Message-ID fold a resend too
    email["Message-ID"] = f"<{message.reference}@portaat>"
    email["Auto-Submitted"] = "auto-generated"
    email["Content-Language"] = message.language
    manage = message.extra.get("manage_url")
    if manage:
        email["List-Unsubscribe"] = f"<{manage}>"
    email.set_content(message.text)
    return email


class EmailTransport(Transport):
    channel: ClassVar[str] = "email"
    atomic_handover: ClassVar[bool] = True

    def __init__(self) -> None:
        self._smtp: smtplib.SMTP | None = None
        self.sender = (
            getattr(settings, "PORTAAT_CROWDS_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
        )

    @classmethod
    def configured(cls) -> bool:
        # without an SMTP server (a laptop), messages are written to the worker's output,
        # like every other email Django sends there
        return True

    @staticmethod
    def console() -> bool:
        return str(settings.EMAIL_BACKEND).endswith("console.EmailBackend")

    @classmethod
    def rate_per_second(cls) -> float:
        return float(getattr(settings, "PORTAAT_CROWDS_EMAIL_RATE", 200))

    def _connect(self) -> smtplib.SMTP:
        timeout = 30
        smtp: smtplib.SMTP
        if settings.EMAIL_USE_SSL:
            smtp = smtplib.SMTP_SSL(
                settings.EMAIL_HOST,
                settings.EMAIL_PORT,
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=timeout)
            # the final "." is written alone after the hand-over; without this it waits for
            # the server's delayed acknowledgement (~40 ms a message)
            if smtp.sock is not None:
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if settings.EMAIL_USE_TLS:
                smtp.starttls(context=ssl.create_default_context())
        if settings.EMAIL_HOST_USER:
            smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        return smtp

    @contextmanager
    def session(self) -> Iterator[Transport]:
        try:
            yield self
        finally:
            self._close(quit_politely=True)

    def _close(self, *, quit_politely: bool = False) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            if quit_politely:
                smtp.quit()
            else:
                smtp.close()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def send(self, message: Outgoing, handover: Handover) -> Result:
        if not message.to:
            return Result(False, error="no address", retry=False)
        if self.console():
            handover()
            sys.stdout.write(build_message(message, self.sender).as_string() + "\n")
            sys.stdout.flush()
            return Result(True, provider_id=f"<{message.reference}@portaat>")
        data = build_message(message, self.sender).as_bytes()
        data = _LEADING_DOT.sub(b"..", data)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        handed = [False]

        def record() -> None:
            handover()
            handed[0] = True

        for attempt in (1, 2):  # a reused connection may have been closed by the server
            try:
                if self._smtp is None:
                    self._smtp = self._connect()
                return self._transaction(
                    self._smtp, message.to, data, record, f"<{message.reference}@portaat>"
                )
            except (OSError, smtplib.SMTPException) as exc:
                self._close()
                if handed[0]:
                    # the "." went out: the server may have the message; never send it again
                    return Result(
                        False, retry=False, uncertain=True, error=f"after hand-over: {exc}"[:300]
                    )
                if attempt == 2 or not isinstance(exc, smtplib.SMTPServerDisconnected):
                    return Result(False, error=f"{type(exc).__name__}: {exc}"[:300])
        return Result(False, error="unreachable")  # pragma: no cover

    def _transaction(
        self, smtp: smtplib.SMTP, to: str, data: bytes, handover: Handover, message_id: str
    ) -> Result:
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(self.sender)
        if code != 250:
            smtp.rset()
            return Result(False, error=f"MAIL {code} {reply!r}"[:300], retry=code < 500)
        code, reply = smtp.rcpt(to)
        if code not in (250, 251):
            smtp.rset()
            return Result(False, error=f"RCPT {code} {reply!r}"[:300], retry=code < 500)
        code, reply = smtp.docmd("DATA")
        if code != 354:
            smtp.rset()
            return Result(False, error=f"DATA {code} {reply!r}"[:300], retry=code < 500)
        smtp.send(data)
        try:
            handover()
        except BaseException:
            # not recorded as sent: drop the connection so the server discards the message
            self._close()
            raise
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            return Result(False, error=f"end of DATA {code} {reply!r}"[:300], retry=code < 500)
        return Result(True, provider_id=message_id)
