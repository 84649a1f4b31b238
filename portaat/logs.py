"""Keeping personal secrets out of logs.

A few addresses carry a secret that acts as a key: a volunteer's own page (``/crowds/v/…``), a
signed answer link (``/crowds/r/…``) and an activism's personal link for figures
(``/figures/s/…``). Django logs the path of every 4xx/5xx request and the web server logs every
request; whoever reads those logs must not be able to open the pages. ``RedactSecrets`` replaces
the secret part with ``[redacted]`` in a record's message and arguments.
"""

from __future__ import annotations

import logging
import re
from typing import Any

SECRET_PATH = re.compile(r"(/crowds/[vr]/|/figures/s/)[^/\s?#\"']+")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return SECRET_PATH.sub(REDACTED, text)


def _clean(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    """A logging filter that never drops a record, only redacts it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _clean(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_clean(value) for value in record.args)
        return True


def install_on_server_loggers() -> None:
    """uvicorn configures its access and error loggers before Django loads: filter them here
    (called when the ASGI application is made)."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
