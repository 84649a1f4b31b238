"""Re-confirmation: a reminder two weeks before the confirmation runs out, once per period;
after it runs out the volunteer is not alerted until they confirm."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portaat.crowds import dispatch, services
from portaat.crowds.models import CallMessage, Delivery, MessageKind
from tests.factories import CallFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def months(settings):
    settings.PORTAAT_CROWDS_RECONFIRM_MONTHS = 12
    return 12


def _aged(days, **kwargs):
    return VolunteerFactory(confirmed_at=timezone.now() - timedelta(days=days), **kwargs)


def test_a_reminder_goes_once_to_those_whose_confirmation_runs_out_soon(smtp, months, areas):
    due = _aged(360, areas=[areas["kallio"]])
    _aged(100, areas=[areas["kallio"]])
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0  # once per period
    dispatch.dispatch_all()
    assert smtp.recipients == [due.email]
    body = smtp.messages[0].get_content()
    assert due.get_manage_url() in body
    assert CallMessage.objects.get().kind == MessageKind.REMINDER


def test_confirming_starts_a_new_period(smtp, months, areas):
    volunteer = _aged(360, areas=[areas["kallio"]])
    services.send_reminders()
    Client().post(volunteer.get_manage_url(), {"action": "confirm"})
    volunteer.refresh_from_db()
    assert volunteer.reminded_at is None
    assert services.send_reminders() == 0


def test_an_expired_confirmation_gets_no_call_until_confirmed(smtp, months, caller, areas):
    lapsed = _aged(400, areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    assert services.send_call(caller, call) == 0
    services.confirm(lapsed)
    second = CallFactory(areas=[areas["kallio"]])
    assert services.send_call(caller, second) == 1
    dispatch.dispatch_all()
    assert smtp.recipients == [lapsed.email]


def test_left_volunteers_get_no_reminders(smtp, months, areas):
    gone = _aged(360, areas=[areas["kallio"]])
    services.leave(gone)
    assert services.send_reminders() == 0
    assert not Delivery.objects.exists()
