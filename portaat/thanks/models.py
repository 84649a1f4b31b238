"""Thanks (kiitos): a civic actor thanks an official or a unit for acting in a way that values
civic action.

A thanks is written by anyone, without an account, and waits for a coordinator before it is
shown on the public wall. The thanker's contact email is for the coordinators only; the wall
shows the name the thanker gave, or nothing ("anonymous"). Officials are offered on the form
only while they allow it (``ThanksProfile``), under the public name they chose there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STORY_MAX_LENGTH = 1000
NAME_MAX_LENGTH = 100
REASON_MAX_LENGTH = 500


class ThanksStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Rejected")


class ThanksProfile(models.Model):
    """An official's choice to be thanked by name, and the name shown to the public.

    Without a profile (or with ``accepts_thanks`` off) the official is not offered on the form,
    and thanks they received earlier show only their unit on the wall.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_profile"
    )
    accepts_thanks = models.BooleanField(_("civic actors may thank me by name"), default=False)
    public_name = models.CharField(
        _("name shown to the public"), max_length=NAME_MAX_LENGTH, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("thanks setting")
        verbose_name_plural = _("thanks settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.public_name}"


class Thanks(models.Model):
    """A short story of thanks to an official (in their unit) or to a whole unit; ``official``
    empty means the unit as a whole was thanked."""

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        null=True,
        blank=True,
        # the thanks stays on the wall (for the unit) when the account is removed
        on_delete=models.SET_NULL,
        related_name="thanks_received",
    )
    # always set: the unit thanked, or the thanked official's unit when the thanks was written
    # (so the unit's report keeps counting it if the official moves on)
    unit = models.ForeignKey(
        "registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="thanks"
    )
    activism = models.ForeignKey(
        "registry.Activism",
        verbose_name=_("activism"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thanks_given",
    )
    story = models.TextField(_("story"), max_length=STORY_MAX_LENGTH)
    # the language of the page the story was written on, for the wall's lang attribute
    language = models.CharField(_("language"), max_length=10, default="fi")
    thanker_name = models.CharField(_("thanker's name"), max_length=NAME_MAX_LENGTH, blank=True)
    contact_email = models.EmailField(_("thanker's email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ThanksStatus.choices, default=ThanksStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # a keyed hash of the sender's IP address, for the per-address rate limit (never the address)
    sender_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thanks")
        verbose_name_plural = _("thanks")
        indexes = [
            # the wall: WHERE status='approved' ORDER BY published_at DESC
            models.Index(fields=["status", "-published_at"], name="thanks_wall_idx"),
            # the rate limit: WHERE sender_key=… AND created_at >= …
            models.Index(fields=["sender_key", "created_at"], name="thanks_rate_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("thanks:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == ThanksStatus.APPROVED

    @property
    def official_public_name(self) -> str:
        """The official's public name while they allow being thanked by name; "" otherwise."""
        if self.official is None:
            return ""
        profile = getattr(self.official, "thanks_profile", None)
        if profile is None or not profile.accepts_thanks:
            return ""
        return str(profile.public_name)


class ModerationAction(models.TextChoices):
    # the verb of "%(time)s: %(who)s %(action)s the thanks."
    APPROVED = "approved", pgettext_lazy("thanks moderation: what the moderator did", "published")
    REJECTED = "rejected", pgettext_lazy("thanks moderation: what the moderator did", "rejected")


class ModerationEntry(models.Model):
    """The audit trail of moderation: who published or rejected which thanks, when and why."""

    thanks = models.ForeignKey(Thanks, on_delete=models.CASCADE, related_name="moderation_log")
    action = models.CharField(_("action"), max_length=20, choices=ModerationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("moderation entry")
        verbose_name_plural = _("moderation entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} #{self.thanks_id}"
