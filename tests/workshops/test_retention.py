"""Retention: participants' names and comments are deleted a set time after a workshop ends;
levels, roles and recorded outcomes stay. Tested with a controlled clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portaat.cases.models import Assessment
from portaat.workshops import services, tasks
from portaat.workshops.models import Answer, Participant, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(workshop: Workshop, official: Any) -> Workshop:
    item = workshop.items.first()
    for name, comment in (("Aino", "Tavataan kirjastolla"), ("", "")):
        participant = services.join(workshop, display_name=name, role="resident", language="fi")
        services.answer(participant, item, current_level=3, target_level=5, comment=comment)
    services.record_outcome(item, current_level=3, target_level=5, rationale="", by=official)
    return workshop


def test_names_and_comments_go_after_the_retention_period(
    answered: Workshop, settings: Any, official: Any
) -> None:
    settings.PORTAAT_WORKSHOP_RETENTION_DAYS = 90
    services.close_workshop(answered)
    closed = Workshop.objects.get(pk=answered.pk).closed_at
    assert closed is not None
    before = services.summarise(list(answered.items.all()))
    details = Assessment.objects.get(perspective="workshop").details

    assert services.anonymise_ended_workshops(now=closed + dt.timedelta(days=89)) == 0
    assert Participant.objects.filter(display_name="Aino").exists()

    later = closed + dt.timedelta(days=91)
    assert services.anonymise_ended_workshops(now=later) == 1
    assert not Participant.objects.exclude(display_name="").exists()
    assert not Answer.objects.exclude(comment="").exists()
    assert Workshop.objects.get(pk=answered.pk).anonymised_at == later
    # the levels, roles and the recorded outcome are untouched
    after = services.summarise(list(answered.items.all()))
    assert {pk: s.as_details() for pk, s in after.items()} == {
        pk: s.as_details() for pk, s in before.items()
    }
    assert Assessment.objects.get(perspective="workshop").details == details
    # a second run does nothing
    assert services.anonymise_ended_workshops(now=later + dt.timedelta(days=1)) == 0
    client = Client()
    client.force_login(official)
    page = client.get(reverse("workshops:summary", args=[answered.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "names and comments were deleted" in page.content.decode()
    assert "Tavataan kirjastolla" not in page.content.decode()


def test_an_expired_workshop_counts_from_its_end(answered: Workshop, settings: Any) -> None:
    settings.PORTAAT_WORKSHOP_RETENTION_DAYS = 30
    end = Workshop.objects.get(pk=answered.pk).expires_at
    assert services.anonymise_ended_workshops(now=end + dt.timedelta(days=29)) == 0
    assert services.anonymise_ended_workshops(now=end + dt.timedelta(days=31)) == 1


def test_an_open_workshop_and_a_zero_setting_keep_everything(
    answered: Workshop, settings: Any
) -> None:
    settings.PORTAAT_WORKSHOP_RETENTION_DAYS = 1
    assert services.anonymise_ended_workshops(now=timezone.now()) == 0  # still open
    settings.PORTAAT_WORKSHOP_RETENTION_DAYS = 0
    far = timezone.now() + dt.timedelta(days=3650)
    assert services.anonymise_ended_workshops(now=far) == 0
    assert Participant.objects.filter(display_name="Aino").exists()


def test_the_daily_task_runs_at_night() -> None:
    task = tasks.daily_workshop_retention.s()
    night = dt.datetime(2026, 11, 28, 3, 40)  # noqa: DTZ001 - Huey passes naive local times
    assert task.validate_datetime(night)
    assert not task.validate_datetime(night + dt.timedelta(hours=12))
