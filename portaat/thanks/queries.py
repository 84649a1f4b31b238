"""Reads of thanks, built in one place: the public wall, one thanks, the moderation queue."""

from __future__ import annotations

from django.db.models import QuerySet

from portaat.registry.models import Unit
from portaat.thanks.models import ModerationEntry, Thanks, ThanksStatus
from portaat.thanks.services import unit_and_below


def _with_relations(found: QuerySet[Thanks]) -> QuerySet[Thanks]:
    return found.select_related("unit", "activism", "official__thanks_profile")


def wall(unit: Unit | None = None) -> QuerySet[Thanks]:
    """Published thanks, newest first; with ``unit``, those of the unit and the units below."""
    found = Thanks.objects.filter(status=ThanksStatus.APPROVED)
    if unit is not None:
        found = found.filter(unit_id__in=unit_and_below(unit))
    return _with_relations(found).order_by("-published_at", "-pk")


def any_status() -> QuerySet[Thanks]:
    """Every thanks, for moderators."""
    return _with_relations(Thanks.objects.all()).order_by("-created_at", "-pk")


def pending() -> QuerySet[Thanks]:
    """Thanks waiting for moderation, oldest first (first come, first read)."""
    return _with_relations(Thanks.objects.filter(status=ThanksStatus.PENDING)).order_by(
        "created_at", "pk"
    )


def recent_decisions(limit: int = 30) -> list[ModerationEntry]:
    """The latest moderation decisions with who made them: the audit trail."""
    return list(
        ModerationEntry.objects.select_related("actor", "thanks__unit").order_by("-at", "-pk")[
            :limit
        ]
    )
