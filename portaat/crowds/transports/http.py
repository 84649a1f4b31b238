"""What the HTTP transports (SMS gateway, Web Push, Telegram) share: one ``httpx.Client`` per
batch session, one POST per message, and the reading of the provider's answer as a ``Result``.

HTTP has no point of no return a transport could mark (``atomic_handover`` is False): the
dispatcher records "sending" before ``send``. So the mapping keeps to one rule: a failure
before a byte of the request left (no connection, a request that could not even be made) says
"not sent" and may be retried; anything after that — a timeout waiting for the answer, a
broken connection — may have sent the message and is ``uncertain`` (never re-sent
automatically, see docs/decisions/0006-crowd-outbox.md).

A subclass builds its request (``prepare``), reads a 2xx answer (``accepted``) and may give a
non-2xx answer a provider-specific meaning (``refused``); the status codes every HTTP API
shares (429 and 5xx with Retry-After, 408, other 4xx, redirects) are read here. ``prepare``
hands back a context (the SMS provider, the Telegram chat id) that the other hooks receive.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar

import httpx

from portaat.crowds.transports.base import Handover, Outgoing, Result, Transport

USER_AGENT = "Portaat/0.1 (rapid-response crowds)"
# A problem of the configuration (credentials, credit, a wrong address), not of the message:
# try again once somebody could have fixed it, not at once.
CONFIG_RETRY_SECONDS = 300.0

C = TypeVar("C")


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date in
    any of its three forms, always GMT. A date in the past means now (0); None when the header
    is absent or unreadable (the dispatcher's backoff decides)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        # the asctime form and "-0000" carry no zone: an HTTP-date is GMT, not local time
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def snippet(body: bytes, limit: int = 120) -> str:
    """The start of an answer's body for an error message: one line, printable."""
    text = body[: limit * 4].decode("utf-8", "replace")
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text[:limit]


@dataclass(frozen=True)
class Request:
    """One request to a provider (always sent without following redirects)."""

    url: str
    form: dict[str, str] | None = None
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None
    method: str = "POST"


