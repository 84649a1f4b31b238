"""Who a call reaches: active, confirmed volunteers in its place, with the skills it needs."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from portaat.crowds.models import Call, Volunteer, VolunteerStatus
from portaat.registry.models import Area

EARTH_RADIUS_M = 6_371_000.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine); plenty for a city's scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def confirmation_cutoff(now: datetime | None = None) -> datetime:
    """Volunteers confirmed before this are not alerted until they confirm again."""
    months = settings.PORTAAT_CROWDS_RECONFIRM_MONTHS
    return (now or timezone.now()) - timedelta(days=round(months * 30.44))


def area_ids_for(
    *, lat: float | None, lon: float | None, radius_m: int | None, area_ids: list[int]
) -> set[int]:
    """The call's areas plus every gazetteer area whose centre lies within the circle.

    The gazetteer has centres, not boundaries: a volunteer who named a district whose centre
    is outside the circle is not reached through the circle (the official adds the area)."""
    ids = set(area_ids)
    if lat is not None and lon is not None and radius_m:
        for pk, a_lat, a_lon in Area.objects.values_list("pk", "lat", "lon"):
            if distance_m(lat, lon, a_lat, a_lon) <= radius_m:
                ids.add(pk)
    return ids


def eligible_volunteers(now: datetime | None = None) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(
        status=VolunteerStatus.ACTIVE, confirmed_at__gte=confirmation_cutoff(now)
    )


def reached(
    *,
    lat: float | None,
    lon: float | None,
    radius_m: int | None,
    area_ids: list[int],
    skill_ids: list[int],
    now: datetime | None = None,
    eligible: bool = True,
) -> QuerySet[Volunteer]:
    """Volunteers in the place who have at least one of the skills (all, when none asked)."""
    ids = area_ids_for(lat=lat, lon=lon, radius_m=radius_m, area_ids=area_ids)
    base = (
        eligible_volunteers(now)
        if eligible
        else Volunteer.objects.filter(status=VolunteerStatus.ACTIVE)
    )
    query = base.filter(areas__in=ids)
    if skill_ids:
        query = query.filter(skills__in=skill_ids)
    return Volunteer.objects.filter(pk__in=query.values("pk"))


def reached_by_call(call: Call, now: datetime | None = None) -> QuerySet[Volunteer]:
    return reached(
        lat=call.lat,
        lon=call.lon,
        radius_m=call.radius_m,
        area_ids=list(call.areas.values_list("pk", flat=True)),
        skill_ids=list(call.skills.values_list("pk", flat=True)),
        now=now,
    )


def first_channel(volunteer: Volunteer, allowed: list[str], available: list[str]) -> str | None:
    """The first of the volunteer's channels that the call allows, that is configured here and
    for which we hold an address."""
    for channel in volunteer.channels or []:
        if (
            channel in available
            and (not allowed or channel in allowed)
            and has_address(volunteer, channel)
        ):
            return str(channel)
    return None


def has_address(volunteer: Volunteer, channel: str) -> bool:
    if channel == "email":
        return bool(volunteer.email)
    if channel == "sms":
        return bool(volunteer.phone)
    if channel == "telegram":
        return bool(volunteer.telegram_chat_id)
    if channel == "push":
        # prefetched by callers that loop over many volunteers
        return bool(volunteer.push_subscriptions.all())
    return False


@dataclass
class Reach:
    total: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    unreachable: int = 0  # in the place, but no usable channel
    need_confirmation: int = 0  # in the place, but their consent has lapsed

    def labelled(self) -> list[tuple[str, int]]:
        """(channel name in the reader's language, count) for the page."""
        from portaat.crowds.models import Channel

        return [(str(Channel(c).label), n) for c, n in self.by_channel.items()]


def estimate(
    *,
    lat: float | None,
    lon: float | None,
    radius_m: int | None,
    area_ids: list[int],
    skill_ids: list[int],
    channels: list[str],
    available: list[str],
) -> Reach:
    """The reach shown before sending: how many, on which first channel, and who is left out."""
    now = timezone.now()
    result = Reach()
    volunteers = reached(
        lat=lat,
        lon=lon,
        radius_m=radius_m,
        area_ids=area_ids,
        skill_ids=skill_ids,
        now=now,
    ).prefetch_related("push_subscriptions")
    for volunteer in volunteers:
        channel = first_channel(volunteer, channels, available)
        if channel is None:
            result.unreachable += 1
            continue
        result.total += 1
        result.by_channel[channel] = result.by_channel.get(channel, 0) + 1
    lapsed = reached(
        lat=lat,
        lon=lon,
        radius_m=radius_m,
        area_ids=area_ids,
        skill_ids=skill_ids,
        now=now,
        eligible=False,
    ).filter(~Q(confirmed_at__gte=confirmation_cutoff(now)))
    result.need_confirmation = lapsed.count()
    return result
