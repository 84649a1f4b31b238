"""Rapid-response citizen crowds: volunteers, calls, the delivery outbox and responses.

The outbox is the heart of it (docs/decisions/0006-crowd-outbox.md): sending a call writes one
``Delivery`` row per volunteer × channel in the same transaction that marks the call sent;
workers claim rows with a lease and record each send in the row, so a worker killed mid-send
neither loses a message nor sends one twice (see ``dispatch.py`` for the exact protocol).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Short codes that volunteers type in SMS replies: no look-alikes (0/O, 1/I/L), 4 symbols.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 4


def new_call_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")
    PUSH = "push", _("Web Push notification")
    TELEGRAM = "telegram", _("Telegram")


class Availability(models.TextChoices):
    ANY = "any", _("Any time")
    DAYTIME = "daytime", _("Weekdays in daytime")
    EVENINGS = "evenings", _("Evenings and weekends")


class ConsentText(models.Model):
    """One version of the consent a volunteer gives; a new version is a new row, never an edit
    of an old one, so every volunteer's consent can be shown as it was when they gave it."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_fi = models.TextField(_("text (Finnish)"))
    text_sv = models.TextField(_("text (Swedish)"))
    text_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")

    def __str__(self) -> str:
        return f"v{self.version}"

    def text(self, language: str | None = None) -> str:
        language = language or get_language() or "fi"
        return str(getattr(self, f"text_{language[:2]}", "") or self.text_fi)


