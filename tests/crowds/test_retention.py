"""Retention: volunteers who left are wiped of everything that identifies or reaches them after
PORTAAT_CROWDS_LEFT_RETENTION_DAYS; their answers to past calls stay, naming nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portaat.crowds import services
from portaat.crowds.models import Answer, PushSubscription, Volunteer
from tests.factories import CallFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty_days(settings):
    settings.PORTAAT_CROWDS_LEFT_RETENTION_DAYS = 30


def _volunteer(areas):
    volunteer = VolunteerFactory(
        areas=[areas["kallio"]],
        name="Maija Meikäläinen",
        email="maija@example.org",
        phone="+358401234567",
        telegram_chat_id="123456",
        channels=["email", "sms", "push"],
    )
    PushSubscription.objects.create(
        volunteer=volunteer, endpoint=f"https://push.example/{volunteer.pk}", p256dh="k", auth="a"
    )
    return volunteer


def _leave(volunteer, days_ago):
    services.leave(volunteer)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        left_at=timezone.now() - timedelta(days=days_ago)
    )
    return Volunteer.objects.get(pk=volunteer.pk)


def test_those_who_left_long_ago_are_wiped_and_their_answers_kept(thirty_days, areas, caller, smtp):
    old, recent = _volunteer(areas), _volunteer(areas)
    active = VolunteerFactory(areas=[areas["kallio"]], name="Ville", email="ville@example.org")
    call = CallFactory(areas=[areas["kallio"]])
    services.send_call(caller, call)
    assert services.record_answer(call, old, Answer.COMING, "link") == "recorded"
    old, recent = _leave(old, 31), _leave(recent, 5)
    link = old.get_manage_url()

    assert services.forget_left() == 1
    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.telegram_chat_id) == ("", "", "", "")
    assert (old.channels, list(old.areas.all()), list(old.skills.all())) == ([], [], [])
    assert not PushSubscription.objects.filter(volunteer=old).exists()
    assert Client().get(link).status_code == 404
    assert services.headcount(call)["coming"] == 1
    recent.refresh_from_db()
    active.refresh_from_db()
    assert recent.email == "maija@example.org" and active.email == "ville@example.org"
    assert services.forget_left() == 0  # nothing left to wipe


def test_a_volunteer_who_came_back_is_not_wiped(thirty_days, areas):
    volunteer = _leave(_volunteer(areas), 40)
    Volunteer.objects.filter(pk=volunteer.pk).update(status="active")
    assert services.forget_left() == 0
    volunteer.refresh_from_db()
    assert volunteer.email == "maija@example.org"
