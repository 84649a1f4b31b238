"""Write paths and reads for the repertoire: practices, plans, experiments, evidence, advice."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portaat.cases.models import Assessment, Case
from portaat.ladders.models import LEVELS, Step
from portaat.repertoire import attachments, recommend
from portaat.repertoire.models import (
    ActionType,
    Experiment,
    ExperimentAttachment,
    ExperimentStatus,
    Outcome,
    PlanItem,
    PlanStatus,
    Practice,
)

LANGS = ("fi", "sv", "en")
MAX_ATTACHMENT_TITLE = 200

logger = logging.getLogger(__name__)


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


# --- built-in practices: every step of every ladder -------------------------------------------


def action_type_for_level(level: int) -> str:
    """A first guess for a step's action type; coordinators may edit custom practices."""
    if level <= 3:
        return ActionType.RECOGNISE
    if level <= 5:
        return ActionType.DEVELOP
    return ActionType.COORDINATE


def sync_step_practice(step: Step) -> Practice:
    """Create or update the built-in practice of one ladder step (texts follow the step)."""
    practice = Practice.objects.filter(step=step).first() or Practice(
        step=step, action_type=action_type_for_level(step.level)
    )
    changed = practice.pk is None
    for name in ("title", "description"):
        for lang in LANGS:
            value = getattr(step, f"{name}_{lang}") or ""
            if getattr(practice, f"{name}_{lang}") != value:
                setattr(practice, f"{name}_{lang}", value)
                changed = True
    if (practice.level_from, practice.level_to) != (step.level, step.level):
        practice.level_from = practice.level_to = step.level
        changed = True
    if changed:
        practice.save()
        practice.ladders.set([step.ladder_id])
    return practice


@transaction.atomic
def sync_builtin_practices() -> int:
    """Make sure every ladder step has its practice; return how many were created or changed."""
    before = {
        p.step_id: (p.title_fi, p.title_sv, p.title_en, p.level_from)  # type: ignore[attr-defined]
        for p in Practice.objects.filter(step__isnull=False)
    }
    changed = 0
    for step in Step.objects.all():
        practice = sync_step_practice(step)
        after = (practice.title_fi, practice.title_sv, practice.title_en, practice.level_from)  # type: ignore[attr-defined]
        changed += before.get(step.pk) != after
    return changed


# --- practices --------------------------------------------------------------------------------


def _clean_levels(level_from: Any, level_to: Any) -> tuple[int, int]:
    try:
        low, high = int(level_from), int(level_to)
    except (TypeError, ValueError):
        raise ValidationError(_("The levels must be whole numbers from 1 to 8.")) from None
    if not (1 <= low <= LEVELS and 1 <= high <= LEVELS):
        raise ValidationError(_("The levels must be whole numbers from 1 to 8."))
    if low > high:
        raise ValidationError(_("The lowest level cannot be above the highest."))
    return low, high


@transaction.atomic
def save_practice(
    *,
    practice: Practice | None,
    texts: Mapping[str, Mapping[str, str]],
    level_from: Any,
    level_to: Any,
    action_type: str,
    ladders: Iterable[Any] = (),
    links: Iterable[str] = (),
    by: Any = None,
) -> Practice:
    """Create or update a user's practice. Built-in practices follow their step and are
    read-only. ``texts`` maps a field (title, description, …) to ``{"fi": …, "sv": …}``."""
    if practice is not None and practice.is_builtin:
        raise ValidationError(
            _("Built-in practices are the ladder's own steps and cannot be changed.")
        )
    if action_type not in ActionType.values:
        raise ValidationError(_("Choose an action type."))
    titles = {lang: (texts.get("title", {}).get(lang) or "").strip() for lang in LANGS}
    if not any(titles.values()):
        raise ValidationError(_("The title needs a text in at least one language."))
    low, high = _clean_levels(level_from, level_to)
    practice = practice or Practice(created_by=_user(by))
    for name, values in texts.items():
        for lang in LANGS:
            setattr(practice, f"{name}_{lang}", (values.get(lang) or "").strip())
    practice.level_from, practice.level_to = low, high
    practice.action_type = action_type
    practice.links = [link.strip() for link in links if link.strip()]
    practice.full_clean(exclude=["step", "created_by", "ladders"])
    practice.save()
    practice.ladders.set(list(ladders))
    return practice


