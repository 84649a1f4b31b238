"""Signed links that need no login: a volunteer's answer to a call, and their own page.

A response token is ``<call>.<volunteer>.<mac>``; the MAC covers both ids and the volunteer's
secret, so a token cannot be moved to another call or person, and erasing or rotating the
volunteer's secret kills every link sent to them. Tapping the same link again only repeats
the same answer (folded in ``services.record_answer``).
"""

from __future__ import annotations

import hmac
import re

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from portaat.crowds.models import Call, Volunteer

SALT = "portaat.crowds.response"


def _mac(call_id: int, volunteer_id: int, secret: str) -> str:
    digest = salted_hmac(SALT, f"{call_id}.{volunteer_id}.{secret}", algorithm="sha256")
    return digest.hexdigest()[:24]


def response_token(call: Call, volunteer: Volunteer) -> str:
    return f"{call.pk}.{volunteer.pk}.{_mac(call.pk, volunteer.pk, volunteer.secret)}"


def response_url(call: Call, volunteer: Volunteer, answer: str = "") -> str:
    url = settings.SITE_URL + reverse("crowds:respond", args=[response_token(call, volunteer)])
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
    return settings.SITE_URL + volunteer.get_manage_url()
