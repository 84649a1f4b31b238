"""Events to go to: upcoming events from Helsinki's Linked Events API, who from the administration
is going, and the notes officials write afterwards (each logged as an interaction on a case)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    # the values of Linked Events' ``event_status`` (schema.org EventStatusType)
    SCHEDULED = "EventScheduled", _("Scheduled")
    CANCELLED = "EventCancelled", _("Cancelled")
    POSTPONED = "EventPostponed", _("Postponed")
    RESCHEDULED = "EventRescheduled", _("Rescheduled")


class Event(models.Model):
    """One event as last fetched from Linked Events; ``source_id`` is its id there."""

    source_id = models.CharField(_("identifier in the source"), max_length=200, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=500, blank=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=500, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_time = models.DateTimeField(_("starts"), null=True, blank=True)
    end_time = models.DateTimeField(_("ends"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=300, blank=True)
    street_address = models.CharField(_("street address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    divisions = models.JSONField(_("divisions"), default=list, blank=True)
    areas: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "registry.Area", verbose_name=_("areas"), blank=True, related_name="events"
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    info_url = models.URLField(_("web page"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    activism = models.ForeignKey(
        "registry.Activism",
        verbose_name=_("activism"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    fetched_at = models.DateTimeField(_("fetched"))

    class Meta:
        ordering = ["start_time", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["start_time"], name="events_event_start")]

    def __str__(self) -> str:
        return self.name_fi or self.name_sv or self.name_en or self.source_id

    def display_name(self, language: str | None) -> str:
        """The name in the reader's language, else Finnish, Swedish, English."""
        own = {"fi": self.name_fi, "sv": self.name_sv, "en": self.name_en}.get(language or "")
        return own or self.name_fi or self.name_sv or self.name_en or self.source_id


class Attendance(models.Model):
    """A member of the administration going to an event ("I'll go")."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="event_attendances",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event}"


class EventNote(models.Model):
    """A note written after an event; its text lives in the case's interaction."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="notes"
    )
    interaction = models.OneToOneField(
        "cases.Interaction",
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="event_note",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("event note")
        verbose_name_plural = _("event notes")

    def __str__(self) -> str:
        return f"{self.event}: {self.interaction}"
