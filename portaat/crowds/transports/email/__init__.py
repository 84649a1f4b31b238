"""Email over SMTP, with the hand-over at the one moment that makes exactly-once possible.

SMTP accepts a message only when the client sends the line with a single "." after DATA.
We send the whole message, then let the dispatcher record it as sent (``handover``), and only
then send the ".": a worker killed before the record leaves the server with an unfinished
message, which it discards, so the row is sent again; killed after it, the server gets the "."
from the kernel's socket buffer (a closing socket still sends what it holds). One connection
serves a whole batch (connection reuse).
"""

from __future__ import annotations

import binascii
import re
import smtplib
import socket
import ssl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from functools import lru_cache
from typing import ClassVar

from django.conf import settings

from portaat.crowds.transports.base import Handover, Outgoing, Result, Transport

_LEADING_DOT = re.compile(rb"(?m)^\.")


@lru_cache(maxsize=8)
def _sender_header(sender: str) -> str:
    name, address = parseaddr(sender)
    return formataddr((name, address), charset="utf-8") if name else address


def _ascii_address(address: str) -> str | None:
    """The address as ASCII (an internationalised domain in its IDNA form), or None when
    the local part is not ASCII (that would need SMTPUTF8, which we do not rely on)."""
    local, _at, domain = address.rpartition("@")
    if not local.isascii():
        return None
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return f"{local}@{domain}"


def _header(name: str, value: str) -> str:
    value = " ".join(value.split())  # no header injection: no line breaks from our data
    if value.isascii() and len(name) + len(value) < 76:
        return f"{name}: {value}"
    encoded = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {encoded}"


def build_bytes(message: Outgoing, sender: str, to: str | None = None) -> bytes:
    """The message as it goes on the wire (CRLF lines, quoted-printable UTF-8 body, encoded
    words for non-ASCII headers), built directly: ``email.policy``'s header objects cost
    ~1 ms a message, more than the whole SMTP exchange with a local server."""
    lines = [
        f"From: {_sender_header(sender)}",
        f"To: {to or message.to}",
        _header("Subject", message.subject),
        f"Date: {formatdate(localtime=True)}",
        # the same delivery always has the same id: mail systems that fold duplicates by
        # Message-ID fold a resend too
        f"Message-ID: <{message.reference}@portaat>",
        "Auto-Submitted: auto-generated",
        f"Content-Language: {message.language}",
    ]
    manage = message.extra.get("manage_url")
    if manage:
        lines.append(f"List-Unsubscribe: <{manage}>")
    lines += [
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
    ]
    text = message.text.replace("\r\n", "\n").replace("\r", "\n")
    body = binascii.b2a_qp(text.encode("utf-8"), istext=True)
    body = body.replace(b"\n", b"\r\n")
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return "\r\n".join(lines).encode("ascii") + b"\r\n\r\n" + body


class EmailTransport(Transport):
    channel: ClassVar[str] = "email"
    atomic_handover: ClassVar[bool] = True

    def __init__(self) -> None:
        self._smtp: smtplib.SMTP | None = None
        self.sender = (
            getattr(settings, "PORTAAT_CROWDS_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
        )
        self.envelope_sender = parseaddr(self.sender)[1]

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

    def handover_provider_id(self, message: Outgoing) -> str:
        return f"<{message.reference}@portaat>"

    def send(self, message: Outgoing, handover: Handover) -> Result:
        if not message.to:
            return Result(False, error="no address", retry=False)
        to = _ascii_address(message.to)
        if to is None:
            return Result(False, error="the address is not ASCII (SMTPUTF8)", retry=False)
        data = build_bytes(message, self.sender, to)
        if self.console():
            handover()
            sys.stdout.write(data.decode("ascii").replace("\r\n", "\n") + "\n")
            sys.stdout.flush()
            return Result(True, provider_id=f"<{message.reference}@portaat>")
        data = _LEADING_DOT.sub(b"..", data)
        handed = [False]

        def record() -> None:
            handover()
            handed[0] = True

        for attempt in (1, 2):  # a reused connection may have been closed by the server
            try:
                if self._smtp is None:
                    self._smtp = self._connect()
                return self._transaction(
                    self._smtp, to, data, record, f"<{message.reference}@portaat>"
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
        # MAIL and RCPT as plain commands: smtplib's helpers parse both addresses anew for
        # every message (we need none of their ESMTP options)
        code, reply = smtp.docmd("MAIL", f"FROM:<{self.envelope_sender}>")
        if code != 250:
            smtp.rset()
            return Result(False, error=f"MAIL {code} {reply!r}"[:300], retry=code < 500)
        code, reply = smtp.docmd("RCPT", f"TO:<{to}>")
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
