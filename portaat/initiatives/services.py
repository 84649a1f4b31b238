"""Initiatives and opportunities: suggesting opportunities for an initiative, proposing them,
and following how each proposal went.

Suggestions are ranked by how well an opportunity fits on four things an official would check
by hand: the domain (ladder), the area (the gazetteer's hierarchy: a grant for Helsinki fits an
initiative in Kallio), the amount of money, and the deadline. An opportunity that cannot fit —
its deadline has passed, it is for other domains or other areas only, or its smallest amount is
above what the initiative needs — is not suggested at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portaat.initiatives.models import (
    Initiative,
    InitiativeStatus,
    Match,
    MatchStatus,
    Opportunity,
)
from portaat.registry.models import Area

# a deadline this close is flagged "soon"
SOON_DAYS = 14

# points per criterion: a specific fit ranks above an open-to-all one
_SPECIFIC, _OPEN = 3, 1


@dataclass
class Reason:
    """One reason why an opportunity fits; ``code`` is stable (stored on the match), ``text``
    is for the reader."""

    code: str
    text: str


@dataclass
class Suggestion:
    opportunity: Opportunity
    score: int
    reasons: list[Reason] = field(default_factory=list)
    soon: bool = False


def _ancestors(area: Area, parents: Mapping[int, int | None]) -> set[int]:
    """The area and every area it is part of."""
    found: set[int] = set()
    current: int | None = area.pk
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return found


def area_and_wider(area: Area) -> set[int]:
    """The area and every area it is part of (an opportunity for any of them covers it)."""
    return _ancestors(area, dict(Area.objects.values_list("pk", "parent_id")))


def _euros(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0€"


def fit(
    initiative: Initiative,
    opportunity: Opportunity,
    *,
    today: dt.date,
    parents: Mapping[int, int | None],
    initiative_domains: set[int],
    initiative_areas: list[Area],
) -> Suggestion | None:
    """How ``opportunity`` fits ``initiative``; None when it cannot."""
    score = 0
    reasons: list[Reason] = []

    # deadline
    soon = False
    if opportunity.deadline is not None:
        if opportunity.deadline < today:
            return None
        days = (opportunity.deadline - today).days
        soon = days <= SOON_DAYS
        score += _OPEN
        reasons.append(
            Reason("deadline", _("Apply by %(date)s.") % {"date": opportunity.deadline.isoformat()})
        )
    else:
        score += _OPEN
        reasons.append(Reason("rolling", _("One can apply at any time.")))

    # domain
    domains = {ladder.pk: ladder for ladder in opportunity.domains.all()}
    if domains:
        shared = [domains[pk] for pk in domains if pk in initiative_domains]
        if initiative_domains and not shared:
            return None
        if shared:
            score += _SPECIFIC
            names = ", ".join(str(ladder.domain or ladder.name) for ladder in shared)
            reasons.append(Reason("domain", _("Same domain: %(names)s.") % {"names": names}))
    else:
        score += _OPEN
        reasons.append(Reason("any_domain", _("Open to every domain.")))

    # area: the opportunity's area is the initiative's area or one it is part of
    opportunity_areas = list(opportunity.areas.all())
    if opportunity_areas:
        covering = [
            area
            for area in opportunity_areas
            if any(area.pk in _ancestors(own, parents) for own in initiative_areas)
        ]
        if initiative_areas and not covering:
            return None
        if covering:
            score += _SPECIFIC
            names = ", ".join(area.name for area in covering)
            reasons.append(Reason("area", _("Covers the area: %(names)s.") % {"names": names}))
    else:
        score += _OPEN
        reasons.append(Reason("anywhere", _("Open everywhere.")))

    # amount
    sought = initiative.amount_sought
    low, high = opportunity.amount_min, opportunity.amount_max
    if sought is not None and (low is not None or high is not None):
        if low is not None and low > sought:
            return None
        if high is None or high >= sought:
            score += _SPECIFIC
            reasons.append(Reason("amount", _("The amount needed fits.")))
        else:
            score += _OPEN
            reasons.append(
                Reason(
                    "part_amount", _("Covers part: up to %(amount)s.") % {"amount": _euros(high)}
                )
            )
    return Suggestion(opportunity, score, reasons, soon)


def suggestions(
    initiative: Initiative, *, today: dt.date | None = None, limit: int = 20
) -> list[Suggestion]:
    """Active opportunities not yet proposed to the initiative, best fit first (then the
    nearest deadline; open-ended ones after dated ones of the same fit)."""
    today = today or timezone.localdate()
    parents = dict(Area.objects.values_list("pk", "parent_id"))
    initiative_domains = set(initiative.domains.values_list("pk", flat=True))
    initiative_areas = list(initiative.areas.all())
    candidates = (
        Opportunity.objects.filter(is_active=True)
        .exclude(matches__initiative=initiative)
        .prefetch_related("domains", "areas")
    )
    found = [
        suggestion
        for opportunity in candidates
        if (
            suggestion := fit(
                initiative,
                opportunity,
                today=today,
                parents=parents,
                initiative_domains=initiative_domains,
                initiative_areas=initiative_areas,
            )
        )
        is not None
    ]
    found.sort(
        key=lambda s: (
            -s.score,
            s.opportunity.deadline or dt.date.max,
            s.opportunity.title.lower(),
            s.opportunity.pk,
        )
    )
    return found[:limit]


def open_opportunities(today: dt.date | None = None) -> QuerySet[Opportunity]:
    """The public catalogue: active, and not past their deadline."""
    today = today or timezone.localdate()
    return Opportunity.objects.filter(is_active=True).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today)
    )


# --- writing ----------------------------------------------------------------------------------


def _save_with_places(
    thing: Initiative | Opportunity, domains: Iterable[Any], areas: Iterable[Area], by: Any
) -> None:
    if thing.pk is None:
        thing.created_by = by
    thing.full_clean()
    thing.save()
    thing.domains.set(list(domains))
    thing.areas.set(list(areas))


@transaction.atomic
def save_initiative(
    initiative: Initiative,
    *,
    domains: Iterable[Any],
    areas: Iterable[Area],
    by: Any = None,
) -> Initiative:
    _save_with_places(initiative, domains, areas, by)
    return initiative


@transaction.atomic
def save_opportunity(
    opportunity: Opportunity,
    *,
    domains: Iterable[Any],
    areas: Iterable[Area],
    by: Any = None,
) -> Opportunity:
    _save_with_places(opportunity, domains, areas, by)
    return opportunity


def _entry(status: str, by: Any) -> dict[str, Any]:
    return {"status": status, "at": timezone.now().isoformat(), "by": getattr(by, "pk", None)}


def propose(initiative: Initiative, opportunity: Opportunity, *, by: Any, note: str = "") -> Match:
    """Propose an opportunity to an initiative; its maintainers are notified. Refused when the
    opportunity is not in the catalogue, is past its deadline or was already proposed."""
    today = timezone.localdate()
    if not opportunity.is_active:
        raise ValidationError(_("This opportunity is no longer in the catalogue."))
    if opportunity.deadline is not None and opportunity.deadline < today:
        raise ValidationError(_("The deadline of this opportunity has passed."))
    parents = dict(Area.objects.values_list("pk", "parent_id"))
    suggestion = fit(
        initiative,
        opportunity,
        today=today,
        parents=parents,
        initiative_domains=set(initiative.domains.values_list("pk", flat=True)),
        initiative_areas=list(initiative.areas.all()),
    )
    try:
        with transaction.atomic():
            match = Match.objects.create(
                initiative=initiative,
                opportunity=opportunity,
                reasons=[reason.code for reason in suggestion.reasons] if suggestion else [],
                note=note,
                created_by=by,
                history=[_entry(MatchStatus.PROPOSED, by)],
            )
            _notify_maintainers(match)
    except IntegrityError:
        raise ValidationError(
            _("This opportunity has already been proposed to the initiative.")
        ) from None
    return match


# an initiative moves along with its proposals: applying for one means it is under way,
# getting one means it went ahead
_INITIATIVE_FOLLOWS = {
    MatchStatus.APPLYING: InitiativeStatus.UNDER_WAY,
    MatchStatus.GRANTED: InitiativeStatus.REALISED,
}


@transaction.atomic
def set_match_status(match: Match, status: str, *, by: Any, note: str | None = None) -> Match:
    if status not in MatchStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    match = Match.objects.select_for_update().select_related("initiative").get(pk=match.pk)
    if status != match.status:
        match.status = status
        match.history = [*match.history, _entry(status, by)]
    if note is not None:
        match.note = note
    match.save()
    follows = _INITIATIVE_FOLLOWS.get(MatchStatus(status))
    initiative = match.initiative
    order = [InitiativeStatus.OPEN, InitiativeStatus.UNDER_WAY, InitiativeStatus.REALISED]
    if (
        follows is not None
        and initiative.status in order
        and order.index(InitiativeStatus(initiative.status)) < order.index(follows)
    ):
        initiative.status = follows
        initiative.save(update_fields=["status", "updated_at"])
    return match


def _notify_maintainers(match: Match) -> None:
    """In-app notification (and the email digest) to the people who keep the activism's
    entry up to date; the text is built in each reader's language."""
    from portaat.models import Notification

    initiative = match.initiative
    params = {"initiative": initiative.title, "opportunity": match.opportunity.title}
    for user in initiative.activism.maintainers.filter(is_active=True):
        Notification.objects.get_or_create(
            user=user,
            key=f"initiative-match:{match.pk}",
            defaults={
                "kind": "initiative_match",
                "params": params,
                "url": initiative.get_absolute_url(),
            },
        )
