"""Project-wide models that belong to no single domain app."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone


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