class Skill(models.Model):
    """A configurable list: first aid, chainsaw, car, languages …"""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=120)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        language = language or get_language() or "fi"
        return str(getattr(self, f"name_{language[:2]}", "") or self.name_fi)


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class Volunteer(models.Model):
    """A resident who opted in to rapid-response calls. No account: the volunteer manages
    their data through a personal link carrying ``secret`` (rotated when they ask)."""

    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)  # E.164
    telegram_chat_id = models.CharField(_("Telegram chat"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=5, default="fi")
    # channels in the order the volunteer wants them tried (escalation goes down this list)
    channels = models.JSONField(_("channels"), default=list)
    areas = models.ManyToManyField(
        "registry.Area", verbose_name=_("areas"), related_name="volunteers", blank=True
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), related_name="volunteers", blank=True
    )
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, default=Availability.ANY
    )
    consent = models.ForeignKey(
        ConsentText, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="+"
    )
    consented_at = models.DateTimeField(_("consent given"))
    confirmed_at = models.DateTimeField(_("last confirmed"))
    reminded_at = models.DateTimeField(_("reminded to confirm"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    telegram_link_token = models.CharField(
        max_length=64, unique=True, default=new_secret, editable=False
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        indexes = [models.Index(fields=["phone"], name="volunteer_phone_idx")]

    def __str__(self) -> str:
        return f"volunteer {self.pk}"

    def get_manage_url(self) -> str:
        return reverse("crowds:volunteer_manage", args=[self.secret])


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    STOOD_DOWN = "stood_down", _("Stood down")
    CANCELLED = "cancelled", _("Cancelled")


class Severity(models.TextChoices):
    """CAP 1.2 severity (the call's own urgency is always "Immediate")."""

    EXTREME = "Extreme", _("Extreme")
    SEVERE = "Severe", _("Severe")
    MODERATE = "Moderate", _("Moderate")
    MINOR = "Minor", _("Minor")


class CapCategory(models.TextChoices):
    """A subset of the CAP 1.2 categories that fit volunteer calls."""

    SAFETY = "Safety", _("General safety")
    RESCUE = "Rescue", _("Rescue and recovery")
    ENV = "Env", _("Environment")
    MET = "Met", _("Weather")
    INFRA = "Infra", _("Infrastructure")
    HEALTH = "Health", pgettext_lazy("CAP category of a call", "Health")
    OTHER = "Other", _("Other")


class Call(models.Model):
    """A call for help. The place is a point with a radius, or areas, or both (the reach is the
    union: volunteers whose areas lie in the circle or are among the call's areas)."""

    title = models.CharField(_("title"), max_length=160)
    instructions_fi = models.TextField(_("instructions (Finnish)"))
    instructions_sv = models.TextField(_("instructions (Swedish)"), blank=True)
    instructions_en = models.TextField(_("instructions (English)"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (metres)"), null=True, blank=True)
    areas = models.ManyToManyField(
        "registry.Area", verbose_name=_("areas"), related_name="calls", blank=True
    )
    address = models.CharField(_("meeting point"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    respond_by = models.DateTimeField(_("answer by"))
    needed = models.PositiveIntegerField(_("people needed"))
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills needed"), related_name="calls", blank=True
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MODERATE
    )
    category = models.CharField(
        _("category"), max_length=10, choices=CapCategory.choices, default=CapCategory.SAFETY
    )
    channels = models.JSONField(_("channels"), default=list)
    # volunteers who have not answered after this many minutes get the call on their next channel
    escalate_after_minutes = models.PositiveIntegerField(_("escalate after (minutes)"), default=15)
    code = models.CharField(_("reply code"), max_length=8, unique=True, default=new_call_code)
    status = models.CharField(
        _("status"), max_length=12, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="crowd_calls",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("stood down or cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        permissions = [("run_calls", _("Can create and send rapid-response calls"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("crowds:call_detail", args=[self.pk])

    def instructions(self, language: str | None = None) -> str:
        language = language or get_language() or "fi"
        return str(getattr(self, f"instructions_{language[:2]}", "") or self.instructions_fi)

    @property
    def is_open(self) -> bool:
        """Answers are taken while the call is sent and has not ended."""
        return self.status == CallStatus.SENT and timezone.now() < self.ends_at


class MessageKind(models.TextChoices):
    ALERT = "alert", _("Call")
    UPDATE = "update", _("Update")
    STAND_DOWN = "stand_down", _("Stand-down")
    CANCEL = "cancel", _("Cancellation")
    ENOUGH = "enough", _("Enough people")
    REMINDER = "reminder", _("Reminder to confirm")
    PLACE = "place", _("A place opened")


class CallMessage(models.Model):
    """One thing said to volunteers about a call: the call itself, an update, a stand-down …
    Each is fanned out once; deliveries are unique per message × volunteer × channel."""

    call = models.ForeignKey(
        Call, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    text_fi = models.TextField(blank=True)
    text_sv = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    def text(self, language: str | None = None) -> str:
        language = language or get_language() or "fi"
        return str(getattr(self, f"text_{language[:2]}", "") or self.text_fi)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CLAIMED = "claimed", _("Being sent")
    SENDING = "sending", _("Handed to the provider")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    UNCERTAIN = "uncertain", _("Uncertain (a worker stopped while sending)")
    SKIPPED = "skipped", _("Not sent")


class Delivery(models.Model):
    """The outbox: one row per message × volunteer × channel.

    ``pending`` → a worker claims it (``claimed``, with ``lease_until``) → either ``sent``
    (email: recorded before the SMTP server is told to accept the message, see dispatch.py) or,
    for HTTP providers, ``sending`` (recorded before the request) → ``sent`` / ``failed``.
    A ``claimed`` row whose lease ran out was never handed to anybody and is claimed again; a
    ``sending`` row whose lease ran out may or may not have reached the provider, so it becomes
    ``uncertain`` (never re-sent automatically) unless the transport's provider removes
    duplicates by our reference.
    """

    message = models.ForeignKey(CallMessage, on_delete=models.CASCADE, related_name="deliveries")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=80, blank=True)
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider_id = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "volunteer", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
            models.Index(fields=["channel", "provider_id"], name="delivery_provider_idx"),
            # the claim's scan: only the rows still waiting (sent rows pile up, these do not)
            models.Index(
                fields=["channel", "next_attempt_at"],
                name="delivery_waiting_idx",
                condition=models.Q(status__in=["pending", "claimed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.pk} {self.status}"


class Answer(models.TextChoices):
    COMING = "coming", _("Coming")
    NOT_COMING = "not_coming", _("Not coming")
    ARRIVED = "arrived", _("Arrived")


class Response(models.Model):
    """A volunteer's current answer to a call: one row per call × volunteer, so duplicates fold
    and a change of mind updates it. ``waitlisted``: said "coming" after enough people had."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="responses")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="responses")
    answer = models.CharField(max_length=12, choices=Answer.choices)
    waitlisted = models.BooleanField(default=False)
    via = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "volunteer"], name="response_once_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.volunteer_id}: {self.answer}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (removed when the push service says 404/410)."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"push {self.pk}"


class AuditEntry(models.Model):
    """Who created, sent, updated, stood down and cancelled what (never contact data)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    call = models.ForeignKey(
        Call, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        return str(AUDIT_ACTIONS.get(self.action, self.action))


AUDIT_ACTIONS = {
    "created": _("created"),
    "edited": _("edited the draft"),
    "sent": _("sent"),
    "updated": _("sent an update"),
    "stood_down": _("stood down"),
    "cancelled": _("cancelled"),
    "cap_exported": _("downloaded as CAP"),
}


class InboundMessage(models.Model):
    """A reply, receipt or update a provider sent us. Unique per channel × provider id, so a
    webhook the provider retries is processed once."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=10)  # reply | receipt | update
    provider_id = models.CharField(max_length=120)
    outcome = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "kind", "provider_id"], name="inbound_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} {self.provider_id}"
