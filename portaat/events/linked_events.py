"""The Linked Events connector: fetch upcoming events and map them to plain dictionaries.

Requests go through the listening app's :class:`Http` (timeouts, size limits, private-address
guard, errors as ``ConnectorError``), so tests replay recorded responses through this exact code.
The API pages with ``meta.next``; only its ``page`` number is followed, against the configured
base address, so a next link can never send us to another host.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.utils.dateparse import parse_datetime

from portaat.listening.connectors.base import ConnectorError, html_to_text
from portaat.listening.connectors.http import Http

DEFAULT_API_URL = "https://api.hel.fi/linkedevents/v1/"
PAGE_SIZE = 100
MAX_PAGES = 20
STATUSES = {"EventScheduled", "EventCancelled", "EventPostponed", "EventRescheduled"}


def api_url() -> str:
    url = getattr(settings, "PORTAAT_LINKED_EVENTS_URL", "") or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def query() -> dict[str, Any]:
    """The request's filters from the settings (comma-joined lists, as the API takes them)."""

    def joined(name: str) -> str | None:
        values = [v for v in getattr(settings, name, []) if v]
        return ",".join(values) or None

    return {
        "start": "now",
        "end": f"{int(getattr(settings, 'PORTAAT_LINKED_EVENTS_DAYS', 60))}d",
        "division": joined("PORTAAT_LINKED_EVENTS_DIVISIONS"),
        "publisher": joined("PORTAAT_LINKED_EVENTS_PUBLISHERS"),
        "keyword": joined("PORTAAT_LINKED_EVENTS_KEYWORDS"),
        "include": "location",
        "sort": "start_time",
        "page_size": PAGE_SIZE,
    }


@dataclass
class RemoteEvent:
    source_id: str
    names: dict[str, str]
    description: str
    start_time: datetime | None
    end_time: datetime | None
    place_name: str
    street_address: str
    lat: float | None
    lon: float | None
    divisions: list[dict[str, str]] = field(default_factory=list)
    publisher: str = ""
    info_url: str = ""
    status: str = "EventScheduled"
    deleted: bool = False


def _text(value: Any, language: str = "fi") -> str:
    if isinstance(value, dict):
        text = value.get(language)
        return str(text).strip() if text else ""
    return str(value).strip() if isinstance(value, str) else ""


def _any_text(value: Any) -> str:
    for language in ("fi", "sv", "en"):
        if text := _text(value, language):
            return text
    return ""


def _time(value: Any, source_id: str) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value)) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise ConnectorError("malformed", f"bad time {value!r} in {source_id}")
    return parsed


def map_event(raw: Any) -> RemoteEvent:
    """One event of the API's ``data`` list; anything not in its format is ``malformed``."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        raise ConnectorError("malformed", "an event without an id")
    source_id = raw["id"][:200]
    if raw.get("deleted"):
        return RemoteEvent(source_id, {}, "", None, None, "", "", None, None, deleted=True)
    location: dict[str, Any] = raw["location"] if isinstance(raw.get("location"), dict) else {}
    position: dict[str, Any] = (
        location["position"] if isinstance(location.get("position"), dict) else {}
    )
    coordinates = position.get("coordinates") or []
    lon = lat = None
    if isinstance(coordinates, list) and len(coordinates) == 2:
        try:
            lon, lat = float(coordinates[0]), float(coordinates[1])
        except (TypeError, ValueError):
            lon = lat = None
    divisions = []
    for division in location.get("divisions") or []:
        if isinstance(division, dict):
            divisions.append(
                {
                    "ocd_id": str(division.get("ocd_id") or ""),
                    "type": str(division.get("type") or ""),
                    "fi": _text(division.get("name"), "fi"),
                    "sv": _text(division.get("name"), "sv"),
                    "municipality": str(division.get("municipality") or ""),
                }
            )
    publisher = raw.get("publisher")
    status = raw.get("event_status") or "EventScheduled"
    return RemoteEvent(
        source_id=source_id,
        names={lang: _text(raw.get("name"), lang)[:500] for lang in ("fi", "sv", "en")},
        # descriptions are HTML written by the publisher: kept as plain text only
        description=html_to_text(_any_text(raw.get("description")))[:5000]
        or html_to_text(_any_text(raw.get("short_description")))[:5000],
        start_time=_time(raw.get("start_time"), source_id),
        end_time=_time(raw.get("end_time"), source_id),
        place_name=_any_text(location.get("name"))[:300],
        street_address=_any_text(location.get("street_address"))[:300],
        lat=lat,
        lon=lon,
        divisions=divisions,
        publisher=publisher[:200] if isinstance(publisher, str) else "",
        info_url=_info_url(raw.get("info_url")),
        status=status if status in STATUSES else "EventScheduled",
    )


def _info_url(value: Any) -> str:
    url = _any_text(value)
    parts = urlsplit(url)
    return url[:1000] if parts.scheme in ("http", "https") and parts.hostname else ""


def fetch(http: Http, *, base: str | None = None, max_pages: int = MAX_PAGES) -> list[RemoteEvent]:
    """Every page of upcoming events; raises ``ConnectorError`` before anything is returned."""
    url = f"{base or api_url()}event/"
    params = query()
    events: list[RemoteEvent] = []
    page = 1
    for _round in range(max_pages):
        body = http.get_json(url, {**params, "page": page if page > 1 else None})
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise ConnectorError("malformed", f"no data list: {url}")
        events.extend(map_event(raw) for raw in body["data"])
        meta: dict[str, Any] = body["meta"] if isinstance(body.get("meta"), dict) else {}
        following = meta.get("next")
        if not following:
            break
        numbers = parse_qs(urlsplit(str(following)).query).get("page") or []
        if not numbers or not numbers[0].isdigit() or int(numbers[0]) <= page:
            raise ConnectorError("malformed", f"bad next page: {following}")
        page = int(numbers[0])
    return events
