"""Social-media governance (somehallinto): where an official, and a unit, stand on the stairs of
social-media governance, where they aim, and a learning path of practical guidance per level.

Self-assessments are kept as history (progress over time); the unit's view aggregates the latest
assessment of each of its officials beside the unit's own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portaat.ladders.models import LEVELS

LADDER_SLUG = "somehallinto"
NOTE_MAX_LENGTH = 1000


class Guidance(models.Model):
    """Practical guidance for one level of the stairs: what to do there and how to reach the
    next level. Shipped in fi, sv and en; coordinators edit it."""

    level = models.PositiveSmallIntegerField(_("level"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("guidance"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["level"]
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=LEVELS), name="guidance_level_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.title}"


class SelfAssessment(models.Model):
    """An official's (``official``) or a unit's (``unit``) own view of its level now and its
    target; exactly one of the two is set."""

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="somehallinto_assessments",
    )
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="somehallinto_assessments",
    )
    current_level = models.PositiveSmallIntegerField(_("level now"))
    target_level = models.PositiveSmallIntegerField(_("target level"))
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        verbose_name = _("social-media governance self-assessment")
        verbose_name_plural = _("social-media governance self-assessments")
        indexes = [
            models.Index(fields=["official", "-assessed_at"], name="sh_official_latest"),
            models.Index(fields=["unit", "-assessed_at"], name="sh_unit_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(official__isnull=False, unit__isnull=True)
                | models.Q(official__isnull=True, unit__isnull=False),
                name="sh_assessment_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(current_level__gte=1, current_level__lte=LEVELS)
                & models.Q(target_level__gte=1, target_level__lte=LEVELS),
                name="sh_assessment_levels",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official_id or self.unit_id}: {self.current_level} → {self.target_level}"
