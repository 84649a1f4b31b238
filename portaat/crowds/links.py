"""Signed links that need no login: a volunteer's answer to a call, and their own page.

A response token is ``<call>.<volunteer>.<mac>``; the MAC covers both ids and the volunteer's
secret, so a token cannot be moved to another call or person, and erasing or rotating the
volunteer's secret kills every link sent to them. Tapping the same link again only repeats
the same answer (folded in ``services.record_answer``).
"""

from __future__ import annotations

import hmac
import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.crypto import salted_hmac

from portaat.crowds.models import Call, Volunteer

SALT = "portaat.crowds.response"


def _mac(call_id: int, volunteer_id: int, secret: str) -> str:
    digest = salted_hmac(SALT, f"{call_id}.{volunteer_id}.{secret}", algorithm="sha256")
    return digest.hexdigest()[:24]


@lru_cache(maxsize=256)
def _token(call_id: int, volunteer_id: int, secret: str) -> str:
    # one message carries four links with the same token: computed once
    return f"{call_id}.{volunteer_id}.{_mac(call_id, volunteer_id, secret)}"


def response_token(call: Call, volunteer: Volunteer) -> str:
    return _token(call.pk, volunteer.pk, volunteer.secret)


_SLOT = "0slot0"


@lru_cache(maxsize=64)
def _route(name: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    """The path of ``name`` around its one argument, reversed once (``reverse`` costs ~70 µs
    and a fan-out message needs six)."""
    before, _slot, after = reverse(name, urlconf=urlconf, args=[_SLOT]).partition(_SLOT)
    return before, after


def _path(name: str, argument: str) -> str:
    before, after = _route(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{before}{argument}{after}"


def response_url(call: Call, volunteer: Volunteer, answer: str = "") -> str:
    url = settings.SITE_URL + _path("crowds:respond", response_token(call, volunteer))
    return f"{url}?a={answer}" if answer else url


def parse_token(token: str) -> tuple[int, int, str] | None:
    """``(call_id, volunteer_id, mac)`` or None when the token is not even well-formed."""
    parts = token.split(".")
    if len(parts) != 3 or not all(re.fullmatch(r"[0-9]{1,12}", part) for part in parts[:2]):
        return None
    return int(parts[0]), int(parts[1]), parts[2]


def resolve_token(token: str) -> tuple[Call, Volunteer] | None:
    """The call and volunteer of a genuine token, or None (forged, or the volunteer erased)."""
    parsed = parse_token(token)
    if parsed is None:
        return None
    call_id, volunteer_id, mac = parsed
    volunteer = Volunteer.objects.filter(pk=volunteer_id).first()
    call = Call.objects.filter(pk=call_id).first()
    if volunteer is None or call is None:
        return None
    if not hmac.compare_digest(mac, _mac(call_id, volunteer_id, volunteer.secret)):
        return None
    return call, volunteer


def manage_url(volunteer: Volunteer) -> str:
    return settings.SITE_URL + _path("crowds:volunteer_manage", volunteer.secret)
