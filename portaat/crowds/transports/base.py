"""What every transport (email, SMS gateway, Web Push, Telegram) offers the dispatcher.

A transport turns one ``Outgoing`` message into one hand-over to a provider and says how it
went in a ``Result``. It never touches the database: the dispatcher records states, and calls
the ``handover`` callback a transport is given at the last moment before the message becomes
irrevocable (see ``dispatch.py`` and docs/decisions/0006-crowd-outbox.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Outgoing:
    """One message to one volunteer on one channel, already in the volunteer's language."""

    delivery_id: int
    reference: str  # our unique reference (a UUID) — providers that take one get it
    to: str  # email address, E.164 number, Telegram chat id, or push endpoint
    subject: str  # email subject / push title / first line elsewhere
    text: str  # the full plain text (email body, Telegram message)
    short_text: str  # the SMS text: as short as the message allows
    language: str
    # answer -> one-tap URL ("coming", "not_coming", "arrived"); empty for non-call messages
    links: dict[str, str] = field(default_factory=dict)
    url: str = ""  # the page the message is about (push notifications open it)
    extra: dict[str, Any] = field(default_factory=dict)  # push keys (p256dh, auth) …


@dataclass(frozen=True)
class Result:
    ok: bool
    provider_id: str = ""
    error: str = ""
    # False: trying again cannot help (bad number, message refused); True: a temporary failure
    retry: bool = True
    retry_after: float | None = None  # seconds, when the provider said so (429 Retry-After)
    # the address is gone for good (Web Push 404/410, Telegram bot blocked): forget it
    gone: bool = False
    # the request may have reached the provider (a timeout after sending): never re-sent
    # automatically, shown as uncertain (escalation covers the volunteer)
    uncertain: bool = False


Handover = Callable[[], None]


class Transport:
    """Base class. Subclasses set ``channel`` and implement ``send``; ``session`` may hold a
    connection open across a batch (SMTP)."""

    channel: ClassVar[str]
    #: True when the transport calls ``handover`` itself at the point of no return and a crash
    #: before that point means the provider has nothing (SMTP: before the final "."). False:
    #: the dispatcher records "sending" before ``send``, and a crash leaves the row uncertain.
    atomic_handover: ClassVar[bool] = False
    #: True when the provider drops a second message with the same ``reference``, so an
    #: uncertain send may safely be sent again.
    dedupes_by_reference: ClassVar[bool] = False

    @classmethod
    def configured(cls) -> bool:
        """Whether the settings this transport needs are present (unconfigured channels are
        not offered to volunteers nor used)."""
        return True

    @classmethod
    def rate_per_second(cls) -> float:
        """The most messages per second one worker process sends on this channel."""
        return 50.0

    @contextmanager
    def session(self) -> Iterator[Transport]:
        yield self

    def handover_provider_id(self, message: Outgoing) -> str:
        """The provider's id of ``message`` when it is known before the hand-over (SMTP: our
        Message-ID), so the hand-over record is the only write of a message that goes well."""
        return ""

    def send(self, message: Outgoing, handover: Handover) -> Result:
        raise NotImplementedError
