"""Activity figures: periodic numbers an activism reports for the city's statistics (the stairs
name "REKO rings as objects of statistics" and "knowledge on the use of lending services").

Which figures are asked depends on the kind of activism (``Metric``); one report per activism
and month (``FigureReport``); activism members report through a personal link that needs no
account (``FigureLink``), officials on the activism's figures page.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.Model):
    """One figure asked monthly from activisms of a kind (``kind`` empty: from every kind that
    has no figures of its own)."""

    kind = models.ForeignKey(
        "registry.ActivismKind",
        verbose_name=_("kind of activism"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="metrics",
    )
    key = models.SlugField(_("identifier"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    decimals = models.BooleanField(_("decimals allowed"), default=False)
    maximum = models.PositiveIntegerField(_("largest accepted value"), default=100_000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["kind_id", "order", "key"]
        verbose_name = _("activity figure")
        verbose_name_plural = _("activity figures")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="metric_unique_per_kind"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(kind__isnull=True), name="metric_unique_generic"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class FigureLink(models.Model):
    """A personal link for an activism's members: anyone holding it reports the activism's
    figures without an account, until an official revokes it."""

    activism = models.ForeignKey(
        "registry.Activism",
        verbose_name=_("activism"),
        on_delete=models.CASCADE,
        related_name="figure_links",
    )
    label = models.CharField(_("whose link"), max_length=100)
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal link for figures")
        verbose_name_plural = _("personal links for figures")

    def __str__(self) -> str:
        return self.label


class FigureReport(models.Model):
    """The figures of one activism for one month; ``values`` maps metric keys to numbers."""

    activism = models.ForeignKey(
        "registry.Activism",
        verbose_name=_("activism"),
        on_delete=models.CASCADE,
        related_name="figure_reports",
    )
    period = models.DateField(_("month"))
    values = models.JSONField(_("figures"), default=dict)
    link = models.ForeignKey(
        FigureLink,
        verbose_name=_("reported through"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("reported"), auto_now_add=True)
    corrections = models.JSONField(_("earlier figures"), default=list, blank=True)

    class Meta:
        ordering = ["activism_id", "period"]
        verbose_name = _("figure report")
        verbose_name_plural = _("figure reports")
        constraints = [
            models.UniqueConstraint(fields=["activism", "period"], name="figures_one_per_month"),
            models.CheckConstraint(condition=models.Q(period__day=1), name="figures_month_start"),
        ]

    def __str__(self) -> str:
        return f"{self.activism_id} {self.period:%Y-%m}"
