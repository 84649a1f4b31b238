"""Initiatives and other ways forward.

When a good citizen initiative misses the grant it applied for, officials help it find other
ways (the packet's advice to officials). An activism posts the ``Initiative``; the city keeps a
catalogue of ``Opportunity`` entries (other grants, crowdfunding, premises, sponsors, city
programmes) with deadlines, amounts, domains and areas; an official proposes an opportunity to
the initiative (``Match``), and the match's status is followed until it is granted or not.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# the largest amount accepted in euros: above any municipal grant, below what would overflow
MAX_AMOUNT = 100_000_000


class OpportunityKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    CROWDFUNDING = "crowdfunding", _("Crowdfunding")
    PREMISES = "premises", _("Premises")
    SPONSOR = "sponsor", _("Sponsor")
    PROGRAMME = "programme", _("City programme")
    OTHER = "other", _("Other")


class Opportunity(models.Model):
    """One way forward in the catalogue. No domains: any domain; no areas: anywhere."""

    #: the fields an official edits on the opportunity form (besides domains and areas)
    EDITABLE = (
        "kind",
        "title",
        "provider",
        "description",
        "url",
        "amount_min",
        "amount_max",
        "deadline",
        "is_active",
    )

    kind = models.CharField(_("kind"), max_length=20, choices=OpportunityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("offered by"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    amount_min = models.PositiveIntegerField(
        _("smallest amount (€)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AMOUNT)],
    )
    amount_max = models.PositiveIntegerField(
        _("largest amount (€)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AMOUNT)],
    )
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("Empty: one can apply at any time.")
    )
    domains: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "ladders.Ladder",
        verbose_name=_("domains"),
        blank=True,
        related_name="opportunities",
        help_text=_("Empty: open to every domain."),
    )
    areas: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "registry.Area",
        verbose_name=_("areas"),
        blank=True,
        related_name="opportunities",
        help_text=_("Empty: open everywhere."),
    )
    is_active = models.BooleanField(
        _("in the catalogue"),
        default=True,
        help_text=_("Uncheck to hide the opportunity without deleting its matches."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_min__isnull=True)
                | models.Q(amount_max__isnull=True)
                | models.Q(amount_min__lte=models.F("amount_max")),
                name="opportunity_amounts_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:opportunity", args=[self.pk])


class InitiativeStatus(models.TextChoices):
    OPEN = "open", _("Looking for a way forward")
    UNDER_WAY = "under_way", _("Applying")
    REALISED = "realised", _("Went ahead")
    CLOSED = "closed", _("Closed")


class Initiative(models.Model):
    """A citizen initiative of an activism that did not get the grant it applied for."""

    activism = models.ForeignKey(
        "registry.Activism",
        verbose_name=_("activism"),
        on_delete=models.CASCADE,
        related_name="initiatives",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the initiative is about"))
    missed_grant = models.CharField(
        _("the grant it applied for"),
        max_length=200,
        blank=True,
        help_text=_("For example: City of Helsinki participatory budget 2026."),
    )
    amount_sought = models.PositiveIntegerField(
        _("money needed (€)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AMOUNT)],
        help_text=_("Empty if the initiative needs something else than money."),
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    domains: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "ladders.Ladder", verbose_name=_("domains"), blank=True, related_name="initiatives"
    )
    areas: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "registry.Area", verbose_name=_("areas"), blank=True, related_name="initiatives"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", args=[self.pk])


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPLYING = "applying", _("Applying")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Not granted")
    WITHDRAWN = "withdrawn", _("Not pursued")


class Match(models.Model):
    """An opportunity proposed to an initiative, and how it went. ``history`` keeps each status
    change as ``{"status", "at", "by"}`` (user id)."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="matches"
    )
    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        on_delete=models.PROTECT,
        related_name="matches",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    reasons = models.JSONField(_("why it fits"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "opportunity"], name="match_once_per_opportunity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.opportunity}"