# --- plans ------------------------------------------------------------------------------------


def plan_practice(
    case: Case,
    practice: Practice,
    *,
    owner: Any = None,
    due_on: dt.date | None = None,
    by: Any = None,
) -> PlanItem:
    """Add a practice to the case's plan (once per case)."""
    if PlanItem.objects.filter(case=case, practice=practice).exists():
        raise ValidationError(_("This practice is already in the case's plan."))
    if due_on is not None and due_on < dt.date(2000, 1, 1):
        raise ValidationError(_("Check the due date."))
    return PlanItem.objects.create(case=case, practice=practice, owner=owner, due_on=due_on)


def update_plan_item(
    item: PlanItem, *, status: str, owner: Any = None, due_on: dt.date | None = None
) -> PlanItem:
    if status not in PlanStatus.values:
        raise ValidationError(_("Unknown status."))
    item.status, item.owner, item.due_on = status, owner, due_on
    item.save(update_fields=["status", "owner", "due_on"])
    return item


# --- experiments ------------------------------------------------------------------------------


@transaction.atomic
def create_experiment(
    *,
    title: str,
    hypothesis: str,
    practices: Iterable[Practice],
    cases: Iterable[Case],
    starts_on: dt.date,
    ends_on: dt.date,
    success_criteria: str = "",
    owner: Any = None,
) -> Experiment:
    practices, cases = list(practices), list(cases)
    if not (title or "").strip():
        raise ValidationError(_("Give the experiment a title."))
    if not (hypothesis or "").strip():
        raise ValidationError(_("Write the hypothesis: what do you expect to happen?"))
    if not practices:
        raise ValidationError(_("Choose at least one practice to try."))
    if not cases:
        raise ValidationError(_("Choose at least one case."))
    if ends_on < starts_on:
        raise ValidationError(_("The experiment cannot end before it starts."))
    experiment = Experiment.objects.create(
        title=title.strip(),
        hypothesis=hypothesis.strip(),
        success_criteria=(success_criteria or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        owner=_user(owner),
        status=ExperimentStatus.RUNNING
        if starts_on <= timezone.localdate()
        else ExperimentStatus.PLANNED,
    )
    experiment.practices.set(practices)
    experiment.cases.set(cases)
    return experiment


@transaction.atomic
def close_experiment(
    experiment: Experiment, *, outcome: str, lessons: str, evidence_links: Iterable[str] = ()
) -> list[Case]:
    """Record the outcome and lessons; return the cases to reassess (the page prompts for it)."""
    if experiment.status in (ExperimentStatus.DONE, ExperimentStatus.ABANDONED):
        raise ValidationError(_("The experiment is already closed."))
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose the outcome: worked, partly or did not work."))
    if not (lessons or "").strip():
        raise ValidationError(_("Write down what was learned, so that others can learn too."))
    experiment.status = ExperimentStatus.DONE
    experiment.outcome = outcome
    experiment.lessons = lessons.strip()
    experiment.evidence_links = [link.strip() for link in evidence_links if link.strip()]
    experiment.closed_at = timezone.now()
    experiment.save()
    return list(experiment.cases.select_related("activism", "ladder"))


def abandon_experiment(experiment: Experiment, *, lessons: str = "") -> Experiment:
    if experiment.status in (ExperimentStatus.DONE, ExperimentStatus.ABANDONED):
        raise ValidationError(_("The experiment is already closed."))
    experiment.status = ExperimentStatus.ABANDONED
    experiment.lessons = (lessons or "").strip()
    experiment.closed_at = timezone.now()
    experiment.save()
    return experiment


# --- attachments ------------------------------------------------------------------------------


def attachment_limits() -> dict[str, Any]:
    """The limits the upload form states and ``add_attachment`` enforces."""
    return {
        "max_mb": settings.PORTAAT_ATTACHMENT_MAX_MB,
        "per_experiment": settings.PORTAAT_ATTACHMENTS_PER_EXPERIMENT,
        "extensions": attachments.ALLOWED_EXTENSIONS,
    }


def _too_many_attachments() -> ValidationError:
    limit = settings.PORTAAT_ATTACHMENTS_PER_EXPERIMENT
    return ValidationError(
        ngettext(
            "An experiment can have at most %(limit)d attachment. Delete one to add another.",
            "An experiment can have at most %(limit)d attachments. Delete one to add another.",
            limit,
        )
        % {"limit": limit},
        code="too_many",
    )


def add_attachment(
    experiment: Experiment, uploaded_file: Any, *, title: str = "", user: Any = None
) -> ExperimentAttachment:
    """Attach a file to the experiment as evidence.

    ``uploaded_file`` is a Django ``UploadedFile`` (or any ``File``). The type is decided from
    the extension *and* the content (``attachments.check_file``), the size and the number of
    files per experiment are limited by settings, and the scan command, when one is set, must
    pass it. Bad input raises ``ValidationError`` with a translated reason and stores nothing.
    The file is stored under a random name; if the row cannot be written, the stored file is
    removed again, so neither a row without a file nor a file without a row is left behind.
    """
    if uploaded_file is None:
        raise ValidationError(_("Choose a file to attach."), code="required")
    title = " ".join((title or "").replace("\x00", "").split())
    if len(title) > MAX_ATTACHMENT_TITLE:
        raise ValidationError(
            _("The title can have at most %(limit)d characters.") % {"limit": MAX_ATTACHMENT_TITLE},
            code="title",
        )
    # cheap checks first: no scan for a file that would be refused anyway
    if experiment.attachments.count() >= settings.PORTAAT_ATTACHMENTS_PER_EXPERIMENT:
        raise _too_many_attachments()
    checked = attachments.check_file(
        uploaded_file,
        getattr(uploaded_file, "name", "") or "",
        max_bytes=settings.PORTAAT_ATTACHMENT_MAX_MB * 1024 * 1024,
    )
    attachments.scan(
        uploaded_file,
        settings.PORTAAT_ATTACHMENT_SCAN_COMMAND,
        temp_dir=settings.FILE_UPLOAD_TEMP_DIR,
    )
    attachment = ExperimentAttachment(
        experiment=experiment,
        original_filename=checked.filename,
        title=title,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=_user(user),
    )
    stored = ""
    try:
        with transaction.atomic():
            # Lock the experiment so that two uploads at once cannot both take the last place
            # (PostgreSQL; SQLite's IMMEDIATE transactions already let one writer in at a time).
            if not list(Experiment.objects.select_for_update().filter(pk=experiment.pk).only("pk")):
                raise ValidationError(_("The experiment no longer exists."), code="gone")
            if experiment.attachments.count() >= settings.PORTAAT_ATTACHMENTS_PER_EXPERIMENT:
                raise _too_many_attachments()
            uploaded_file.seek(0)
            # Only the checked extension of this name is used: see models.attachment_upload_to.
            attachment.file.save(f"upload{checked.extension}", uploaded_file, save=False)
            stored = attachment.file.name or ""
            attachment.save()
    except BaseException:
        if stored:
            _delete_stored_file(attachment.file.storage, stored)
        raise
    logger.info(
        "attachment %s (%s, %d bytes, %s) added to experiment %s by user %s",
        attachment.pk,
        attachment.content_type,
        attachment.size,
        attachment.sha256,
        experiment.pk,
        getattr(attachment.uploaded_by, "pk", None),
    )
    return attachment


def delete_attachment(attachment: ExperimentAttachment, *, user: Any = None) -> None:
    """Delete the attachment; its file is removed once the deletion is committed (by the
    ``post_delete`` signal, which also covers deleting the whole experiment)."""
    logger.info(
        "attachment %s (%s) of experiment %s deleted by user %s",
        attachment.pk,
        attachment.sha256,
        attachment.experiment_id,
        getattr(_user(user), "pk", None),
    )
    with transaction.atomic():
        attachment.delete()


def _delete_stored_file(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        # The row is gone either way; an orphan file is only disk space, and the log says where.
        logger.exception("could not delete the attachment file %s", name)


def delete_file_on_commit(attachment: ExperimentAttachment) -> None:
    """Remove the attachment's stored file when the transaction that deleted its row commits
    (and never if it rolls back, when the row is still there and still needs the file)."""
    name = attachment.file.name
    if not name:
        return
    storage = attachment.file.storage
    transaction.on_commit(lambda: _delete_stored_file(storage, name))


# --- evidence ---------------------------------------------------------------------------------


@dataclass
class Evidence:
    tried: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    experiments: list[Experiment] = field(default_factory=list)

    @property
    def worked(self) -> int:
        return self.outcomes.get(Outcome.WORKED, 0)


def evidence_for(practice_ids: Iterable[int]) -> dict[int, Evidence]:
    """How often each practice was tried in closed experiments, the outcomes, the lessons."""
    ids = list(practice_ids)
    result: dict[int, Evidence] = {pk: Evidence() for pk in ids}
    done = (
        Experiment.objects.filter(status=ExperimentStatus.DONE, practices__in=ids)
        .prefetch_related(Prefetch("practices", queryset=Practice.objects.only("pk")))
        .distinct()
        .order_by("-ends_on", "-pk")
    )
    for experiment in done:
        for practice in experiment.practices.all():
            if practice.pk in result:
                evidence = result[practice.pk]
                evidence.tried += 1
                evidence.outcomes[experiment.outcome] = (
                    evidence.outcomes.get(experiment.outcome, 0) + 1
                )
                evidence.experiments.append(experiment)
    return result


# --- recommendations --------------------------------------------------------------------------


def _facts(cases: Iterable[Case]) -> dict[int, recommend.CaseFacts]:
    """Ladder, kind, areas and latest official levels of each case, in a fixed number of queries."""
    cases = list(cases)
    latest: dict[int, Assessment] = {}
    for assessment in Assessment.objects.filter(
        case__in=[c.pk for c in cases], perspective="official"
    ).order_by("case_id", "-assessed_on", "-created_at", "-pk"):
        latest.setdefault(assessment.case_id, assessment)
    facts: dict[int, recommend.CaseFacts] = {}
    for case in cases:
        areas = list(case.activism.areas.all())
        last = latest.get(case.pk)
        facts[case.pk] = recommend.CaseFacts(
            case_id=case.pk,
            ladder_id=case.ladder_id,
            kind_id=case.activism.kind_id,
            areas=frozenset(a.pk for a in areas),
            area_parents=frozenset(a.parent_id for a in areas if a.parent_id),
            current=last.current_level if last else None,
            target=last.target_level if last else None,
        )
    return facts


def _case_queryset() -> Any:
    return Case.objects.select_related("activism").prefetch_related("activism__areas")


def trials() -> list[recommend.Trial]:
    """Every practice × case of every finished experiment, with the case's level before and
    after (the latest official assessment before the start, and the latest by the end)."""
    experiments = list(
        Experiment.objects.filter(status=ExperimentStatus.DONE).prefetch_related(
            Prefetch("practices", queryset=Practice.objects.only("pk")),
            Prefetch("cases", queryset=_case_queryset()),
        )
    )
    cases = {case.pk: case for e in experiments for case in e.cases.all()}
    facts = _facts(cases.values())
    history: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in Assessment.objects.filter(
        case__in=list(cases), perspective="official"
    ).order_by("assessed_on", "created_at", "pk"):
        history[assessment.case_id].append(assessment)

    def level_on(case_id: int, day: dt.date) -> int | None:
        before = [a for a in history[case_id] if a.assessed_on <= day]
        return before[-1].current_level if before else None

    out: list[recommend.Trial] = []
    for experiment in experiments:
        for case in experiment.cases.all():
            for practice in experiment.practices.all():
                out.append(
                    recommend.Trial(
                        practice_id=practice.pk,
                        case=facts[case.pk],
                        outcome=experiment.outcome,
                        level_before=level_on(case.pk, experiment.starts_on),
                        level_after=level_on(case.pk, timezone.localdate()),
                    )
                )
    return out


def tried_in_case(case: Case) -> set[int]:
    """Practices already planned for the case or tried in one of its experiments."""
    planned = set(PlanItem.objects.filter(case=case).values_list("practice_id", flat=True))
    tried = set(Practice.objects.filter(experiments__cases=case).values_list("pk", flat=True))
    return planned | tried


def recommendations_for_case(case: Case) -> list[tuple[Practice, recommend.Recommendation]]:
    """Practices that worked in similar cases and have not been tried here, best first."""
    case = _case_queryset().get(pk=case.pk)
    facts = _facts([case])[case.pk]
    levels = recommend.next_levels(facts.current, facts.target, steps=LEVELS)
    practice_levels = {
        pk: (low, high)
        for pk, low, high in Practice.objects.values_list("pk", "level_from", "level_to")
    }
    found = recommend.recommend(
        facts,
        trials(),
        tried_here=tried_in_case(case),
        candidate_levels=levels if facts.current is not None else None,
        practice_levels=practice_levels,
    )
    practices = Practice.objects.in_bulk([r.practice_id for r in found])
    return [(practices[r.practice_id], r) for r in found if r.practice_id in practices]


def suggestions_for_case(case: Case, *, limit: int = 12) -> list[tuple[Practice, Evidence]]:
    """Practices for the next one or two levels ("one step at a time"), best evidence first,
    leaving out those already in the plan or tried here."""
    facts = _facts([_case_queryset().get(pk=case.pk)])[case.pk]
    levels = recommend.next_levels(facts.current, facts.target)
    query = Q()
    for level in levels:
        query |= Q(level_from__lte=level, level_to__gte=level)
    candidates = list(
        Practice.objects.filter(query)
        .filter(Q(ladders=case.ladder_id) | Q(ladders__isnull=True))
        .exclude(pk__in=tried_in_case(case))
        .distinct()
    )
    evidence = evidence_for(p.pk for p in candidates)
    candidates.sort(
        key=lambda p: (-evidence[p.pk].worked, -evidence[p.pk].tried, p.level_from, p.pk)
    )
    return [(p, evidence[p.pk]) for p in candidates[:limit]]


def reason(rec: recommend.Recommendation) -> str:
    """Why a practice is recommended, with the numbers: "worked in 3 of 4 similar cases,
    typically moving from 3 to 5"."""
    worked = f"{rec.worked:g}"
    text = ngettext(
        "worked in %(worked)s of %(tried)d similar case",
        "worked in %(worked)s of %(tried)d similar cases",
        rec.tried,
    ) % {"worked": worked, "tried": rec.tried}
    moves = [(a, b) for a, b in rec.moves if a != b]
    if moves:
        before, after = max(set(moves), key=moves.count)
        text += ", " + _("typically moving from %(before)d to %(after)d") % {
            "before": before,
            "after": after,
        }
    return text


# --- where a practice could apply next ---------------------------------------------------------


@dataclass
class Application:
    """A case where a practice could be tried next, and why."""

    case: Case
    current: int
    target: int
    similar_worked: int  # how many cases where the practice worked are similar to this one
    similarity: int  # the summed similarity to those cases (more shared signs rank higher)
    reason: str


def _application_reason(similar: int, current: int, target: int, level_from: int) -> str:
    if similar:
        text = ngettext(
            "similar to %(count)d case where it worked",
            "similar to %(count)d cases where it worked",
            similar,
        ) % {"count": similar}
    else:
        text = _("no similar case has tried it yet")
    position = _("now at level %(current)d with target %(target)d") % {
        "current": current,
        "target": target,
    }
    if level_from == current + 1:
        position += ", " + _("so it is the next step")
    return f"{text}; {position}"


def cases_for_practice(practice: Practice, user: Any, *, limit: int = 20) -> list[Application]:
    """Cases where the practice could apply next, best first (the administration only).

    A candidate is on one of the practice's ladders (any ladder when the practice names none),
    its latest official assessment puts it below the practice's lowest level with a target at
    or above it, and the practice is neither in its plan nor tried in one of its experiments.
    Candidates are ranked by how many cases where the practice worked are similar to them
    (``recommend.similarity``), then by how close the practice is to their next step.
    """
    from portaat import access

    if not access.can_see_where_practice_applies(user):
        return []
    candidates = (
        _case_queryset()
        .select_related("unit", "ladder")
        .filter(access.visible_cases(user))
        .exclude(plan_items__practice=practice)
        .exclude(experiments__practices=practice)
    )
    ladder_ids = list(practice.ladders.values_list("pk", flat=True))
    if ladder_ids:
        candidates = candidates.filter(ladder__in=ladder_ids)
    cases = list(candidates.distinct())
    facts = _facts(cases)
    # one entry per case, however many experiments it worked in
    worked = list(
        {
            trial.case.case_id: trial.case
            for trial in trials()
            if trial.practice_id == practice.pk and trial.outcome == Outcome.WORKED
        }.values()
    )
    found: list[Application] = []
    for case in cases:
        here = facts[case.pk]
        if here.current is None or here.target is None:
            continue
        if not (here.current < practice.level_from <= here.target):
            continue
        scores = [s for s in (recommend.similarity(here, other) for other in worked) if s]
        found.append(
            Application(
                case=case,
                current=here.current,
                target=here.target,
                similar_worked=len(scores),
                similarity=sum(scores),
                reason=_application_reason(
                    len(scores), here.current, here.target, practice.level_from
                ),
            )
        )
    found.sort(
        key=lambda a: (
            -a.similar_worked,
            -a.similarity,
            practice.level_from - a.current,
            a.case.pk,
        )
    )
    return found[:limit]


# --- reads for the plan and experiment pages ----------------------------------------------------


def plan_of(case: Case) -> list[PlanItem]:
    """The case's plan, with each item's practice and owner (one query)."""
    return list(PlanItem.objects.filter(case=case).select_related("practice", "owner"))


def experiments_for_pages() -> Any:
    """Experiments with their owner, practices and cases (the cases with what the permission
    checks read), in four queries whatever the number of rows."""
    cases = Case.objects.select_related("activism", "unit__parent__parent", "ladder").order_by(
        "activism__name", "pk"
    )
    return Experiment.objects.select_related("owner").prefetch_related(
        "practices", Prefetch("cases", queryset=cases)
    )


def cases_to_reassess(experiment: Experiment) -> list[Case]:
    """The closed experiment's cases that have no official assessment recorded since it was
    closed: the page keeps prompting for them until someone reassesses."""
    if experiment.status != ExperimentStatus.DONE or experiment.closed_at is None:
        return []
    cases = list(experiment.cases.all())
    done = set(
        Assessment.objects.filter(
            case__in=[c.pk for c in cases],
            perspective="official",
            created_at__gte=experiment.closed_at,
        ).values_list("case_id", flat=True)
    )
    return [case for case in cases if case.pk not in done]
