"""Translated messages for connector error codes (connectors themselves carry only codes)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

CONNECTOR_MESSAGES = {
    "invalid_source": _("The platform cannot follow this: check the account, tag or address."),
    "not_found": _("The account, tag, feed or forum was not found (it may have been removed)."),
    "unauthorised": _("The platform refused access: the credentials are missing or wrong."),
    "rate_limited": _("The platform asked us to slow down; the next run waits as it asked."),
    "unavailable": _("The platform did not answer in time or had an error; retrying later."),
    "malformed": _("The platform's answer was not in the expected format."),
    "blocked_host": _("The address points into a private network and is not fetched."),
    "too_large": _("The platform's answer was too large."),
    "credentials": _("The stored credentials cannot be read (the key changed): enter them again."),
    "internal": _("The collection failed because of an error in Portaat; see the server log."),
}


def connector_message(code: str) -> str:
    return str(CONNECTOR_MESSAGES.get(code, CONNECTOR_MESSAGES["internal"]))


PROBLEM_MESSAGES = {
    "unreadable": _("The file cannot be read."),
    "not_utf8": _("The file is not UTF-8 text."),
    "not_json": _("This is not valid JSON."),
    "not_csv": _("This is not a CSV file with a header row."),
    "empty": _("The file has no posts."),
    "missing_column": _("A required column is missing."),
    "missing_field": _("A required field is missing or empty."),
    "bad_time": _("The time is not understood (use e.g. 2026-05-01 14:30 or ISO 8601)."),
    "bad_value": _("A value is not valid."),
    "unknown_format": _("The file is not in the chosen format."),
    "too_long": _("A value is too long."),
}


def problem_message(problem: Any) -> str:
    """One line for an import problem: where, what, and the detail from the file."""
    text = str(PROBLEM_MESSAGES.get(problem.code, PROBLEM_MESSAGES["bad_value"]))
    if problem.detail:
        text = f"{text} ({problem.detail})"
    if problem.line:
        return _("Line %(line)d: %(problem)s") % {"line": problem.line, "problem": text}
    return text
