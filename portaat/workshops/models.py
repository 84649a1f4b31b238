"""Live stairs workshops: a facilitator puts cases on the stairs, participants place them.

Participants need no account: joining a workshop creates a ``Participant`` whose id travels
in a signed cookie. Each participant has at most one ``Answer`` per case; changing it updates
that row, so the room's distribution is always one vote per person.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portaat.ladders.models import LEVELS

# 32 symbols without the look-alikes 0/O and 1/I/L: 8 symbols carry 40 bits, so guessing one
# open code among a thousand open workshops takes ~10^9 tries on average.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a participant typed (``abcd-efgh``, ``ABCD EFGH``) as the stored code."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[: CODE_LENGTH + 4]


class WorkshopState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class ParticipantRole(models.TextChoices):
    OFFICIAL = "official", _("Official")
    ACTIVIST = "activist", _("Activist")
    RESIDENT = "resident", _("Resident")
    RESEARCHER = "researcher", _("Researcher")
    OTHER = "other", _("Other")


class Workshop(models.Model):
    title = models.CharField(_("title"), max_length=200)
    code = models.CharField(_("join code"), max_length=16, unique=True, default=new_code)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
    )
    max_participants = models.PositiveIntegerField(_("largest number of participants"))
    expires_at = models.DateTimeField(_("open until"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # when the participants' names and comments were deleted (PORTAAT_WORKSHOP_RETENTION_DAYS)
    anonymised_at = models.DateTimeField(_("names and comments deleted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", args=[self.pk])

    @property
    def state(self) -> str:
        if self.closed_at is not None:
            return WorkshopState.CLOSED
        if self.expires_at <= timezone.now():
            return WorkshopState.EXPIRED
        return WorkshopState.OPEN

    @property
    def is_open(self) -> bool:
        return self.state == WorkshopState.OPEN

    @property
    def state_label(self) -> str:
        return str(WorkshopState(self.state).label)

    @property
    def display_code(self) -> str:
        half = len(self.code) // 2
        return f"{self.code[:half]}-{self.code[half:]}"

    def join_path(self) -> str:
        return reverse("join:workshop", args=[self.code])


class WorkshopCase(models.Model):
    """One case on a workshop's agenda, its lock, and the outcome the room agreed on."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="items"
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="workshop_items",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    assessment = models.ForeignKey(
        "cases.Assessment",
        verbose_name=_("recorded assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["workshop", "position", "pk"]
        verbose_name = _("workshop case")
        verbose_name_plural = _("workshop cases")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "case"], name="workshop_case_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop} · {self.case}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Participant(models.Model):
    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    number = models.PositiveIntegerField(_("number"))
    display_name = models.CharField(_("name"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    language = models.CharField(_("language"), max_length=5)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # a fixed window rate limit: answers accepted since window_start
    window_start = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["workshop", "number"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "number"], name="workshop_participant_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.display_name or f"#{self.number}"


class Answer(models.Model):
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    item = models.ForeignKey(
        WorkshopCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="answers"
    )
    current_level = models.PositiveSmallIntegerField(_("now"), null=True, blank=True)
    target_level = models.PositiveSmallIntegerField(_("target"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    comment_hidden = models.BooleanField(_("comment hidden"), default=False)
    updated_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["item", "updated_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["participant", "item"], name="workshop_answer_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(current_level__isnull=True)
                    | models.Q(current_level__gte=1, current_level__lte=LEVELS)
                )
                & (
                    models.Q(target_level__isnull=True)
                    | models.Q(target_level__gte=1, target_level__lte=LEVELS)
                ),
                name="workshop_answer_levels_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.item}"
