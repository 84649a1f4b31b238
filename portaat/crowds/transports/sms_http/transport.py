"""The SMS transport: one HTTP request to the configured gateway per message.

HTTP has no point of no return the transport could mark (``atomic_handover`` is False): the
dispatcher records "sending" before ``send``. Failures before a byte reached the gateway (no
connection) are safe to retry; a timeout or a broken connection after the request went out
may or may not have sent the message, which the error text says.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

import httpx

from portaat.crowds.phone import normalise_phone
from portaat.crowds.transports.base import Handover, Outgoing, Result, Transport
from portaat.crowds.transports.sms_http import config, encoding, providers
from portaat.crowds.transports.sms_http.base import (
    ACCOUNT_RETRY_SECONDS,
    Provider,
    SendRequest,
    result_for,
)

USER_AGENT = "Portaat/0.1 (rapid-response crowds)"
MAX_ANSWER_BYTES = 256 * 1024


class _Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, cut: bool) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.cut = cut  # the body is incomplete (too large, or the connection broke)


class SmsTransport(Transport):
    """Text messages through an HTTP SMS gateway (46elks or a configured generic one)."""

    channel: ClassVar[str] = "sms"
    atomic_handover: ClassVar[bool] = False
    # Neither 46elks nor the generic adapter promises to drop a repeated reference.
    dedupes_by_reference: ClassVar[bool] = False

    def __init__(self) -> None:
        self._client: httpx.Client | None = None

    @classmethod
    def configured(cls) -> bool:
        return providers.current() is not None

    @classmethod
    def rate_per_second(cls) -> float:
        return config.rate()

    @staticmethod
    def _new_client() -> httpx.Client:
        return httpx.Client(
            timeout=config.timeout(),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )

    @contextmanager
    def session(self) -> Iterator[Transport]:
        """Keep one connection pool open for a batch (HTTP keep-alive to the gateway)."""
        with self._new_client() as client:
            self._client = client
            try:
                yield self
            finally:
                self._client = None

    def send(self, message: Outgoing, handover: Handover) -> Result:
        """Send ``message.short_text`` (or ``text`` when that is empty), shortened to
        ``PORTAAT_SMS_MAX_SEGMENTS`` parts, to ``message.to``."""
        provider = providers.current()
        if provider is None:
            return Result(
                ok=False,
                retry=True,
                retry_after=ACCOUNT_RETRY_SECONDS,
                error="SMS is not configured",
            )
        try:
            to = normalise_phone(message.to, config.region(), mobile_only=False)
        except ValueError:
            return Result(ok=False, retry=False, error="not a valid phone number")
        text = encoding.fit(message.short_text or message.text, config.max_segments())
        # the URLs import the views; workers that only send need not load them at import
        from portaat.crowds.transports.sms_http.urls import receipt_url

        request = provider.request(to, text, message.reference, receipt_url())
        return self._deliver(provider, request)

    def _deliver(self, provider: Provider, request: SendRequest) -> Result:
        client = self._client or self._new_client()
        try:
            answer = self._post(client, request)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            return Result(
                ok=False,
                retry=True,
                error=f"could not reach {provider.name} ({type(exc).__name__}); not sent",
            )
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return Result(
                ok=False,
                retry=True,
                retry_after=ACCOUNT_RETRY_SECONDS,
                error=f"PORTAAT_SMS_URL is not usable: {exc}",
            )
        except httpx.TimeoutException:
            return Result(
                ok=False,
                retry=False,
                uncertain=True,
                error=f"no answer from {provider.name} in time; the message may have been sent",
            )
        except httpx.HTTPError as exc:
            return Result(
                ok=False,
                retry=False,
                uncertain=True,
                error=(
                    f"{type(exc).__name__} talking to {provider.name}; "
                    "the message may have been sent"
                ),
            )
        finally:
            if client is not self._client:
                client.close()
        return result_for(provider, answer.status, answer.headers, answer.body, answer.cut)

    @staticmethod
    def _post(client: httpx.Client, request: SendRequest) -> _Answer:
        with client.stream(
            "POST",
            request.url,
            data=request.form,
            json=request.json,
            headers=request.headers,
            auth=request.auth,
        ) as response:
            headers = {key.lower(): value for key, value in response.headers.items()}
            body = bytearray()
            cut = False
            try:
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > MAX_ANSWER_BYTES:
                        cut = True
                        break
            except httpx.HTTPError:
                # The status line arrived: what it says stands even without the whole body.
                cut = True
            return _Answer(response.status_code, headers, bytes(body), cut)
