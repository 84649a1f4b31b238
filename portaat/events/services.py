"""Domain rules of events: synchronising from Linked Events, "I'll go", notes after an event."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portaat import access
from portaat.cases.models import Case
from portaat.cases.services import log_interaction
from portaat.events import linked_events
from portaat.events.models import Attendance, Event, EventNote
from portaat.listening.connectors.base import ConnectorError
from portaat.listening.connectors.http import Http
from portaat.registry.models import Activism, Area, Channel

logger = logging.getLogger(__name__)


@dataclass
class SyncResult:
    ok: bool
    created: int = 0
    updated: int = 0
    removed: int = 0
    error: str = ""


def _http() -> Http:
    return Http(
        allow_private=getattr(settings, "PORTAAT_LINKED_EVENTS_ALLOW_PRIVATE_HOSTS", False),
        timeout=20.0,
    )


def _norm(url: str) -> str:
    parts = urlsplit(url.strip().lower())
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def _area_index() -> dict[tuple[str, str], int]:
    index: dict[tuple[str, str], int] = {}
    for pk, name, name_sv, aliases, municipality in Area.objects.values_list(
        "pk", "name", "name_sv", "aliases", "municipality"
    ):
        muni = (municipality or "").lower()
        for label in [name, name_sv, *(aliases or [])]:
            if label:
                index.setdefault((muni, str(label).lower()), pk)
    return index


def _municipality(ocd_id: str) -> str:
    for part in ocd_id.split("/"):
        if part.startswith("kunta:"):
            return part.removeprefix("kunta:").lower()
    return ""


def match_areas(divisions: list[dict[str, str]], index: dict[tuple[str, str], int]) -> set[int]:
    """Gazetteer areas named by the event place's divisions (Finnish or Swedish name)."""
    found: set[int] = set()
    for division in divisions:
        if division.get("type") == "muni":
            continue  # the whole city is no neighbourhood
        muni = _municipality(division.get("ocd_id", ""))
        for label in (division.get("fi"), division.get("sv")):
            if label and (pk := index.get((muni, label.lower()))):
                found.add(pk)
    return found


def _activism_links() -> list[tuple[str, int]]:
    return [
        (_norm(url), activism_id)
        for url, activism_id in Channel.objects.values_list("url", "activism_id")
    ]


def match_activism(publisher: str, info_url: str, links: list[tuple[str, int]]) -> int | None:
    """An activism whose recorded channel is the event's web page (or a page above it), or
    whose channel address names the event's publisher id (an organisation page of the API)."""
    page = _norm(info_url) if info_url else ""
    for link, activism_id in links:
        if not link:
            continue
        if page and (page == link or page.startswith(link + "/")):
            return activism_id
        if publisher and link.endswith("/" + publisher.lower()):
            return activism_id
    return None


def sync_events(http: Http | None = None, *, base: str | None = None) -> SyncResult:
    """Fetch upcoming events and upsert them in one transaction; on any error nothing changes.

    Events the API marks deleted are removed (with their attendances); events that simply drop
    out of the window are kept, so notes about past events keep their event.
    """
    own = http is None
    client = http or _http()
    try:
        remote = linked_events.fetch(client, base=base)
    except ConnectorError as exc:
        logger.error("Linked Events sync failed (%s): %s", exc.code, exc.detail)
        return SyncResult(ok=False, error=f"{exc.code}: {exc.detail}")
    finally:
        if own:
            client.close()
    now = timezone.now()
    index = _area_index()
    links = _activism_links()
    result = SyncResult(ok=True)
    with transaction.atomic():
        deleted = [r.source_id for r in remote if r.deleted]
        result.removed = (
            Event.objects.filter(source_id__in=deleted).delete()[1].get("events.Event", 0)
        )
        for item in remote:
            if item.deleted:
                continue
            event, created = Event.objects.update_or_create(
                source_id=item.source_id,
                defaults={
                    "name_fi": item.names.get("fi", ""),
                    "name_sv": item.names.get("sv", ""),
                    "name_en": item.names.get("en", ""),
                    "description": item.description,
                    "start_time": item.start_time,
                    "end_time": item.end_time,
                    "place_name": item.place_name,
                    "street_address": item.street_address,
                    "lat": item.lat,
                    "lon": item.lon,
                    "divisions": item.divisions,
                    "publisher": item.publisher,
                    "info_url": item.info_url,
                    "status": item.status,
                    "activism_id": match_activism(item.publisher, item.info_url, links),
                    "fetched_at": now,
                },
            )
            event.areas.set(match_areas(item.divisions, index))
            if created:
                result.created += 1
            else:
                result.updated += 1
    logger.info(
        "Linked Events sync: %d new, %d updated, %d removed",
        result.created,
        result.updated,
        result.removed,
    )
    return result


# --- reading ---------------------------------------------------------------------------------


def cases_of(user: Any) -> QuerySet[Case]:
    """The cases the user works on: those of their units and the units below (all for
    site coordinators)."""
    units = access.units_where_can_open_case(user)
    return Case.objects.filter(unit__in=units)


def areas_of(user: Any) -> QuerySet[Area]:
    """The official's areas: the areas of the activisms in their units' cases."""
    return Area.objects.filter(activisms__cases__in=cases_of(user)).distinct()


def activisms_of(user: Any) -> QuerySet[Activism]:
    return Activism.objects.filter(cases__in=cases_of(user)).distinct()


def upcoming_for(user: Any, *, area: Area | None = None) -> QuerySet[Event]:
    """Upcoming events in the user's areas or of the activisms they work with."""
    now = timezone.now()
    not_over = Q(end_time__gte=now) | Q(
        end_time__isnull=True, start_time__gte=now - dt.timedelta(hours=12)
    )
    if area is not None:
        mine = Q(areas=area)
    else:
        mine = Q(areas__in=areas_of(user)) | Q(activism__in=activisms_of(user))
    ids = Event.objects.filter(not_over).filter(mine).values("pk")
    return (
        Event.objects.filter(pk__in=ids)
        .select_related("activism")
        .prefetch_related("areas", "attendances")
        .order_by("start_time", "pk")
    )


def has_started(event: Event) -> bool:
    return event.start_time is not None and event.start_time <= timezone.now()


# --- writing ---------------------------------------------------------------------------------


@transaction.atomic
def toggle_going(event: Event, user: Any) -> bool:
    """Mark the user as going, or take the mark back; returns whether they are now going."""
    deleted, _rows = Attendance.objects.filter(event=event, user=user).delete()
    if deleted:
        return False
    if event.status == "EventCancelled":
        raise ValidationError(_("The event is cancelled."))
    Attendance.objects.create(event=event, user=user)
    return True


@transaction.atomic
def write_note(event: Event, *, case: Case, note: str, by: Any) -> EventNote:
    """After the event: log the note as an "event" interaction on the case, linked to the event."""
    if not has_started(event):
        raise ValidationError(_("A note can be written once the event has started."))
    if not access.can_log_interaction(by, case):
        raise ValidationError(_("You cannot log interactions on this case."))
    if not note.strip():
        raise ValidationError(_("Write a note."))
    assert event.start_time is not None  # nosec B101  # type narrowing: has_started() above
    happened_on = timezone.localdate(event.start_time)
    interaction = log_interaction(case, kind="event", happened_on=happened_on, note=note, by=by)
    return EventNote.objects.create(event=event, interaction=interaction, author=by)