@dataclass
class Reply:
    """A provider's answer: the status, headers with lower-case names, and at most
    ``max_answer_bytes`` (a little more) of the body."""

    status: int
    headers: dict[str, str]
    body: bytes
    cut: bool = False  # the body is incomplete (too large, or the connection broke)

    @cached_property
    def document(self) -> Any:
        """The body as JSON (UTF-8), or None when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None

    def retry_after(self) -> float | None:
        return retry_after_seconds(self.headers.get("retry-after"))


class HttpTransport(Transport, Generic[C]):
    """A transport that sends each message as one HTTP request; ``C`` is what ``prepare``
    hands to the other hooks about one message."""

    #: who answers, in error texts ("Telegram", "the push service"); see ``peer``
    peer_name: ClassVar[str] = "the provider"
    #: the setting that holds the provider's address, named when it is not usable
    url_setting: ClassVar[str] = ""
    max_answer_bytes: ClassVar[int] = 256 * 1024

    def __init__(self) -> None:
        self._client: httpx.Client | None = None

    # hooks -------------------------------------------------------------------------------

    @classmethod
    def timeout(cls) -> float:
        """Seconds to wait for the provider to connect and to answer (from the settings)."""
        raise NotImplementedError

    def prepare(self, message: Outgoing) -> tuple[Request, C] | Result:
        """The request that sends ``message`` with a context for the other hooks, or the
        ``Result`` when nothing can be sent (unconfigured, a bad address)."""
        raise NotImplementedError

    def peer(self, context: C) -> str:
        return self.peer_name

    def accepted(self, answer: Reply, context: C) -> Result:
        """The ``Result`` of a 2xx answer. The provider took the message: anything but
        ``ok=True`` must be the provider saying it will not send it."""
        raise NotImplementedError

    def refused(self, answer: Reply, detail: str, context: C) -> Result | None:
        """A provider-specific meaning of a non-2xx answer (``detail`` describes it), or None
        for the shared one (``status_result``)."""
        return None

    def describe(self, answer: Reply) -> str:
        """What a non-2xx answer says, for the error text (without the request URL)."""
        return snippet(answer.body)

    def unusable(self, exc: Exception, context: C) -> Result:
        """The request could not be made (an unusable address, a header that cannot be
        encoded): nothing was sent. By default a configuration problem."""
        kind = type(exc).__name__
        if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol) and self.url_setting:
            error = f"{self.url_setting} is not usable ({kind}); not sent"
        else:
            error = f"the request to {self.peer(context)} could not be made ({kind}); not sent"
        return Result(ok=False, retry=True, retry_after=CONFIG_RETRY_SECONDS, error=error)

    # the session -------------------------------------------------------------------------

    def _new_client(self) -> httpx.Client:
        return httpx.Client(
            timeout=self.timeout(), follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )

    @contextmanager
    def session(self) -> Iterator[Transport]:
        """One client for a batch: its connections are kept alive from message to message."""
        with self._new_client() as client:
            self._client = client
            try:
                yield self
            finally:
                self._client = None

    # sending -----------------------------------------------------------------------------

    def send(self, message: Outgoing, handover: Handover) -> Result:
        prepared = self.prepare(message)
        if isinstance(prepared, Result):
            return prepared
        request, context = prepared
        client = self._client or self._new_client()  # outside a session: one for this message
        try:
            return self._exchange(client, request, context)
        finally:
            if client is not self._client:
                client.close()

    def _exchange(self, client: httpx.Client, request: Request, context: C) -> Result:
        try:
            built = client.build_request(
                request.method,
                request.url,
                data=request.form,
                json=request.json,
                content=request.content,
                headers=request.headers,
            )
        except (ValueError, httpx.InvalidURL) as exc:  # UnicodeEncodeError is a ValueError
            return self.unusable(exc, context)
        peer = self.peer(context)
        try:
            answer = self._receive(client, built, request.auth)
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return self.unusable(exc, context)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            return Result(
                ok=False,
                retry=True,
                error=f"could not reach {peer} ({type(exc).__name__}); not sent",
            )
        except httpx.TimeoutException:
            return Result(
                ok=False,
                retry=False,
                uncertain=True,
                error=f"no answer from {peer} in time; the message may have been sent",
            )
        except httpx.HTTPError as exc:
            return Result(
                ok=False,
                retry=False,
                uncertain=True,
                error=f"{type(exc).__name__} talking to {peer}; the message may have been sent",
            )
        return self.result_for(answer, context)

    def _receive(
        self, client: httpx.Client, request: httpx.Request, auth: tuple[str, str] | None
    ) -> Reply:
        response = client.send(request, auth=auth, stream=True)
        try:
            body = bytearray()
            cut = False
            try:
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_answer_bytes:
                        cut = True
                        break
            except httpx.HTTPError:
                # The status line arrived: what it says stands even without the whole body.
                cut = True
            headers = {key.lower(): value for key, value in response.headers.items()}
            return Reply(response.status_code, headers, bytes(body), cut)
        finally:
            response.close()

    # the answer --------------------------------------------------------------------------

    def result_for(self, answer: Reply, context: C) -> Result:
        """The ``Result`` of the provider's answer."""
        if 200 <= answer.status < 300:
            return self.accepted(answer, context)
        detail = f"HTTP {answer.status} from {self.peer(context)}"
        if text := self.describe(answer):
            detail = f"{detail}: {text}"
        special = self.refused(answer, detail, context)
        return special if special is not None else status_result(answer, detail)


def status_result(answer: Reply, detail: str) -> Result:
    """What a non-2xx status means for any HTTP API."""
    status = answer.status
    if status == 429 or status >= 500:
        return Result(ok=False, retry=True, retry_after=answer.retry_after(), error=detail)
    if status == 408:  # the server gave up waiting for our request: it did not act on it
        return Result(ok=False, retry=True, error=detail)
    if 400 <= status < 500:  # the same request fails again
        return Result(ok=False, retry=False, error=detail)
    # 1xx/3xx: the address is wrong (a redirect is never followed with a message in it)
    return Result(ok=False, retry=True, retry_after=CONFIG_RETRY_SECONDS, error=detail)
