"""Write paths for cases: opening a case, assessments, interactions, unit goals, judgements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portaat.cases.models import (
    Assessment,
    Case,
    Interaction,
    InteractionKind,
    MaturityJudgement,
    Perspective,
    UnitGoal,
)
from portaat.ladders.models import LEVELS, STAGES, Ladder
from portaat.registry.models import Activism, Unit


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _not_in_future(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))


def open_case(*, activism: Activism, unit: Unit, ladder: Ladder, by: Any) -> Case:
    """Start following how ``unit`` cooperates with ``activism`` on ``ladder``."""
    if Case.objects.filter(activism=activism, unit=unit, ladder=ladder).exists():
        raise ValidationError(
            _("%(activism)s already has a case in %(unit)s on this ladder.")
            % {"activism": activism.name, "unit": unit.name}
        )
    try:
        with transaction.atomic():
            return Case.objects.create(
                activism=activism, unit=unit, ladder=ladder, created_by=_user(by)
            )
    except IntegrityError:  # a concurrent request opened the same case first
        raise ValidationError(
            _("%(activism)s already has a case in %(unit)s on this ladder.")
            % {"activism": activism.name, "unit": unit.name}
        ) from None


def update_case(case: Case, *, positions_public: bool, internal_notes: str) -> Case:
    """Change what the unit shows publicly about the case and what it keeps to itself."""
    case.positions_public = bool(positions_public)
    case.internal_notes = (internal_notes or "").strip()
    case.save(update_fields=["positions_public", "internal_notes"])
    return case


def _level(value: Any, label: str) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(label)s must be a level from 1 to 8.") % {"label": label}
        ) from None
    if not 1 <= level <= LEVELS:
        raise ValidationError(_("%(label)s must be a level from 1 to 8.") % {"label": label})
    return level


@transaction.atomic
def record_assessment(
    case: Case,
    *,
    perspective: str,
    current_level: Any,
    target_level: Any,
    rationale: str = "",
    assessed_on: dt.date | None = None,
    by: Any = None,
    details: Mapping[str, Any] | None = None,
) -> Assessment:
    """Record one perspective's view of the case: where it is now and where it should be.

    A target below the current level is allowed — higher is not always better — but needs
    a rationale. Raises ``ValidationError`` (translated) and writes nothing on bad input.
    """
    if perspective not in Perspective.values:
        raise ValidationError(_("Unknown perspective."))
    current = _level(current_level, _("The current level"))
    target = _level(target_level, _("The target level"))
    rationale = (rationale or "").strip()
    if target < current and not rationale:
        raise ValidationError(_("The target is below the current level. Say why in the rationale."))
    day = assessed_on or timezone.localdate()
    _not_in_future(day)
    return Assessment.objects.create(
        case=case,
        perspective=perspective,
        current_level=current,
        target_level=target,
        rationale=rationale,
        assessed_on=day,
        author=_user(by),
        details=dict(details or {}),
    )


def log_interaction(
    case: Case, *, kind: str, happened_on: dt.date, note: str = "", by: Any = None
) -> Interaction:
    if kind not in InteractionKind.values:
        raise ValidationError(_("Unknown kind of interaction."))
    _not_in_future(happened_on)
    return Interaction.objects.create(
        case=case, kind=kind, happened_on=happened_on, note=(note or "").strip(), author=_user(by)
    )


@transaction.atomic
def add_goal(
    unit: Unit, *, text: str, set_on: dt.date, activisms: Iterable[Activism] = (), by: Any = None
) -> UnitGoal:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the goal."))
    _not_in_future(set_on)
    goal = UnitGoal.objects.create(unit=unit, text=text, set_on=set_on, author=_user(by))
    goal.activisms.set(list(activisms))
    return goal


def record_judgement(
    unit: Unit,
    *,
    stage: Any,
    estimated_stage: int,
    rationale: str = "",
    judged_on: dt.date | None = None,
    by: Any = None,
) -> MaturityJudgement:
    """The unit's own view of its stage, kept beside the estimate of that moment."""
    try:
        value = int(stage)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= STAGES:
        raise ValidationError(_("The stage must be from 1 to 5."))
    day = judged_on or timezone.localdate()
    _not_in_future(day)
    return MaturityJudgement.objects.create(
        unit=unit,
        stage=value,
        estimated_stage=estimated_stage,
        rationale=(rationale or "").strip(),
        judged_on=day,
        author=_user(by),
    )
