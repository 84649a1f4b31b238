"""Domain rules of social-media governance: self-assessments, the unit's aggregate, guidance."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from portaat.ladders.models import LEVELS, Ladder
from portaat.registry.models import Membership, Unit
from portaat.somehallinto.models import LADDER_SLUG, NOTE_MAX_LENGTH, Guidance, SelfAssessment

GUIDANCE_FILE = Path(__file__).parent / "data" / "guidance.json"
LANGUAGES = ("fi", "sv", "en")


def ladder() -> Ladder:
    """The built-in stairs of social-media governance."""
    return Ladder.objects.prefetch_related("steps").get(slug=LADDER_SLUG)


def _check_levels(current: int, target: int, note: str) -> None:
    errors = {}
    for name, value in (("current_level", current), ("target_level", target)):
        if not isinstance(value, int) or not 1 <= value <= LEVELS:
            errors[name] = _("Choose a level from 1 to %(levels)d.") % {"levels": LEVELS}
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = _("The note is too long: at most %(max)d characters.") % {
            "max": NOTE_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)


def assess_self(official: Any, *, current: int, target: int, note: str = "") -> SelfAssessment:
    """The official's own view of their level now and their target; kept as history."""
    _check_levels(current, target, note)
    return SelfAssessment.objects.create(
        official=official, current_level=current, target_level=target, note=note, by=official
    )


def assess_unit(unit: Unit, *, current: int, target: int, note: str, by: Any) -> SelfAssessment:
    """The unit's own view, recorded by one of its coordinators; kept as history."""
    _check_levels(current, target, note)
    return SelfAssessment.objects.create(
        unit=unit, current_level=current, target_level=target, note=note, by=by
    )


def history_of(official: Any) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(official=official).order_by("-assessed_at", "-pk")


def unit_history(unit: Unit) -> QuerySet[SelfAssessment]:
    return (
        SelfAssessment.objects.filter(unit=unit)
        .select_related("by")
        .order_by("-assessed_at", "-pk")
    )


def _unit_and_below(unit: Unit) -> list[int]:
    from portaat.cases import queries

    units = queries.all_units()
    parents = {pk: u.parent_id for pk, u in units.items()}
    return queries.descendant_ids(unit.pk, parents)


def officials_latest(unit: Unit) -> list[SelfAssessment]:
    """The latest self-assessment of each member of the unit (and the units below it) who has
    made one; one query."""
    members = Membership.objects.filter(unit_id__in=_unit_and_below(unit)).values("user_id")
    latest = (
        SelfAssessment.objects.filter(official_id=OuterRef("official_id"))
        .order_by("-assessed_at", "-pk")
        .values("pk")[:1]
    )
    return list(
        SelfAssessment.objects.filter(official_id__in=members)
        .filter(pk=Subquery(latest))
        .select_related("official")
        .order_by("official_id")
    )


@dataclass
class Aggregate:
    officials: int
    members: int
    distribution: list[tuple[int, int, int]]  # (level, officials now, officials aiming there)
    median_current: float | None
    median_target: float | None


def aggregate(unit: Unit) -> Aggregate:
    latest = officials_latest(unit)
    members = (
        Membership.objects.filter(unit_id__in=_unit_and_below(unit))
        .values("user_id")
        .distinct()
        .count()
    )
    now = [a.current_level for a in latest]
    aims = [a.target_level for a in latest]
    return Aggregate(
        officials=len(latest),
        members=members,
        distribution=[
            (level, now.count(level), aims.count(level)) for level in range(1, LEVELS + 1)
        ],
        median_current=statistics.median(now) if now else None,
        median_target=statistics.median(aims) if aims else None,
    )


def unit_level(unit: Unit) -> dict[str, Any]:
    """For the unit report: ``{"own": SelfAssessment | None`` (the unit's latest own
    assessment), ``"officials": int`` (members who assessed themselves), ``"members": int``,
    ``"median_current"`` and ``"median_target"`` (floats or ``None``), ``"distribution"``:
    ``[(level, officials now, officials aiming there)]`` for levels 1–8, ``"titles"``:
    ``{level: step title}`` in the active language``}``."""
    found = aggregate(unit)
    return {
        "own": unit_history(unit).first(),
        "officials": found.officials,
        "members": found.members,
        "median_current": found.median_current,
        "median_target": found.median_target,
        "distribution": found.distribution,
        "titles": {step.level: step.title for step in ladder().steps.all()},
    }


def guidance() -> list[Guidance]:
    return list(Guidance.objects.order_by("level"))


@transaction.atomic
def edit_guidance(item: Guidance, *, texts: dict[str, dict[str, str]], by: Any) -> Guidance:
    """Save new titles and bodies (``{"title": {"fi": …}, "body": {…}}``); Finnish and
    Swedish are required, English may be empty (then Finnish is shown)."""
    errors = {}
    for field in ("title", "body"):
        for language in ("fi", "sv"):
            if not texts.get(field, {}).get(language, "").strip():
                errors[f"{field}_{language}"] = _("Write the text in Finnish and in Swedish.")
    if errors:
        raise ValidationError(errors)
    for field in ("title", "body"):
        for language in LANGUAGES:
            setattr(item, f"{field}_{language}", texts[field].get(language, "").strip())
    item.updated_by = by
    item.save()
    return item


def load_guidance(*, overwrite: bool = False) -> int:
    """Put the shipped guidance in place: levels without guidance get it (all of it with
    ``overwrite``). Returns how many levels were written."""
    written = 0
    for entry in json.loads(GUIDANCE_FILE.read_text(encoding="utf-8")):
        item = Guidance.objects.filter(level=entry["level"]).first()
        if item is not None and not overwrite:
            continue
        item = item or Guidance(level=entry["level"])
        for field in ("title", "body"):
            for language in LANGUAGES:
                setattr(item, f"{field}_{language}", entry[field][language])
        item.save()
        written += 1
    return written
