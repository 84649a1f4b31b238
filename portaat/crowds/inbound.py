"""What comes back from providers: SMS replies, delivery receipts, chat answers.

Webhook views (in each transport's folder) parse the provider's format and call these
functions; the functions decide what the message means and change the database, once per
provider message id (a webhook the provider retries changes nothing the second time).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReplyOutcome(StrEnum):
    ANSWERED = "answered"
    WAITLISTED = "waitlisted"  # said "coming" after enough people had
    STOPPED = "stopped"  # STOP / LOPETA / SLUTA: the volunteer left
    UNKNOWN_SENDER = "unknown_sender"
    UNKNOWN_CODE = "unknown_code"
    NOT_UNDERSTOOD = "not_understood"
    CALL_CLOSED = "call_closed"
    DUPLICATE = "duplicate"  # the provider sent the same message again: nothing changed


@dataclass(frozen=True)
class Reply:
    outcome: ReplyOutcome
    #: what to send back to the sender (in their language when we know them), or "" for nothing
    text: str


def handle_sms_reply(phone: str, text: str, *, provider_id: str) -> Reply:
    """An SMS from ``phone`` (E.164 or anything phonenumbers can read as Finnish).

    Understood forms, case-insensitive, any of fi/sv/en: ``STOP``/``LOPETA``/``SLUTA`` (leave);
    ``<CODE> <answer>`` where answer is 1/KYLLÄ/TULEN/JA/KOMMER/YES (coming), 2/EI/NEJ/NO (not
    coming), 3/PERILLÄ/FRAMME/ARRIVED (arrived); a bare answer applies to the volunteer's only
    open call."""
    from portaat.crowds import services

    return services.handle_sms_reply(phone, text, provider_id=provider_id)


def record_receipt(channel: str, provider_id: str, *, delivered: bool, error: str = "") -> bool:
    """A provider's delivery report for the message it knows as ``provider_id``. Returns False
    when no delivery has that id (the webhook answers 200 anyway: the provider cannot fix it)."""
    from portaat.crowds import services

    return services.record_receipt(channel, provider_id, delivered=delivered, error=error)


def link_telegram_chat(token: str, chat_id: str, *, provider_id: str) -> Reply:
    """``/start <token>`` from the link on the volunteer's page: the chat becomes their
    Telegram channel."""
    from portaat.crowds import services

    return services.link_telegram_chat(token, chat_id, provider_id=provider_id)


def handle_chat_answer(
    channel: str, chat_id: str, call_id: int, answer: str, *, provider_id: str
) -> Reply:
    """A button pressed in a chat (Telegram inline keyboard): ``answer`` is coming /
    not_coming / arrived for ``call_id``; only volunteers the call reached may answer."""
    from portaat.crowds import services

    return services.handle_chat_answer(channel, chat_id, call_id, answer, provider_id=provider_id)


def handle_chat_stop(channel: str, chat_id: str, *, provider_id: str) -> Reply:
    """``/stop`` in a chat: the volunteer leaves."""
    from portaat.crowds import services

    return services.handle_chat_stop(channel, chat_id, provider_id=provider_id)
