"""Project-wide models that belong to no single domain app."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notification; the email digest sends the ones not yet emailed.

    ``key`` names the thing notified about (e.g. ``reassess:case:12:2026-11``): reminder tasks
    create notifications with ``get_or_create`` on it, so a task that runs twice, or a worker
    that dies and is retried, never notifies twice about the same item.
    The text is built at display time from ``kind`` and ``params``, in the reader's language.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_item"),
        ]
        indexes = [
            # the digest: WHERE emailed_at IS NULL, per user
            models.Index(fields=["user", "emailed_at"], name="notification_digest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"


class EmailDigest(models.TextChoices):
    OFF = "off", _("Never")
    DAILY = "daily", _("Once a day")
    WEEKLY = "weekly", _("Once a week (on Mondays)")


class NotificationSettings(models.Model):
    """A user's choices about notifications: how often the email digest comes, and the
    language it is written in (the language the user last used on the notification pages), and
    whether the unit's coordinator hears of the thanks the user receives."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_digest = models.CharField(
        _("email digest"), max_length=10, choices=EmailDigest.choices, default=EmailDigest.DAILY
    )
    # Empty until the user has visited the notification pages; the digest then uses Finnish.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Off by default: a thanks is the official's own; they choose whether their manager hears.
    thanks_to_manager = models.BooleanField(
        _("also notify my unit's coordinator when I am thanked"), default=False
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_digest}"


class Heartbeat(models.Model):
    """The last time a named background process proved it was alive."""

    name = models.CharField(max_length=40, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, name: str) -> datetime:
        now = timezone.now()
        cls.objects.update_or_create(name=name, defaults={"seen_at": now})
        return now


class ApiKey(models.Model):
    """A key an integration sends as ``Authorization: Token <key>``; it acts as its account.

    Only a SHA-256 digest of the key is stored: the key itself is shown once, when it is made
    (``portaat.api.keys.create``), and cannot be read back from the database, a backup or the
    admin. The keys are 240 random bits, so a plain hash is enough (no salt or slow hash: those
    protect guessable passwords). ``prefix`` is the key's start, to tell keys apart in lists.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
