"""The providers by their ``PORTAAT_SMS_PROVIDER`` names."""

from __future__ import annotations

import logging

from portaat.crowds.transports.sms_http import config
from portaat.crowds.transports.sms_http.base import Provider
from portaat.crowds.transports.sms_http.elks import Elks
from portaat.crowds.transports.sms_http.generic import Generic

logger = logging.getLogger(__name__)

PROVIDERS: dict[str, type[Provider]] = {"46elks": Elks, "generic": Generic}
_reported: set[tuple[str, ...]] = set()


def current() -> Provider | None:
    """The configured provider, or None when SMS is off or its settings are incomplete
    (the problems are logged once, as configuration errors)."""
    name = config.provider_name()
    if not name:
        return None
    cls = PROVIDERS.get(name)
    if cls is None:
        _report((f"PORTAAT_SMS_PROVIDER {name!r} is not one of {', '.join(PROVIDERS)}",))
        return None
    provider = cls()
    problems = provider.problems()
    if problems:
        _report(tuple(problems))
        return None
    return provider


def _report(problems: tuple[str, ...]) -> None:
    if problems not in _reported:
        _reported.add(problems)
        logger.error("SMS channel is off: %s", "; ".join(problems))
