"""Ladders (the stairs), their eight steps, and the five-stage relationship model.

Texts are translated with django-modeltranslation (``portaat/ladders/translation.py``), which
adds ``<field>_fi``, ``<field>_sv`` and ``<field>_en`` columns beside each field listed there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

LEVELS = 8
STAGES = 5


class LadderKind(models.TextChoices):
    COOPERATION = "cooperation", _("Stairs of hybrid governance")
    SOCIAL_MEDIA = "social_media", _("Stairs of social-media governance")


class Ladder(models.Model):
    """A ladder of eight cooperation levels for one domain (city planning, REKO rings …).

    Built-in ladders ship with the product and are upgraded by ``portaat init``; custom ones
    are copies a coordinator made and may edit. Always exactly eight steps, so cases stay
    comparable across domains.
    """

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=LadderKind.choices, default=LadderKind.COOPERATION
    )
    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(_("domain"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source_note = models.TextField(_("source"), blank=True)
    is_builtin = models.BooleanField(_("built-in"), default=False, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-is_builtin", "position", "slug"]
        verbose_name = _("ladder")
        verbose_name_plural = _("ladders")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ladders:detail", args=[self.slug])


class Step(models.Model):
    """One of a ladder's eight levels; level 1 is the lowest (fully apart)."""

    ladder = models.ForeignKey(
        Ladder, verbose_name=_("ladder"), on_delete=models.CASCADE, related_name="steps"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["ladder", "level"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["ladder", "level"], name="step_level_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=LEVELS), name="step_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}. {self.title}"


class Stage(models.Model):
    """One of the five stages of the relationship between activisms and an administration."""

    number = models.PositiveSmallIntegerField(_("stage"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=STAGES), name="stage_number_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"
