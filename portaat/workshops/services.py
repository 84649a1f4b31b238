"""Write paths and read models for workshops. Every rule a participant can break raises a
``WorkshopError`` (a translated ``ValidationError`` with a ``code``) and writes nothing."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, F, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portaat.cases.models import Assessment, Case, Perspective
from portaat.cases.services import record_assessment
from portaat.ladders.models import LEVELS
from portaat.workshops import events
from portaat.workshops.models import (
    Answer,
    Participant,
    ParticipantRole,
    Workshop,
    WorkshopCase,
    WorkshopState,
    new_code,
)

MAX_CASES = 20
MAX_COMMENT = 500
MAX_NAME = 60
MAX_HOURS = 72
RATE_WINDOW = dt.timedelta(minutes=1)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class WorkshopError(ValidationError):
    """A translated refusal; ``code`` says which rule: closed, expired, full, locked, rate,
    invalid."""


def _clean_text(value: Any, limit: int, label: str) -> str:
    text = _CONTROL.sub("", str(value or "")).strip()
    if len(text) > limit:
        raise WorkshopError(
            _("%(label)s can be at most %(limit)d characters.") % {"label": label, "limit": limit},
            code="invalid",
        )
    return text


def _optional_level(value: Any, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        level = int(str(value).strip())
    except (TypeError, ValueError):
        level = 0
    if not 1 <= level <= LEVELS:
        raise WorkshopError(
            _("%(label)s must be a level from 1 to 8.") % {"label": label}, code="invalid"
        )
    return level


def ensure_open(workshop: Workshop) -> None:
    state = workshop.state
    if state == WorkshopState.CLOSED:
        raise WorkshopError(
            _("This workshop has been closed. Thank you for taking part!"), code="closed"
        )
    if state == WorkshopState.EXPIRED:
        raise WorkshopError(
            _("This workshop has ended. Thank you for taking part!"), code="expired"
        )


# --- facilitator -------------------------------------------------------------------------------


@transaction.atomic
def create_workshop(
    *,
    title: str,
    cases: Sequence[Case],
    facilitator: Any,
    hours: int | None = None,
    max_participants: int | None = None,
) -> Workshop:
    title = _clean_text(title, 200, _("The title"))
    if not title:
        raise WorkshopError(_("Give the workshop a title."), code="invalid")
    unique_cases = list(dict.fromkeys(cases))
    if not unique_cases:
        raise WorkshopError(_("Choose at least one case."), code="invalid")
    if len(unique_cases) > MAX_CASES:
        raise WorkshopError(
            _("A workshop can have at most %(n)d cases.") % {"n": MAX_CASES}, code="invalid"
        )
    hours = settings.PORTAAT_WORKSHOP_HOURS if hours is None else hours
    if not 1 <= hours <= MAX_HOURS:
        raise WorkshopError(
            _("A workshop stays open from 1 to %(n)d hours.") % {"n": MAX_HOURS}, code="invalid"
        )
    limit = settings.PORTAAT_WORKSHOP_MAX_PARTICIPANTS
    size = limit if max_participants is None else max_participants
    if not 1 <= size <= limit:
        raise WorkshopError(
            _("The number of participants must be from 1 to %(n)d.") % {"n": limit},
            code="invalid",
        )
    for _attempt in range(5):
        code = new_code()
        if not Workshop.objects.filter(code=code).exists():
            break
    workshop = Workshop.objects.create(
        title=title,
        code=code,
        facilitator=facilitator if getattr(facilitator, "pk", None) else None,
        max_participants=size,
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    WorkshopCase.objects.bulk_create(
        WorkshopCase(workshop=workshop, case=case, position=index)
        for index, case in enumerate(unique_cases)
    )
    return workshop


def _after_commit(workshop_id: int, **message: Any) -> None:
    transaction.on_commit(lambda: events.publish(workshop_id, **message))


@transaction.atomic
def close_workshop(workshop: Workshop) -> Workshop:
    if workshop.closed_at is None:
        workshop.closed_at = timezone.now()
        workshop.save(update_fields=["closed_at"])
        _after_commit(workshop.pk, kind="state")
    return workshop


@transaction.atomic
def set_locked(item: WorkshopCase, locked: bool) -> WorkshopCase:
    item.locked_at = (item.locked_at or timezone.now()) if locked else None
    item.save(update_fields=["locked_at"])
    _after_commit(item.workshop_id, kind="item", item=item.pk)
    return item


@transaction.atomic
def set_comment_hidden(answer: Answer, hidden: bool) -> Answer:
    answer.comment_hidden = hidden
    answer.save(update_fields=["comment_hidden"])
    _after_commit(answer.item.workshop_id, kind="item", item=answer.item_id)
    return answer


@transaction.atomic
def record_outcome(
    item: WorkshopCase, *, current_level: Any, target_level: Any, rationale: str, by: Any
) -> Assessment:
    """Save what the room agreed as a workshop-perspective assessment, with the distribution."""
    workshop = item.workshop
    summary = summarise([item])[item.pk]
    assessment = record_assessment(
        item.case,
        perspective=Perspective.WORKSHOP,
        current_level=current_level,
        target_level=target_level,
        rationale=rationale,
        by=by,
        details={
            # not the join code: the assessment is read by the activism's maintainers too
            "workshop": {"id": workshop.pk, "title": workshop.title},
            "answers": summary.answered,
            "distribution": summary.as_details(),
        },
    )
    item.assessment = assessment
    item.locked_at = item.locked_at or timezone.now()
    item.save(update_fields=["assessment", "locked_at"])
    _after_commit(workshop.pk, kind="item", item=item.pk)
    return assessment


# --- participants ------------------------------------------------------------------------------


@transaction.atomic
def join(workshop: Workshop, *, display_name: Any, role: Any, language: Any) -> Participant:
    name = _clean_text(display_name, MAX_NAME, _("The name"))
    if role not in ParticipantRole.values:
        raise WorkshopError(_("Choose your role from the list."), code="invalid")
    languages = {code for code, _label in settings.LANGUAGES}
    if language not in languages:
        raise WorkshopError(_("Choose a language from the list."), code="invalid")
    # Lock the workshop row so two joins cannot both take the last place (PostgreSQL);
    # SQLite's IMMEDIATE transactions already serialise writers.
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    ensure_open(locked)
    stats = locked.participants.aggregate(n=Count("pk"), last=Max("number"))
    if stats["n"] >= locked.max_participants:
        raise WorkshopError(
            ngettext(
                "This workshop is full: it has room for %(n)d participant.",
                "This workshop is full: it has room for %(n)d participants.",
                locked.max_participants,
            )
            % {"n": locked.max_participants},
            code="full",
        )
    participant = Participant.objects.create(
        workshop=locked,
        number=(stats["last"] or 0) + 1,
        display_name=name,
        role=role,
        language=language,
    )
    _after_commit(workshop.pk, kind="join")
    return participant


def _take_rate_slot(participant: Participant, now: dt.datetime) -> None:
    """A fixed one-minute window per participant, counted in the database (one UPDATE) so
    that every web process sees the same count."""
    limit = settings.PORTAAT_WORKSHOP_ANSWERS_PER_MINUTE
    expired = Q(window_start__isnull=True) | Q(window_start__lte=now - RATE_WINDOW)
    taken = Participant.objects.filter(
        Q(pk=participant.pk) & (expired | Q(window_count__lt=limit))
    ).update(
        window_start=SqlCase(When(expired, then=Value(now)), default=F("window_start")),
        window_count=SqlCase(When(expired, then=Value(1)), default=F("window_count") + 1),
    )
    if not taken:
        raise WorkshopError(
            _("You are answering very fast. Wait a moment and try again."), code="rate"
        )


@transaction.atomic
def answer(
    participant: Participant,
    item: WorkshopCase,
    *,
    current_level: Any,
    target_level: Any,
    comment: Any = "",
) -> Answer:
    if item.workshop_id != participant.workshop_id:
        raise WorkshopError(_("That case is not in this workshop."), code="invalid")
    current = _optional_level(current_level, _("The current level"))
    target = _optional_level(target_level, _("The target level"))
    text = _clean_text(comment, MAX_COMMENT, _("The comment"))
    if current is None and target is None and not text:
        raise WorkshopError(
            _("Choose a level for now or for the target, or write a comment."), code="invalid"
        )
    # the workshop's state and the lock are read inside the transaction (one query): a case
    # locked or a workshop closed a moment ago refuses the answer
    locked_at, closed_at, expires_at = (
        WorkshopCase.objects.filter(pk=item.pk)
        .values_list("locked_at", "workshop__closed_at", "workshop__expires_at")
        .get()
    )
    ensure_open(Workshop(closed_at=closed_at, expires_at=expires_at))
    if locked_at is not None:
        raise WorkshopError(
            _("The facilitator has locked this case; answers can no longer be changed."),
            code="locked",
        )
    now = timezone.now()
    _take_rate_slot(participant, now)
    values = {
        "current_level": current,
        "target_level": target,
        "comment": text,
        "updated_at": now,
    }
    # a changed answer is one UPDATE; a new one an INSERT (and a retry if two arrive at once)
    if not text:
        values["comment_hidden"] = False
    mine = Answer.objects.filter(participant=participant, item=item)
    if not mine.update(**values):
        try:
            with transaction.atomic():
                Answer.objects.create(participant=participant, item=item, **values)
        except IntegrityError:  # the same participant's first answer, twice at once
            mine.update(**values)
    saved = mine.get()
    accepted = time.time()
    _after_commit(item.workshop_id, kind="item", item=item.pk, answer=saved.pk, at=accepted)
    return saved


# --- retention -------------------------------------------------------------------------------


def anonymise_ended_workshops(now: dt.datetime | None = None) -> int:
    """Delete participants' names and comments once a workshop ended more than
    ``PORTAAT_WORKSHOP_RETENTION_DAYS`` ago (0 keeps them). Levels, roles and the recorded
    assessments stay, so the distributions and the case history do not change. Each workshop
    is done once, in its own transaction; returns how many were done."""
    days = settings.PORTAAT_WORKSHOP_RETENTION_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    due = Workshop.objects.filter(anonymised_at__isnull=True).filter(
        Q(closed_at__lte=cutoff) | Q(closed_at__isnull=True, expires_at__lte=cutoff)
    )
    done = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            Participant.objects.filter(workshop_id=pk).update(display_name="")
            Answer.objects.filter(item__workshop_id=pk).exclude(comment="").update(
                comment="", comment_hidden=False
            )
            done += Workshop.objects.filter(pk=pk, anonymised_at__isnull=True).update(
                anonymised_at=now
            )
    return done


# --- reading -----------------------------------------------------------------------------------

ROLE_ORDER = list(ParticipantRole.values)


@dataclass
class ItemSummary:
    """The room's view of one case: counts per level and role, for now and for the target."""

    item_id: int
    answered: int = 0
    current: dict[int, dict[str, int]] = field(default_factory=dict)
    target: dict[int, dict[str, int]] = field(default_factory=dict)

    def count(self, which: str, level: int) -> int:
        return sum(getattr(self, which).get(level, {}).values())

    def median(self, which: str) -> int | None:
        values: list[int] = []
        for level in sorted(getattr(self, which)):
            values += [level] * self.count(which, level)
        if not values:
            return None
        return values[(len(values) - 1) // 2]

    def as_details(self) -> dict[str, Any]:
        def plain(table: dict[int, dict[str, int]]) -> dict[str, dict[str, int]]:
            return {str(level): dict(roles) for level, roles in sorted(table.items())}

        return {"current": plain(self.current), "target": plain(self.target)}


def summarise(items: Iterable[WorkshopCase]) -> dict[int, ItemSummary]:
    """Summaries of several cases with three aggregate queries in all."""
    ids = [item.pk for item in items]
    result = {pk: ItemSummary(pk) for pk in ids}
    for which in ("current", "target"):
        rows = (
            Answer.objects.filter(item_id__in=ids, **{f"{which}_level__isnull": False})
            .values_list("item_id", f"{which}_level", "participant__role")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for item_id, level, role, n in rows:
            getattr(result[item_id], which).setdefault(level, {})[role] = n
    answered = (
        Answer.objects.filter(item_id__in=ids)
        .values_list("item_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item_id, n in answered:
        result[item_id].answered = n
    return result


def visible_comments(
    item: WorkshopCase, *, include_hidden: bool, limit: int | None = None
) -> list[Answer]:
    """The comments on a case, newest first (the ``limit`` newest, when given)."""
    answers = item.answers.exclude(comment="").select_related("participant")
    if not include_hidden:
        answers = answers.filter(comment_hidden=False)
    answers = answers.order_by("-updated_at", "-pk")
    return list(answers[:limit] if limit is not None else answers)


def comment_count(item: WorkshopCase) -> int:
    return item.answers.exclude(comment="").count()
