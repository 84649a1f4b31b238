"""The outbox through a real SMTP server: exactly one message per volunteer and channel,
updates and stand-downs to those who said yes, retries, lapsed consent, leaving."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from portaat.crowds import dispatch, services
from portaat.crowds.models import (
    Answer,
    CallStatus,
    Delivery,
    DeliveryStatus,
    MessageKind,
)
from tests.factories import CallFactory, VolunteerFactory
from tests.listening.replay import replay

pytestmark = pytest.mark.django_db
SMS_FIXTURES = Path(__file__).parent / "fixtures" / "sms"


def test_a_call_reaches_each_volunteer_in_its_areas_once(smtp, caller, areas):
    inside = VolunteerFactory.create_batch(3, areas=[areas["kallio"]])
    both = VolunteerFactory(areas=[areas["kallio"], areas["sornainen"]])
    outside = VolunteerFactory(areas=[areas["espoo"]])
    call = CallFactory(areas=[areas["kallio"], areas["sornainen"]], created_by=caller)

    assert services.send_call(caller, call) == 4
    assert dispatch.dispatch_all() == 4
    assert dispatch.dispatch_all() == 0  # nothing is sent twice

    addresses = sorted(m["To"] for m in smtp.messages)
    assert addresses == sorted(v.email for v in [*inside, both])
    assert outside.email not in addresses
    message = smtp.to(both.email)[0]
    assert message["Subject"] == f"Kutsu apuun: {call.title}"
    body = message.get_content()
    assert call.instructions_fi in body
    assert f"{call.code} 1" in body
    assert "/crowds/r/" in body and "?a=coming" in body
    assert message["Message-ID"] == f"<{Delivery.objects.get(volunteer=both).reference}@portaat>"
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_the_message_is_in_the_volunteers_language(smtp, caller, areas):
    swede = VolunteerFactory(areas=[areas["kallio"]], language="sv")
    call = CallFactory(areas=[areas["kallio"]])
    services.send_call(caller, call)
    dispatch.dispatch_all()
    message = smtp.to(swede.email)[0]
    assert message["Subject"].startswith("Kallelse")
    assert call.instructions_sv in message.get_content()


def test_a_circle_reaches_areas_whose_centre_is_inside(smtp, caller, areas):
    near = VolunteerFactory(areas=[areas["sornainen"]])
    far = VolunteerFactory(areas=[areas["espoo"]])
    call = CallFactory(lat=60.185, lon=24.955, radius_m=1500)
    assert services.send_call(caller, call) == 1
    dispatch.dispatch_all()
    assert [m["To"] for m in smtp.messages] == [near.email]
    assert far.email not in smtp.recipients


def test_skills_narrow_the_reach(smtp, caller, areas):
    from portaat.crowds.models import Skill

    saw = Skill.objects.get(slug="chainsaw")
    with_saw = VolunteerFactory(areas=[areas["kallio"]], skills=[saw])
    VolunteerFactory(areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    call.skills.set([saw])
    assert services.send_call(caller, call) == 1
    dispatch.dispatch_all()
    assert smtp.recipients == [with_saw.email]


def test_lapsed_and_departed_volunteers_get_nothing(smtp, caller, areas, settings):
    settings.PORTAAT_CROWDS_RECONFIRM_MONTHS = 6
    lapsed = VolunteerFactory(
        areas=[areas["kallio"]], confirmed_at=timezone.now() - timedelta(days=200)
    )
    gone = VolunteerFactory(areas=[areas["kallio"]])
    services.leave(gone)
    fresh = VolunteerFactory(areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    estimate = services.reach.estimate(
        lat=None,
        lon=None,
        radius_m=None,
        area_ids=[areas["kallio"].pk],
        skill_ids=[],
        channels=[],
        available=["email"],
    )
    assert (estimate.total, estimate.need_confirmation) == (1, 1)
    services.send_call(caller, call)
    dispatch.dispatch_all()
    assert smtp.recipients == [fresh.email]
    assert lapsed.email not in smtp.recipients


def test_sending_twice_is_refused(smtp, caller, areas):
    VolunteerFactory(areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    services.send_call(caller, call)
    with pytest.raises(services.CrowdError):
        services.send_call(caller, call)
    dispatch.dispatch_all()
    assert len(smtp.messages) == 1


def test_updates_and_stand_down_go_to_those_who_said_yes(smtp, caller, areas):
    yes, no, silent = VolunteerFactory.create_batch(3, areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    services.send_call(caller, call)
    dispatch.dispatch_all()
    assert services.record_answer(call, yes, Answer.COMING, "link") == "recorded"
    assert services.record_answer(call, no, Answer.NOT_COMING, "link") == "recorded"

    services.send_update(
        caller, call, {"text_fi": "Tuokaa myös lapiot.", "text_sv": "", "text_en": ""}
    )
    dispatch.dispatch_all()
    services.close_call(
        caller, call, MessageKind.STAND_DOWN, {"text_fi": "", "text_sv": "", "text_en": ""}
    )
    dispatch.dispatch_all()

    assert len(smtp.to(yes.email)) == 3
    assert "Tuokaa myös lapiot." in smtp.to(yes.email)[1].get_content()
    assert "Työ on tehty" in smtp.to(yes.email)[2].get_content()
    assert len(smtp.to(no.email)) == 1
    assert len(smtp.to(silent.email)) == 1
    call.refresh_from_db()
    assert call.status == CallStatus.STOOD_DOWN
    actions = list(call.audit.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["sent", "updated", "stood_down"]


def test_a_temporary_smtp_refusal_is_retried_later(smtp, caller, areas, settings):
    volunteer = VolunteerFactory(areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    services.send_call(caller, call)
    real = smtp.handle_DATA
    calls = {"n": 0}

    async def busy_once(server, session, envelope):
        calls["n"] += 1
        if calls["n"] == 1:
            return "451 Try again later"
        return await real(server, session, envelope)

    smtp.handle_DATA = busy_once  # aiosmtpd looks the hook up per message
    dispatch.dispatch_all()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1 and "451" in delivery.error
    assert delivery.next_attempt_at > timezone.now()
    assert smtp.messages == []

    Delivery.objects.update(next_attempt_at=timezone.now())
    dispatch.dispatch_all()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert smtp.recipients == [volunteer.email]


def test_a_permanent_refusal_fails_without_retry(smtp, caller, areas):
    VolunteerFactory(areas=[areas["kallio"]], email="nobody@invalid.example")
    call = CallFactory(areas=[areas["kallio"]])
    services.send_call(caller, call)

    async def refuse(server, session, envelope):
        return "550 No such user"

    smtp.handle_DATA = refuse
    dispatch.dispatch_all()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "550" in delivery.error


def test_an_unreachable_server_leaves_rows_pending(caller, areas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard
    VolunteerFactory.create_batch(2, areas=[areas["kallio"]])
    services.send_call(caller, CallFactory(areas=[areas["kallio"]]))
    dispatch.dispatch_all()
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}


def test_a_claim_of_a_dead_worker_is_taken_again_but_a_sending_row_is_not_resent(
    smtp, caller, areas
):
    VolunteerFactory.create_batch(2, areas=[areas["kallio"]])
    services.send_call(caller, CallFactory(areas=[areas["kallio"]]))
    first, second = Delivery.objects.order_by("pk")
    past = timezone.now() - timedelta(seconds=1)
    # a worker died after claiming `first`, and while handing `second` to an HTTP provider
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.CLAIMED, lease_until=past)
    Delivery.objects.filter(pk=second.pk).update(status=DeliveryStatus.SENDING, lease_until=past)
    dispatch.dispatch_all()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == DeliveryStatus.SENT
    assert second.status == DeliveryStatus.UNCERTAIN
    assert smtp.recipients == [first.volunteer.email]


def test_a_closed_call_sends_no_waiting_alerts(smtp, caller, areas):
    VolunteerFactory.create_batch(2, areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    services.send_call(caller, call)
    services.close_call(caller, call, MessageKind.CANCEL)
    dispatch.dispatch_all()
    assert smtp.messages == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}


@pytest.fixture
def elks(settings):
    """46elks replayed by a real local server (its documented answers, fixtures/sms/)."""
    with replay([], fixtures=SMS_FIXTURES) as server:
        settings.PORTAAT_SMS_PROVIDER = "46elks"
        settings.PORTAAT_SMS_URL = f"{server.url}/a1"
        settings.PORTAAT_SMS_USERNAME = "u7a3f2c1e"
        settings.PORTAAT_SMS_PASSWORD = "D3ADB33F"
        settings.PORTAAT_SMS_SENDER = "+46766861004"
        settings.PORTAAT_SMS_WEBHOOK_SECRET = "hook-secret-0123456789abcdef"
        settings.PORTAAT_SMS_TIMEOUT = 2
        settings.PORTAAT_SMS_RATE = 1000
        yield server


def test_an_unanswered_volunteer_gets_the_call_by_sms_after_the_escalation_time(
    smtp, elks, caller, areas
):
    import json
    from urllib.parse import parse_qs

    elks.add(method="POST", path="/a1/sms", file="elks_send_created.json")
    volunteer = VolunteerFactory(
        areas=[areas["kallio"]], channels=["email", "sms"], phone="+358401234567"
    )
    answered = VolunteerFactory(
        areas=[areas["kallio"]], channels=["email", "sms"], phone="+358401234568"
    )
    call = CallFactory(areas=[areas["kallio"]], escalate_after_minutes=10)
    services.send_call(caller, call)
    dispatch.dispatch_all()
    services.record_answer(call, answered, Answer.NOT_COMING, "link")
    assert services.escalate(timezone.now() + timedelta(minutes=5)) == 0  # not yet
    assert services.escalate(timezone.now() + timedelta(minutes=11)) == 1
    assert services.escalate(timezone.now() + timedelta(minutes=30)) == 0  # each channel once
    dispatch.dispatch_all()
    sms = Delivery.objects.get(channel="sms")
    assert (sms.volunteer_id, sms.status) == (volunteer.pk, DeliveryStatus.SENT)
    expected_id = json.loads((SMS_FIXTURES / "elks_send_created.json").read_text())["id"]
    assert sms.provider_id == expected_id
    form = parse_qs(elks.requests[0].body.decode())
    assert form["to"] == ["+358401234567"]
    assert f"{call.code} 1" in form["message"][0]
    # the gateway's delivery report marks it delivered
    assert services.record_receipt("sms", expected_id, delivered=True)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.DELIVERED


def test_a_gateway_timeout_leaves_the_sms_uncertain_and_not_resent(elks, caller, areas, settings):
    import threading

    gate = threading.Event()
    elks.add(method="POST", path="/a1/sms", file="elks_send_created.json", gate=gate)
    settings.PORTAAT_SMS_TIMEOUT = 0.3
    VolunteerFactory(areas=[areas["kallio"]], channels=["sms"], phone="+358401234567")
    services.send_call(caller, CallFactory(areas=[areas["kallio"]]))
    try:
        dispatch.dispatch_all()
    finally:
        gate.set()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.UNCERTAIN
    Delivery.objects.update(next_attempt_at=timezone.now())
    dispatch.dispatch_all()
    assert len(elks.requests) == 1  # never sent a second time
    assert services.headcount(delivery.message.call)["failed"] == 1


def test_no_escalation_once_enough_people_are_coming(smtp, elks, caller, areas):
    elks.add(method="POST", path="/a1/sms", file="elks_send_created.json")
    waiting = VolunteerFactory(
        areas=[areas["kallio"]], channels=["email", "sms"], phone="+358401234567"
    )
    coming = VolunteerFactory(
        areas=[areas["kallio"]], channels=["email", "sms"], phone="+358401234568"
    )
    call = CallFactory(areas=[areas["kallio"]], escalate_after_minutes=10, needed=1)
    services.send_call(caller, call)
    dispatch.dispatch_all()
    services.record_answer(call, coming, Answer.COMING, "link")
    # the one person needed is coming: the one who has not answered is not chased by SMS
    assert services.escalate(timezone.now() + timedelta(minutes=11)) == 0
    assert not Delivery.objects.filter(volunteer=waiting, channel="sms").exists()
    # … but is when the person coming changes their mind
    services.record_answer(call, coming, Answer.NOT_COMING, "link")
    assert services.escalate(timezone.now() + timedelta(minutes=11)) == 1
    assert Delivery.objects.filter(volunteer=waiting, channel="sms").exists()


def test_escalation_tries_the_next_channel_once(smtp, caller, areas, settings):
    settings.PORTAAT_SMS_PROVIDER = ""  # SMS not configured here: only email is available
    volunteer = VolunteerFactory(areas=[areas["kallio"]], channels=["email"])
    call = CallFactory(areas=[areas["kallio"]], escalate_after_minutes=5)
    services.send_call(caller, call)
    dispatch.dispatch_all()
    later = timezone.now() + timedelta(minutes=10)
    assert services.escalate(later) == 0  # no other channel to try
    assert Delivery.objects.filter(volunteer=volunteer).count() == 1


def _claimed():
    """Claim every due email row for one worker and load them as the dispatcher does."""
    worker = dispatch.worker_id()
    ids = dispatch.claim("email", worker=worker)
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("message__call", "volunteer")
        .prefetch_related("message__call__areas", "volunteer__push_subscriptions")
        .order_by("pk")
    )


def _send(delivery):
    from portaat.crowds.transports.email import EmailTransport

    transport = EmailTransport()
    with transport.session() as session:
        return dispatch._send_one(session, delivery, dispatch.RateLimit(0))


def test_a_volunteer_who_leaves_after_the_batch_was_loaded_gets_nothing(smtp, caller, areas):
    stays, leaves = VolunteerFactory.create_batch(2, areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    services.send_call(caller, call)
    loaded = {d.volunteer_id: d for d in _claimed()}
    # STOP arrives while the batch is being sent: the loaded row still says "active"
    type(leaves).objects.filter(pk=leaves.pk).update(status="left")

    assert _send(loaded[leaves.pk]) == DeliveryStatus.SKIPPED
    assert _send(loaded[stays.pk]) == DeliveryStatus.SENT
    assert smtp.recipients == [stays.email]  # the server discarded the unfinished message
    skipped = Delivery.objects.get(volunteer=leaves)
    assert (skipped.status, skipped.error) == (DeliveryStatus.SKIPPED, "volunteer left")


def test_a_call_cancelled_after_the_batch_was_loaded_sends_no_more_alerts(smtp, caller, areas):
    VolunteerFactory.create_batch(2, areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    services.send_call(caller, call)
    loaded = _claimed()
    assert _send(loaded[0]) == DeliveryStatus.SENT
    type(call).objects.filter(pk=call.pk).update(status=CallStatus.CANCELLED)

    assert _send(loaded[1]) == DeliveryStatus.SKIPPED
    assert len(smtp.messages) == 1
    assert Delivery.objects.get(pk=loaded[1].pk).error == "call closed"


def test_a_row_taken_over_by_another_worker_is_not_handed_over(smtp, caller, areas):
    VolunteerFactory(areas=[areas["kallio"]])
    services.send_call(caller, CallFactory(areas=[areas["kallio"]]))
    (delivery,) = _claimed()
    Delivery.objects.filter(pk=delivery.pk).update(worker="elsewhere:1:abc")
    with pytest.raises(dispatch.LostClaim):
        _send(delivery)
    assert smtp.messages == []
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.CLAIMED


def test_a_message_that_goes_well_is_recorded_once_at_the_hand_over(smtp, caller, areas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    VolunteerFactory(areas=[areas["kallio"]])
    services.send_call(caller, CallFactory(areas=[areas["kallio"]]))
    (delivery,) = _claimed()
    with CaptureQueriesContext(connection) as queries:
        assert _send(delivery) == DeliveryStatus.SENT
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(writes) == 1
    row = Delivery.objects.get(pk=delivery.pk)
    assert row.provider_id == f"<{row.reference}@portaat>"
    assert row.sent_at is not None and row.lease_until is None


def test_a_long_batch_renews_its_lease(smtp, caller, areas, monkeypatch):
    VolunteerFactory.create_batch(3, areas=[areas["kallio"]])
    services.send_call(caller, CallFactory(areas=[areas["kallio"]]))
    renewed = []
    original = dispatch.renew_lease
    # as if every message took longer than a third of the lease
    monkeypatch.setattr(dispatch, "renew_interval", lambda: -1.0)
    monkeypatch.setattr(dispatch, "renew_lease", lambda w: renewed.append(original(w)))
    dispatch.run_batch("email", worker="host:1:renewing")
    # before each message the rows still held were renewed: 3, then 2, then 1
    assert renewed == [3, 2, 1]
    assert len(smtp.messages) == 3


def test_renewing_extends_only_the_workers_own_rows(caller, areas):
    VolunteerFactory.create_batch(2, areas=[areas["kallio"]])
    services.send_call(caller, CallFactory(areas=[areas["kallio"]]))
    mine, theirs = Delivery.objects.order_by("pk")
    past = timezone.now() - timedelta(minutes=1)
    Delivery.objects.filter(pk=mine.pk).update(status="claimed", worker="a:1:x", lease_until=past)
    Delivery.objects.filter(pk=theirs.pk).update(status="claimed", worker="b:1:y", lease_until=past)
    assert dispatch.renew_lease("a:1:x") == 1
    assert Delivery.objects.get(pk=mine.pk).lease_until > timezone.now()
    assert Delivery.objects.get(pk=theirs.pk).lease_until == past


def test_the_rate_limit_is_shared_by_the_threads_of_a_process():
    import threading
    import time

    limit = dispatch.rate_limit("test-channel", 20.0)
    assert dispatch.rate_limit("test-channel", 20.0) is limit

    def send_five() -> None:
        for _ in range(5):
            limit.wait()

    started = time.monotonic()
    threads = [threading.Thread(target=send_five) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # ten sends at 20/s take at least 9 intervals, whichever thread sends them
    assert time.monotonic() - started >= 9 / 20 - 0.01


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_each_hand_over_is_committed_before_the_next_message(
    smtp, caller, areas, monkeypatch
):
    """As the worker runs (no surrounding transaction): on PostgreSQL the hand-over's COMMIT is
    sent ahead of the final "." and its reply read afterwards; the rows are committed, a row
    no longer wanted is rolled back and skipped, and the connection is usable after it all."""
    from django.db import connection

    # the test sends by hand, one row at a time (the committed send would wake the workers)
    monkeypatch.setattr(services, "wake_workers", lambda: None)
    stays = VolunteerFactory.create_batch(3, areas=[areas["kallio"]])
    leaves = VolunteerFactory(areas=[areas["kallio"]])
    services.send_call(caller, CallFactory(areas=[areas["kallio"]]))
    loaded = {d.volunteer_id: d for d in _claimed()}
    type(leaves).objects.filter(pk=leaves.pk).update(status="left")

    results = [_send(loaded[v.pk]) for v in [stays[0], leaves, stays[1], stays[2]]]
    assert results == [
        DeliveryStatus.SENT,
        DeliveryStatus.SKIPPED,
        DeliveryStatus.SENT,
        DeliveryStatus.SENT,
    ]
    assert not connection.in_atomic_block
    assert dispatch.finish_commit() is True  # nothing left unread
    if connection.vendor == "postgresql":
        assert connection.connection.info.transaction_status.name == "IDLE"
    assert sorted(smtp.recipients) == sorted(v.email for v in stays)
    statuses = dict(Delivery.objects.values_list("volunteer_id", "status"))
    assert statuses == {
        **{v.pk: DeliveryStatus.SENT for v in stays},
        leaves.pk: DeliveryStatus.SKIPPED,
    }
    assert all(
        d.sent_at and d.provider_id == f"<{d.reference}@portaat>"
        for d in Delivery.objects.filter(status=DeliveryStatus.SENT)
    )
