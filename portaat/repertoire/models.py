"""The repertoire of practices, plans from the current to the target level, and experiments.

Hybrid governance "develops case by case, experimenting and learning": every step of every
ladder is a practice at its level (built in), officials add their own, plan them for a case,
try them in experiments, and record what happened so the next unit can learn from it.
"""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portaat.ladders.models import LEVELS


class ActionType(models.TextChoices):
    RECOGNISE = "recognise", _("Recognise and support")
    DEVELOP = "develop", _("Develop, spread and scale")
    COORDINATE = "coordinate", _("Coordinate and integrate")
    EXPERIMENT = "experiment", _("Experiment and learn")


class Practice(models.Model):
    """A way of working with an activism, at one level or a range of levels of the stairs."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level_from = models.PositiveSmallIntegerField(_("lowest level"))
    level_to = models.PositiveSmallIntegerField(_("highest level"))
    ladders = models.ManyToManyField(
        "ladders.Ladder", verbose_name=_("ladders"), blank=True, related_name="practices"
    )
    action_type = models.CharField(_("action type"), max_length=20, choices=ActionType.choices)
    resources = models.TextField(_("resources needed"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    legal_notes = models.TextField(_("legal notes"), blank=True)
    examples = models.TextField(_("examples"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    # A built-in practice is a ladder's own step; its texts follow the step on every release.
    step = models.OneToOneField(
        "ladders.Step",
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="practice",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["level_from", "level_to", "title"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level_from__gte=1, level_to__lte=LEVELS)
                & models.Q(level_from__lte=models.F("level_to")),
                name="practice_levels_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_builtin(self) -> bool:
        return self.step_id is not None

    def covers(self, level: int) -> bool:
        return self.level_from <= level <= self.level_to


class PlanStatus(models.TextChoices):
    TODO = "todo", _("To do")
    DOING = "doing", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanItem(models.Model):
    """One chosen practice in a case's plan from its current to its target level."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="plan_items"
    )
    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.PROTECT, related_name="plan_items"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.TODO
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.UniqueConstraint(fields=["case", "practice"], name="plan_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.practice}"


class ExperimentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    ABANDONED = "abandoned", _("Abandoned")


class Outcome(models.TextChoices):
    WORKED = "worked", _("Worked")
    PARTLY = "partly", _("Partly worked")
    FAILED = "failed", _("Did not work")


class Experiment(models.Model):
    """Trying practices in cases, with a hypothesis, a measure of success, and lessons."""

    title = models.CharField(_("title"), max_length=200)
    hypothesis = models.TextField(_("hypothesis"))
    success_criteria = models.TextField(_("what counts as success"), blank=True)
    practices = models.ManyToManyField(
        Practice, verbose_name=_("practices"), related_name="experiments"
    )
    cases: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), related_name="experiments"
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ExperimentStatus.choices,
        default=ExperimentStatus.PLANNED,
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experiments",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="experiment_ends_after_start",
            ),
            # a finished experiment has an outcome; one that is not finished has none yet
            models.CheckConstraint(
                condition=(models.Q(status="done") & ~models.Q(outcome=""))
                | (~models.Q(status="done") & models.Q(outcome="")),
                name="experiment_outcome_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def attachment_upload_to(instance: ExperimentAttachment, filename: str) -> str:
    """``experiments/<experiment id>/<random hex><.ext>``: never the uploader's file name, so a
    name cannot collide, traverse directories or reveal anything on disk or in a backup. Only
    the (already checked) extension is kept from ``filename``."""
    extension = PurePath(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", extension):
        extension = ""
    return f"experiments/{instance.experiment_id}/{uuid.uuid4().hex}{extension}"


class ExperimentAttachment(models.Model):
    """A file kept as evidence of an experiment: a report, photos, a spreadsheet of results.

    Files live in the private ``default`` storage and are served only by the access-checked
    download view; the uploader's file name is kept for display and for the download's name.
    Write through ``services.add_attachment`` / ``services.delete_attachment``, which check the
    type, size and scan and keep the storage and the rows in step."""

    experiment = models.ForeignKey(
        Experiment,
        verbose_name=_("experiment"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_filename = models.CharField(_("file name"), max_length=255)
    title = models.CharField(_("title"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.title or self.original_filename
