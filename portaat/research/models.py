"""Researchers' projects (citizen science) linked to cases, and the audit of their downloads.

A project states the level of collaboration on the stairs it aims at; a coordinator grants it
datasets (activisms, cases, assessments, posts) until a date. Its members download only those,
pseudonymised with the project's own secret, so two projects' exports cannot be joined.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portaat.ladders.models import LEVELS


class Dataset(models.TextChoices):
    ACTIVISMS = "activisms", _("Activisms")
    CASES = "cases", _("Cases")
    ASSESSMENTS = "assessments", _("Assessments")
    POSTS = "posts", _("Posts")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


def new_secret() -> str:
    return secrets.token_hex(32)


class ResearchProject(models.Model):
    """A research project on some cases; only granted datasets may be downloaded."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=4000)
    organisation = models.CharField(_("organisation"), max_length=200)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead researcher"),
        on_delete=models.PROTECT,
        related_name="led_research_projects",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="research_projects",
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), related_name="research_projects"
    )
    intended_level = models.PositiveSmallIntegerField(
        _("intended level of collaboration"),
        validators=[MinValueValidator(1), MaxValueValidator(LEVELS)],
        help_text=_("The level of collaboration on the stairs the project aims at (1–8)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    datasets = models.JSONField(_("granted datasets"), default=list, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"), null=True, blank=True)
    access_until = models.DateField(_("access until"), null=True, blank=True)
    # keys the project's pseudonyms; never shown, never exported
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(intended_level__gte=1, intended_level__lte=LEVELS),
                name="research_intended_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:detail", args=[self.pk])

    @property
    def granted(self) -> list[str]:
        """The granted datasets, in the order of ``Dataset``."""
        chosen = set(self.datasets or [])
        return [d.value for d in Dataset if d.value in chosen]


class ExportLog(models.Model):
    """One download of an export: who, what, when and how many rows (an audit trail)."""

    project = models.ForeignKey(
        ResearchProject,
        verbose_name=_("research project"),
        on_delete=models.CASCADE,
        related_name="exports",
    )
    dataset = models.CharField(_("dataset"), max_length=20, choices=Dataset.choices)
    format = models.CharField(_("format"), max_length=10)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("downloaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("downloaded"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("research export")
        verbose_name_plural = _("research exports")

    def __str__(self) -> str:
        return f"{self.project_id} {self.dataset}.{self.format} {self.at:%Y-%m-%d %H:%M}"
