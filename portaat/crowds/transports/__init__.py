"""Transports, one folder (or module) each; adding a channel touches its folder and this map."""

from __future__ import annotations

from django.utils.module_loading import import_string

from portaat.crowds.transports.base import Transport

TRANSPORTS: dict[str, str] = {
    "email": "portaat.crowds.transports.email.EmailTransport",
    "sms": "portaat.crowds.transports.sms_http.SmsTransport",
    "push": "portaat.crowds.transports.webpush.WebPushTransport",
    "telegram": "portaat.crowds.transports.telegram.TelegramTransport",
}


def transport_class(channel: str) -> type[Transport]:
    cls: type[Transport] = import_string(TRANSPORTS[channel])
    return cls


def configured_channels() -> list[str]:
    """The channels whose settings are present, in the order volunteers are offered them."""
    return [channel for channel in TRANSPORTS if transport_class(channel).configured()]
