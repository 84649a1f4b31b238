"""The SMS transport: one HTTP request to the configured gateway per message.

The session, the exceptions and the statuses every gateway shares are ``HttpTransport``'s
(see ``transports/http.py``: no connection is retried, a timeout after the request went out is
uncertain); here are what the gateways' answers mean beyond that: the provider's message id,
and 401/402/403-about-credit as our account's problem.
"""

from __future__ import annotations

from typing import ClassVar

from portaat.crowds.phone import normalise_phone
from portaat.crowds.transports.base import Outgoing, Result
from portaat.crowds.transports.http import CONFIG_RETRY_SECONDS, HttpTransport, Reply, Request
from portaat.crowds.transports.sms_http import config, encoding, providers
from portaat.crowds.transports.sms_http.base import NoId, Provider, Refused

# 401/402 and a 403 about credit are our account's problem, not the message's: try again once
# somebody has fixed the credentials or topped up, not at once.
_ACCOUNT_WORDS = ("credit", "balance", "funds", "payment")


class SmsTransport(HttpTransport[Provider]):
    """Text messages through an HTTP SMS gateway (46elks or a configured generic one)."""

    channel: ClassVar[str] = "sms"
    atomic_handover: ClassVar[bool] = False
    # Neither 46elks nor the generic adapter promises to drop a repeated reference.
    dedupes_by_reference: ClassVar[bool] = False
    url_setting: ClassVar[str] = "PORTAAT_SMS_URL"
    max_answer_bytes: ClassVar[int] = 256 * 1024

    @classmethod
    def configured(cls) -> bool:
        return providers.current() is not None

    @classmethod
    def rate_per_second(cls) -> float:
        return config.rate()

    @classmethod
    def timeout(cls) -> float:
        return config.timeout()

    def prepare(self, message: Outgoing) -> tuple[Request, Provider] | Result:
        """Send ``message.short_text`` (or ``text`` when that is empty), shortened to
        ``PORTAAT_SMS_MAX_SEGMENTS`` parts, to ``message.to``."""
        provider = providers.current()
        if provider is None:
            return Result(
                ok=False,
                retry=True,
                retry_after=CONFIG_RETRY_SECONDS,
                error="SMS is not configured",
            )
        try:
            to = normalise_phone(message.to, config.region(), mobile_only=False)
        except ValueError:
            return Result(ok=False, retry=False, error="not a valid phone number")
        text = encoding.fit(message.short_text or message.text, config.max_segments())
        # the URLs import the views; workers that only send need not load them at import
        from portaat.crowds.transports.sms_http.urls import receipt_url

        return provider.request(to, text, message.reference, receipt_url()), provider

    def peer(self, context: Provider) -> str:
        return context.name

    def accepted(self, answer: Reply, context: Provider) -> Result:
        where = context.name
        if answer.cut:
            return Result(
                ok=True, error=f"{where} accepted the message but its answer was too large"
            )
        try:
            return Result(ok=True, provider_id=context.accepted(answer.body))
        except Refused as exc:
            return Result(ok=False, retry=False, error=f"{where} refused the message: {exc}")
        except NoId as exc:
            # Accepted: sending again would send twice. Only the receipt cannot be matched.
            return Result(ok=True, error=f"{where} accepted the message without an id: {exc}")

    def refused(self, answer: Reply, detail: str, context: Provider) -> Result | None:
        text = self.describe(answer).lower()
        if answer.status in (401, 402) or (
            answer.status == 403 and any(word in text for word in _ACCOUNT_WORDS)
        ):
            return Result(ok=False, retry=True, retry_after=CONFIG_RETRY_SECONDS, error=detail)
        return None
