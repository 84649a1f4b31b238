"""Service rules of thanks: writing, moderating (with the audit trail and notifications),
an official's settings, and the counts for the unit report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portaat.models import Notification, NotificationSettings
from portaat.thanks import services
from portaat.thanks.models import ModerationEntry, Thanks, ThanksProfile, ThanksStatus
from tests.factories import (
    ActivismFactory,
    MembershipFactory,
    ThanksFactory,
    ThanksProfileFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STORY = "Kiitos, että tulitte REKO-jakoon kertomaan kaavasta."


# --- writing ---------------------------------------------------------------------------------


def test_a_thanks_to_an_official_counts_for_their_unit_and_waits(thanked, unit):
    thanks = services.submit_thanks(story=f"  {STORY}  ", official=thanked, sender="k")
    assert thanks.unit == unit
    assert thanks.status == ThanksStatus.PENDING
    assert thanks.story == STORY
    assert thanks.published_at is None
    assert not Notification.objects.exists()  # nobody hears before it is published


def test_a_thanks_to_a_whole_unit(city):
    thanks = services.submit_thanks(story=STORY, unit=city["other"])
    assert thanks.official is None
    assert thanks.unit == city["other"]


def test_the_official_and_the_unit_must_fit_together(thanked, city):
    with pytest.raises(ValidationError) as error:
        services.submit_thanks(story=STORY, official=thanked, unit=city["other"])
    assert error.value.code == "unit"
    assert not Thanks.objects.exists()


def test_the_unit_chosen_with_the_official_is_kept_when_they_work_there(thanked, city):
    MembershipFactory(unit=city["other"], user=thanked)
    thanks = services.submit_thanks(story=STORY, official=thanked, unit=city["other"])
    assert thanks.unit == city["other"]


@pytest.mark.parametrize("profile", [None, {"accepts_thanks": False}, {"public_name": ""}])
def test_only_officials_who_allow_it_can_be_thanked_by_name(unit, official, profile):
    if profile is not None:
        ThanksProfileFactory(user=official, **profile)
    with pytest.raises(ValidationError) as error:
        services.submit_thanks(story=STORY, official=official)
    assert error.value.code == "official"
    assert not Thanks.objects.exists()


def test_an_official_without_a_unit_is_not_offered(roles):
    loner = ThanksProfileFactory().user
    assert loner not in services.thankable_officials()
    with pytest.raises(ValidationError):
        services.submit_thanks(story=STORY, official=loner)


@pytest.mark.parametrize(
    ("story", "code"), [("", "story"), ("   ", "story"), ("x" * 1001, "story")]
)
def test_a_story_is_required_and_short(city, story, code):
    with pytest.raises(ValidationError) as error:
        services.submit_thanks(story=story, unit=city["unit"])
    assert error.value.code == code
    assert not Thanks.objects.exists()


def test_a_recipient_is_required(db):
    with pytest.raises(ValidationError) as error:
        services.submit_thanks(story=STORY)
    assert error.value.code == "recipient"


def test_only_public_activisms_can_be_named(city):
    hidden = ActivismFactory(visibility="internal")
    with pytest.raises(ValidationError) as error:
        services.submit_thanks(story=STORY, unit=city["unit"], activism=hidden)
    assert error.value.code == "activism"


def test_an_unknown_language_falls_back_to_the_sites(city):
    thanks = services.submit_thanks(story=STORY, unit=city["unit"], language="xx")
    assert thanks.language == "fi"


def test_one_address_may_send_a_few_thanks_an_hour(city, settings):
    settings.PORTAAT_THANKS_PER_HOUR = 2
    key = services.sender_key("192.0.2.1")
    for _ in range(2):
        services.submit_thanks(story=STORY, unit=city["unit"], sender=key)
    with pytest.raises(services.TooManyThanks):
        services.submit_thanks(story=STORY, unit=city["unit"], sender=key)
    # another address is not limited, and an hour later the first one may send again
    services.submit_thanks(story=STORY, unit=city["unit"], sender=services.sender_key("192.0.2.2"))
    Thanks.objects.filter(sender_key=key).update(
        created_at=timezone.now() - dt.timedelta(minutes=61)
    )
    services.submit_thanks(story=STORY, unit=city["unit"], sender=key)
    assert Thanks.objects.count() == 4


def test_the_address_itself_is_not_kept():
    key = services.sender_key("192.0.2.1")
    assert "192.0.2.1" not in key
    assert key == services.sender_key("192.0.2.1") != services.sender_key("192.0.2.2")
    assert services.sender_key("") == ""


# --- moderation ------------------------------------------------------------------------------


def test_approving_publishes_audits_and_notifies_the_official(thanked, coordinator):
    thanks = services.submit_thanks(story=STORY, official=thanked)
    published = services.approve(thanks, by=coordinator)
    assert published.status == ThanksStatus.APPROVED
    assert published.published_at is not None
    assert published.moderated_by == coordinator
    entry = ModerationEntry.objects.get()
    assert (entry.thanks, entry.action, entry.actor) == (thanks, "approved", coordinator)
    note = Notification.objects.get()
    assert (note.user, note.kind, note.url) == (thanked, "thanks", f"/thanks/{thanks.pk}/")
    assert note.params["thanker"] == ""


def test_the_manager_hears_only_when_the_official_chose_so(thanked, coordinator):
    first = services.submit_thanks(story=STORY, official=thanked)
    services.approve(first, by=coordinator)
    assert not Notification.objects.filter(user=coordinator).exists()

    NotificationSettings.objects.create(user=thanked, thanks_to_manager=True)
    second = services.submit_thanks(story=STORY, official=thanked, thanker_name="Liisa")
    services.approve(second, by=coordinator)
    note = Notification.objects.get(user=coordinator)
    assert note.kind == "thanks_manager"
    assert note.params["official"] == "Olli Virkamies"
    assert note.params["unit"]["en"] == "Detailed planning"


def test_the_manager_is_the_nearest_coordinator_above(roles, city):
    official = ThanksProfileFactory().user
    MembershipFactory(unit=city["unit"], user=official)
    division_lead = UserFactory()
    MembershipFactory(unit=city["division"], user=division_lead, role="coordinator")
    MembershipFactory(unit=city["city"], user=UserFactory(), role="coordinator")
    NotificationSettings.objects.create(user=official, thanks_to_manager=True)
    thanks = services.submit_thanks(story=STORY, official=official)
    services.approve(thanks, by=UserFactory())
    assert set(Notification.objects.values_list("user", "kind")) == {
        (official.pk, "thanks"),
        (division_lead.pk, "thanks_manager"),
    }


def test_a_thanks_to_a_unit_notifies_its_coordinators(unit, coordinator, official):
    thanks = services.submit_thanks(story=STORY, unit=unit)
    services.approve(thanks, by=coordinator)
    assert list(Notification.objects.values_list("user", "kind")) == [
        (coordinator.pk, "thanks_unit")
    ]


def test_a_thanks_is_moderated_once(thanked, coordinator):
    thanks = services.submit_thanks(story=STORY, official=thanked)
    services.approve(thanks, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.approve(thanks, by=coordinator)
    assert error.value.code == "moderated"
    assert ModerationEntry.objects.count() == 1
    assert Notification.objects.count() == 1


def test_rejecting_needs_a_reason_and_keeps_it(city, coordinator):
    thanks = ThanksFactory(unit=city["unit"])
    with pytest.raises(ValidationError) as error:
        services.reject(thanks, by=coordinator, reason="  ")
    assert error.value.code == "reason"
    thanks.refresh_from_db()
    assert thanks.status == ThanksStatus.PENDING
    assert not ModerationEntry.objects.exists()

    rejected = services.reject(thanks, by=coordinator, reason="Nimeää yksityishenkilön.")
    assert rejected.status == ThanksStatus.REJECTED
    assert rejected.rejection_reason == "Nimeää yksityishenkilön."
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.actor, entry.reason) == (
        "rejected",
        coordinator,
        "Nimeää yksityishenkilön.",
    )
    assert not Notification.objects.exists()
    with pytest.raises(ValidationError):
        services.approve(rejected, by=coordinator)  # rejected is final


def test_a_published_thanks_can_be_taken_off_the_wall(city, coordinator):
    thanks = ThanksFactory(unit=city["unit"], status="approved")
    removed = services.reject(thanks, by=coordinator, reason="Henkilö pyysi poistamaan.")
    assert removed.status == ThanksStatus.REJECTED
    assert removed.published_at is None


# --- an official's settings ------------------------------------------------------------------


def test_preferences_default_to_off_with_the_accounts_name(unit, official):
    official.first_name, official.last_name = "Olli", "Virkamies"
    official.save()
    current = services.preferences_of(official)
    assert current == services.Preferences(False, "Olli Virkamies", False)


def test_setting_preferences(unit, official):
    saved = services.set_preferences(
        official, accepts_thanks=True, public_name=" Olli V. ", thanks_to_manager=True
    )
    assert saved == services.Preferences(True, "Olli V.", True)
    assert official in services.thankable_officials()
    assert NotificationSettings.objects.get(user=official).thanks_to_manager is True


def test_allowing_thanks_needs_a_public_name(unit, official):
    with pytest.raises(ValidationError):
        services.set_preferences(
            official, accepts_thanks=True, public_name="", thanks_to_manager=True
        )
    assert not ThanksProfile.objects.exists()
    assert not NotificationSettings.objects.exists()


# --- counts for the unit report --------------------------------------------------------------


def test_counts_for_unit(city, roles):
    official = ThanksProfileFactory().user
    other_official = ThanksProfileFactory().user
    old = timezone.now() - dt.timedelta(days=400)
    ThanksFactory(unit=city["unit"], status="approved")
    ThanksFactory(unit=city["unit"], official=official, status="approved")
    ThanksFactory(unit=city["unit"], official=official, status="approved")
    ThanksFactory(unit=city["unit"], official=other_official, status="approved", created_at=old)
    ThanksFactory(unit=city["division"], status="approved")
    ThanksFactory(unit=city["unit"], status="pending")
    ThanksFactory(unit=city["unit"], status="rejected")
    ThanksFactory(unit=city["other"], status="approved")

    assert services.counts_for_unit(city["unit"]) == services.ThanksCounts(
        total=4, to_unit=1, to_officials=3, officials=2
    )
    since = timezone.localdate() - dt.timedelta(days=30)
    assert services.counts_for_unit(city["unit"], since=since) == services.ThanksCounts(
        total=3, to_unit=1, to_officials=2, officials=1
    )
    # a division counts its units' thanks too, unless asked not to
    assert services.counts_for_unit(city["division"]).total == 5
    assert services.counts_for_unit(city["division"], include_subunits=False).total == 1
    assert services.counts_for_unit(city["city"]).total == 6
    aware = timezone.now() - dt.timedelta(days=1)
    assert services.counts_for_unit(city["city"], since=aware).total == 5
    naive = dt.datetime(2000, 1, 1)  # noqa: DTZ001 - a naive time is read as Helsinki time
    assert services.counts_for_unit(city["city"], since=naive).total == 6


def test_counts_for_a_unit_without_thanks(city):
    assert services.counts_for_unit(city["other"]) == services.ThanksCounts(0, 0, 0, 0)


def test_units_below(city):
    assert set(services.unit_and_below(city["division"])) == {
        city["division"].pk,
        city["unit"].pk,
    }
    assert services.unit_and_below(UnitFactory()) != []


# --- retention -------------------------------------------------------------------------------


def test_thankers_are_forgotten_when_no_longer_needed(city):
    now = timezone.now()
    fresh = ThanksFactory(unit=city["unit"], sender_key="k1", contact_email="a@example.org")
    old = ThanksFactory(
        unit=city["unit"],
        sender_key="k2",
        contact_email="b@example.org",
        created_at=now - dt.timedelta(days=2),
        moderated_at=now - dt.timedelta(days=2),
    )
    ancient = ThanksFactory(
        unit=city["unit"],
        sender_key="k3",
        contact_email="c@example.org",
        created_at=now - dt.timedelta(days=200),
        moderated_at=now - dt.timedelta(days=181),
    )
    assert services.forget_senders(now) == 3
    for thanks in (fresh, old, ancient):
        thanks.refresh_from_db()
    assert (fresh.sender_key, fresh.contact_email) == ("k1", "a@example.org")
    assert (old.sender_key, old.contact_email) == ("", "b@example.org")
    assert (ancient.sender_key, ancient.contact_email) == ("", "")
    assert services.forget_senders(now) == 0


def test_the_retention_task_runs_the_service(city):
    from portaat.thanks import tasks

    ThanksFactory(
        unit=city["unit"], sender_key="k", created_at=timezone.now() - dt.timedelta(days=3)
    )
    assert tasks.daily_thanks_retention.call_local() == 1
