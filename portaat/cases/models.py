"""Cases (an activism, a unit and a ladder), their assessments over time, and interactions.

Each assessment is one perspective's view at one date: where the cooperation is now, and where
it should be. A target below the current level is allowed (higher is not always better) but
must say why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portaat.ladders.models import LEVELS, STAGES


class Case(models.Model):
    activism = models.ForeignKey(
        "registry.Activism",
        verbose_name=_("activism"),
        on_delete=models.CASCADE,
        related_name="cases",
    )
    unit = models.ForeignKey(
        "registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases"
    )
    ladder = models.ForeignKey(
        "ladders.Ladder", verbose_name=_("ladder"), on_delete=models.PROTECT, related_name="cases"
    )
    positions_public = models.BooleanField(
        _("show positions publicly"),
        default=False,
        help_text=_("Show the current and target levels on the activism's public page."),
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Seen only by the unit's members.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["activism__name"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["activism", "unit", "ladder"], name="case_unique_activism_unit_ladder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activism} · {self.unit} · {self.ladder}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])


class Perspective(models.TextChoices):
    OFFICIAL = "official", _("Officials")
    ACTIVIST = "activist", _("Activists")
    RESEARCHER = "researcher", _("Researchers")
    WORKSHOP = "workshop", _("Workshop")


class Assessment(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective.choices)
    current_level = models.PositiveSmallIntegerField(_("current level"))
    target_level = models.PositiveSmallIntegerField(_("target level"))
    rationale = models.TextField(_("rationale"), blank=True)
    # e.g. a workshop's distribution of answers: {"current": {"2": 5, …}, "target": {…}}
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            # latest assessment per case and perspective (case page, dashboard)
            models.Index(
                fields=["case", "perspective", "-assessed_on", "-created_at"],
                name="assessment_latest_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(current_level__gte=1, current_level__lte=LEVELS)
                & models.Q(target_level__gte=1, target_level__lte=LEVELS),
                name="assessment_levels_range",
            ),
            models.CheckConstraint(
                condition=models.Q(target_level__gte=models.F("current_level"))
                | ~models.Q(rationale=""),
                name="assessment_lower_target_has_rationale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.assessed_on}: {self.current_level} → {self.target_level}"


class InteractionKind(models.TextChoices):
    EVENT = "event", _("Met at an event")
    GROUP = "group", _("Discussed in their group")
    INFORMATION = "information", _("Gave information")
    MEETING = "meeting", _("Meeting")
    SUPPORT = "support", _("Gave support")
    OTHER = "other", _("Other")


class Interaction(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="interactions"
    )
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=InteractionKind.choices)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self) -> str:
        return f"{self.case} {self.happened_on}: {self.kind}"


class UnitGoal(models.Model):
    """A unit's written goal, dated; the maturity estimate asks whether goals name activisms."""

    unit = models.ForeignKey(
        "registry.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="goals"
    )
    set_on = models.DateField(_("date"))
    text = models.TextField(_("goal"))
    activisms = models.ManyToManyField(
        "registry.Activism", verbose_name=_("activisms named"), blank=True, related_name="goals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-set_on", "-created_at"]
        verbose_name = _("unit goal")
        verbose_name_plural = _("unit goals")

    def __str__(self) -> str:
        return f"{self.unit} {self.set_on}"


class MaturityJudgement(models.Model):
    """The unit's own view of its stage, recorded beside the computed estimate; kept as history."""

    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="maturity_judgements",
    )
    judged_on = models.DateField(_("date"))
    stage = models.PositiveSmallIntegerField(_("stage"))
    estimated_stage = models.PositiveSmallIntegerField(_("estimated stage at the time"))
    rationale = models.TextField(_("rationale"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-judged_on", "-created_at"]
        verbose_name = _("maturity judgement")
        verbose_name_plural = _("maturity judgements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__gte=1, stage__lte=STAGES)
                & models.Q(estimated_stage__gte=1, estimated_stage__lte=STAGES),
                name="judgement_stage_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.judged_on}: {self.stage}"
