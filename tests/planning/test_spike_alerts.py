"""The spike check: subscribers are notified in-app and by email, once per spike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import translation

from portaat import notifications
from portaat.models import Notification
from portaat.planning import spikes
from portaat.planning.models import SpikeAlert, SpikeSubscription
from portaat.planning.services import subscribe
from tests.planning.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def surge(areas, analysed):
    """Kallio: a mention every other day for two weeks, then ten in the last day. Pasila: one
    a day, and two in the last day (noise)."""
    for day in range(1, 15):
        if day % 2:
            analysed(areas=[areas["kallio"]], created_at=NOW - timedelta(days=day, hours=3))
        analysed(areas=[areas["pasila"]], created_at=NOW - timedelta(days=day, hours=5))
    for hour in range(10):
        analysed(
            areas=[areas["kallio"]],
            created_at=NOW - timedelta(hours=hour + 1),
            keywords=["ratikka"],
        )
    for hour in range(2):
        analysed(areas=[areas["pasila"]], created_at=NOW - timedelta(hours=hour + 2))
    return areas


def test_a_real_spike_is_found_and_noise_is_not(surge):
    found = {s.key: s for s in spikes.find(NOW)}
    assert "area:helsinki-kallio" in found
    assert found["area:helsinki-kallio"].recent == 10
    assert "area:helsinki-pasila" not in found


def test_subscribers_are_notified_once_even_if_the_check_runs_twice(surge, official, coordinator):
    subscribe(official, "area", "helsinki-kallio")
    subscribe(official, "area", "helsinki-pasila")
    subscribe(coordinator, "keyword", "Ratikka")
    first = spikes.check(NOW)
    assert first.alerts == 2 and first.notifications == 2
    again = spikes.check(NOW)
    later = spikes.check(NOW + timedelta(hours=3))  # the same surge, still in the window
    assert again.notifications == later.notifications == 0
    assert SpikeAlert.objects.count() == 2
    assert set(Notification.objects.values_list("user_id", "kind")) == {
        (official.pk, "spike"),
        (coordinator.pk, "spike"),
    }
    # one email each, at once; the digest does not repeat them
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator@example.org",
        "official@example.org",
    ]
    assert notifications.send_digests(NOW).emails == 0


def test_the_notification_reads_in_the_readers_language(surge, official):
    subscribe(official, "area", "helsinki-kallio")
    spikes.check(NOW, email=False)
    note = Notification.objects.get(user=official)
    assert note.url.startswith("/planning/?area=")
    with translation.override("en"):
        assert notifications.render(note) == (
            "Spike: area “Kallio” was mentioned 10 times in the last 24 hours (about 0.5 expected)."
        )
    with translation.override("sv"):
        assert "Berghäll" in notifications.render(note)
    with translation.override("fi"):
        assert "Kallio" in notifications.render(note)


def test_nobody_subscribed_nothing_is_alerted(surge):
    assert spikes.check(NOW).alerts == 0
    assert not SpikeAlert.objects.exists()


def test_email_off_means_in_app_only(surge, official):
    notifications.set_digest(official, "off")
    subscribe(official, "area", "helsinki-kallio")
    result = spikes.check(NOW)
    assert result.notifications == 1 and result.emails == 0
    assert mail.outbox == []


def test_the_periodic_task_runs_the_check(surge, official, monkeypatch):
    from portaat.planning import tasks

    subscribe(official, "area", "helsinki-kallio")
    monkeypatch.setattr(spikes.timezone, "now", lambda: NOW)
    monkeypatch.setattr(tasks.services, "analyse_pending", lambda **kw: 0)
    assert tasks.check_spikes.call_local() == 1
    assert tasks.check_spikes.call_local() == 0
    assert SpikeSubscription.objects.count() == 1


def test_a_user_who_lost_the_right_is_not_alerted(surge, official, coordinator):
    subscribe(official, "area", "helsinki-kallio")
    subscribe(coordinator, "area", "helsinki-kallio")
    official.groups.clear()  # no longer an official
    coordinator.is_active = False
    coordinator.save()
    result = spikes.check(NOW)
    assert result.notifications == 0
    assert not Notification.objects.exists()


def test_two_checks_racing_across_the_hour_alert_once(surge, official, monkeypatch):
    """Worker A looks for an earlier alert at 11:59:59 and finds none; before it writes,
    worker B checks at 12:00:01 and alerts. A must not alert the same surge again."""
    subscribe(official, "area", "helsinki-kallio")
    real_filter = SpikeAlert.objects.filter
    raced: list[bool] = []

    class Racing:
        def __init__(self, queryset):
            self.queryset = queryset

        def exists(self):
            found = self.queryset.exists()
            if not raced:
                raced.append(True)
                spikes.check(NOW + timedelta(seconds=1), email=False)  # worker B
            return found

    def filter_(*args, **kwargs):
        queryset = real_filter(*args, **kwargs)
        return Racing(queryset) if "window_end__gt" in kwargs else queryset

    monkeypatch.setattr(SpikeAlert.objects, "filter", filter_)
    spikes.check(NOW - timedelta(seconds=1), email=False)  # worker A
    assert raced
    assert SpikeAlert.objects.count() == 1
    assert Notification.objects.filter(user=official).count() == 1


def test_an_old_alert_does_not_stop_a_new_surge(surge, official):
    subscribe(official, "area", "helsinki-kallio")
    SpikeAlert.objects.create(
        key="area:helsinki-kallio",
        window_end=NOW - timedelta(days=3),
        recent=9,
        expected=1.0,
        p_value=0.0001,
    )
    assert spikes.check(NOW).alerts == 1
    assert SpikeAlert.objects.filter(current=True).count() == 1


def test_keywords_with_apostrophes_are_followed(areas, analysed, official):
    subscribe(official, "keyword", "O'Brien")
    for day in range(1, 15, 7):
        analysed(keywords=["pasila"], created_at=NOW - timedelta(days=day))
    for hour in range(8):
        analysed(keywords=["O’Brien"], created_at=NOW - timedelta(hours=hour + 1))
    assert "keyword:o’brien" in {s.key for s in spikes.find(NOW)}
    assert spikes.check(NOW).notifications == 1
