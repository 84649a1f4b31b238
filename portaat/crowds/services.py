"""Write paths of the crowds app: volunteers, calls, answers and what providers tell us.

Every function here is one transaction; the live headcount hears about a change only after it
is committed (``transaction.on_commit``), and the outbox rows of a message are written in the
same transaction as the message, so a call is either sent to everybody it reaches or to nobody.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portaat.crowds import events, reach
from portaat.crowds.inbound import Reply, ReplyOutcome
from portaat.crowds.models import (
    Answer,
    AuditEntry,
    Call,
    CallMessage,
    CallStatus,
    Channel,
    ConsentText,
    Delivery,
    DeliveryStatus,
    InboundMessage,
    MessageKind,
    PushSubscription,
    Response,
    Volunteer,
    VolunteerStatus,
    new_secret,
)
from portaat.crowds.transports import configured_channels

logger = logging.getLogger(__name__)


class CrowdError(Exception):
    """A refusal the user can understand (already translated)."""


# --- audit ------------------------------------------------------------------------------------


def audit(actor: Any, action: str, call: Call | None = None, **details: Any) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        call=call,
        details=details,
    )


# --- volunteers -------------------------------------------------------------------------------


def current_consent() -> ConsentText:
    consent = ConsentText.objects.order_by("-version").first()
    if consent is None:  # the seed migration creates v1; a deleted table is a setup error
        raise CrowdError(_("No consent text has been published yet."))
    return consent


@dataclass
class VolunteerData:
    name: str
    email: str
    phone: str
    language: str
    channels: list[str]
    area_ids: list[int]
    skill_ids: list[int]
    availability: str


@transaction.atomic
def sign_up(data: VolunteerData, consent: ConsentText) -> Volunteer:
    """A new volunteer with the consent they saw (its version is recorded with the time)."""
    now = timezone.now()
    volunteer = Volunteer.objects.create(
        name=data.name,
        email=data.email,
        phone=data.phone,
        language=data.language,
        channels=data.channels,
        availability=data.availability,
        consent=consent,
        consented_at=now,
        confirmed_at=now,
    )
    volunteer.areas.set(data.area_ids)
    volunteer.skills.set(data.skill_ids)
    return volunteer


@transaction.atomic
def update_volunteer(volunteer: Volunteer, data: VolunteerData) -> Volunteer:
    """Changing one's details also confirms them."""
    for name in ("name", "email", "phone", "language", "channels", "availability"):
        setattr(volunteer, name, getattr(data, name))
    volunteer.confirmed_at = timezone.now()
    volunteer.reminded_at = None
    volunteer.save()
    volunteer.areas.set(data.area_ids)
    volunteer.skills.set(data.skill_ids)
    return volunteer


def confirm(volunteer: Volunteer, consent: ConsentText | None = None) -> None:
    """Re-confirmation: the details are still right, and (again) the current consent holds."""
    now = timezone.now()
    volunteer.confirmed_at = now
    volunteer.reminded_at = None
    if consent is not None and consent.pk != volunteer.consent_id:
        volunteer.consent = consent
        volunteer.consented_at = now
    volunteer.save(update_fields=["confirmed_at", "reminded_at", "consent", "consented_at"])


@transaction.atomic
def leave(volunteer: Volunteer) -> None:
    """Stop all messages at once: pending deliveries are dropped, contact data is kept only
    until the volunteer erases it (or the retention task does)."""
    if volunteer.status == VolunteerStatus.LEFT:
        return
    volunteer.status = VolunteerStatus.LEFT
    volunteer.left_at = timezone.now()
    volunteer.save(update_fields=["status", "left_at"])
    _skip_pending(Delivery.objects.filter(volunteer=volunteer), "left")


@transaction.atomic
def erase(volunteer: Volunteer) -> None:
    """Delete the volunteer and everything about them (answers, deliveries, subscriptions).
    Calls' headcounts lose their answers: that is what erasing means."""
    call_ids = set(volunteer.responses.values_list("call_id", flat=True))
    volunteer.delete()
    for call_id in call_ids:
        transaction.on_commit(partial(events.publish, call_id, kind="responses"))


def export_own_data(volunteer: Volunteer) -> dict[str, Any]:
    """Everything stored about the volunteer, for their own download."""
    return {
        "name": volunteer.name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "telegram_chat": volunteer.telegram_chat_id,
        "push_subscriptions": [s.endpoint for s in volunteer.push_subscriptions.all()],
        "language": volunteer.language,
        "channels": volunteer.channels,
        "areas": [a.name for a in volunteer.areas.all()],
        "skills": [s.slug for s in volunteer.skills.all()],
        "availability": volunteer.availability,
        "status": volunteer.status,
        "consent": {
            "version": volunteer.consent.version,
            "text": volunteer.consent.text(volunteer.language),
            "given_at": volunteer.consented_at.isoformat(),
        },
        "confirmed_at": volunteer.confirmed_at.isoformat(),
        "signed_up_at": volunteer.created_at.isoformat(),
        "left_at": volunteer.left_at.isoformat() if volunteer.left_at else None,
        "answers": [
            {
                "call": r.call.title,
                "answer": r.answer,
                "waitlisted": r.waitlisted,
                "at": r.updated_at.isoformat(),
            }
            for r in volunteer.responses.select_related("call")
        ],
        "messages": [
            {
                "kind": d.message.kind,
                "channel": d.channel,
                "status": d.status,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in volunteer.deliveries.select_related("message")
        ],
    }


def rotate_secret(volunteer: Volunteer) -> None:
    """A new personal link (the old one, and every answer link sent so far, stop working)."""
    volunteer.secret = new_secret()
    volunteer.save(update_fields=["secret"])


# --- calls ------------------------------------------------------------------------------------


@dataclass
class CallData:
    title: str
    instructions_fi: str
    instructions_sv: str
    instructions_en: str
    lat: float | None
    lon: float | None
    radius_m: int | None
    area_ids: list[int]
    address: str
    starts_at: datetime
    ends_at: datetime
    respond_by: datetime
    needed: int
    skill_ids: list[int]
    severity: str
    category: str
    channels: list[str]
    escalate_after_minutes: int


FIELDS = [
    "title",
    "instructions_fi",
    "instructions_sv",
    "instructions_en",
    "lat",
    "lon",
    "radius_m",
    "address",
    "starts_at",
    "ends_at",
    "respond_by",
    "needed",
    "severity",
    "category",
    "channels",
    "escalate_after_minutes",
]


@transaction.atomic
def create_call(user: Any, data: CallData) -> Call:
    """A draft: nothing is sent until the official has seen the reach and confirms."""
    for _attempt in range(5):  # a clash of the random reply code is rare; try another
        try:
            with transaction.atomic():
                call = Call.objects.create(
                    created_by=user, **{name: getattr(data, name) for name in FIELDS}
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 31^4 codes
        raise CrowdError(_("Could not give the call a reply code; try again."))
    call.areas.set(data.area_ids)
    call.skills.set(data.skill_ids)
    audit(user, "created", call, title=call.title)
    return call


@transaction.atomic
def edit_call(user: Any, call: Call, data: CallData) -> Call:
    if call.status != CallStatus.DRAFT:
        raise CrowdError(_("A call that has been sent cannot be edited; send an update."))
    for name in FIELDS:
        setattr(call, name, getattr(data, name))
    call.save()
    call.areas.set(data.area_ids)
    call.skills.set(data.skill_ids)
    audit(user, "edited", call)
    return call


def _fan_out(message: CallMessage, pairs: Iterable[tuple[int, str]]) -> int:
    """Outbox rows for ``(volunteer_id, channel)`` pairs; existing ones are left alone."""
    now = timezone.now()
    rows = [
        Delivery(message=message, volunteer_id=volunteer_id, channel=channel, next_attempt_at=now)
        for volunteer_id, channel in pairs
    ]
    Delivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    transaction.on_commit(wake_workers)
    return len(rows)


def wake_workers() -> None:
    from portaat.crowds import tasks

    try:
        tasks.dispatch()
    except Exception:  # the queue being down must not undo a sent call: the sweep finds it
        logger.exception("could not wake the crowd workers; the per-minute sweep will send")


def _alert_pairs(call: Call) -> list[tuple[int, str]]:
    available = configured_channels()
    pairs = []
    for volunteer in reach.reached_by_call(call).prefetch_related("push_subscriptions"):
        channel = reach.first_channel(volunteer, call.channels, available)
        if channel is not None:
            pairs.append((volunteer.pk, channel))
    return pairs


def send_call(user: Any, call: Call) -> int:
    """Send a draft: one outbox row per reached volunteer on their first channel. Returns how
    many messages were queued. Sending twice is refused (the call is no longer a draft)."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.status != CallStatus.DRAFT:
            raise CrowdError(_("This call has already been sent."))
        if locked.ends_at <= timezone.now():
            raise CrowdError(_("This call has already ended; change its times first."))
        locked.status = CallStatus.SENT
        locked.sent_at = timezone.now()
        locked.save(update_fields=["status", "sent_at"])
        message = CallMessage.objects.create(call=locked, kind=MessageKind.ALERT, created_by=user)
        count = _fan_out(message, _alert_pairs(locked))
        audit(user, "sent", locked, messages=count)
        call.status, call.sent_at = locked.status, locked.sent_at
        transaction.on_commit(lambda: events.publish(call.pk, kind="state"))
    return count


def _answered_yes(call: Call) -> list[tuple[int, str]]:
    """(volunteer, channel) for everyone whose answer is coming or arrived, on the channel
    that reached them first (where they have already read us)."""
    available = configured_channels()
    volunteers = (
        Volunteer.objects.filter(
            responses__call=call,
            responses__answer__in=[Answer.COMING, Answer.ARRIVED],
            status=VolunteerStatus.ACTIVE,
        )
        .prefetch_related("push_subscriptions")
        .distinct()
    )
    # the channel whose alert actually went out (the latest such), not one that failed
    reached_on = dict(
        Delivery.objects.filter(
            message__call=call,
            message__kind=MessageKind.ALERT,
            status__in=[DeliveryStatus.SENT, DeliveryStatus.DELIVERED],
        )
        .order_by("pk")
        .values_list("volunteer_id", "channel")
    )
    pairs = []
    for volunteer in volunteers:
        channel = reached_on.get(volunteer.pk)
        if channel not in available or not reach.has_address(volunteer, channel):
            channel = reach.first_channel(volunteer, [], available)
        if channel is not None:
            pairs.append((volunteer.pk, channel))
    return pairs


def _message_to_yes(user: Any, call: Call, kind: str, texts: dict[str, str]) -> int:
    message = CallMessage.objects.create(call=call, kind=kind, created_by=user, **texts)
    return _fan_out(message, _answered_yes(call))


def send_update(user: Any, call: Call, texts: dict[str, str]) -> int:
    """An update to those who answered yes (``texts``: text_fi, text_sv, text_en)."""
    if not texts.get("text_fi", "").strip():
        raise CrowdError(_("Write the update at least in Finnish."))
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.status != CallStatus.SENT:
            raise CrowdError(_("Updates can be sent only while the call is on."))
        count = _message_to_yes(user, locked, MessageKind.UPDATE, texts)
        audit(user, "updated", locked, messages=count)
    return count


def close_call(user: Any, call: Call, kind: str, texts: dict[str, str] | None = None) -> int:
    """Stand down (the work is done) or cancel (it is not needed): tell those who answered
    yes, stop every message still waiting, take no more answers."""
    status = CallStatus.STOOD_DOWN if kind == MessageKind.STAND_DOWN else CallStatus.CANCELLED
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.status != CallStatus.SENT:
            raise CrowdError(_("Only a call that is on can be stood down or cancelled."))
        locked.status = status
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _skip_pending(Delivery.objects.filter(message__call=locked), "call closed")
        count = _message_to_yes(user, locked, kind, texts or {})
        audit(user, "stood_down" if status == CallStatus.STOOD_DOWN else "cancelled", locked)
        call.status, call.closed_at = locked.status, locked.closed_at
        transaction.on_commit(lambda: events.publish(call.pk, kind="state"))
    return count


def _skip_pending(deliveries: Any, reason: str) -> None:
    deliveries.filter(
        status=DeliveryStatus.PENDING,
        message__kind__in=[MessageKind.ALERT, MessageKind.UPDATE],
    ).update(status=DeliveryStatus.SKIPPED, error=reason)


# --- answers ----------------------------------------------------------------------------------


class AnswerOutcome:
    RECORDED = "recorded"
    WAITLISTED = "waitlisted"
    UNCHANGED = "unchanged"
    CLOSED = "closed"
    NOT_REACHED = "not_reached"
    LEFT = "left"


def was_reached(call: Call, volunteer: Volunteer) -> bool:
    return Delivery.objects.filter(message__call=call, volunteer=volunteer).exists()


def record_answer(call: Call, volunteer: Volunteer, answer: str, via: str) -> str:
    """The volunteer's answer; returns an ``AnswerOutcome``. Answers fold: the same answer
    again changes nothing, a different one replaces it. "Coming" after the needed number is
    reached puts the volunteer on the waitlist (they are told so)."""
    if answer not in Answer.values:
        raise CrowdError(_("Unknown answer."))
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if not locked.is_open:
            return AnswerOutcome.CLOSED
        if volunteer.status != VolunteerStatus.ACTIVE:
            return AnswerOutcome.LEFT
        if not was_reached(locked, volunteer):
            return AnswerOutcome.NOT_REACHED
        existing = Response.objects.filter(call=locked, volunteer=volunteer).first()
        if existing is not None and existing.answer == answer:
            return AnswerOutcome.WAITLISTED if existing.waitlisted else AnswerOutcome.UNCHANGED
        waitlisted = False
        if answer == Answer.COMING:
            if existing is not None and existing.answer == Answer.ARRIVED:
                waitlisted = existing.waitlisted
            else:
                taken = (
                    Response.objects.filter(
                        call=locked, answer__in=[Answer.COMING, Answer.ARRIVED], waitlisted=False
                    )
                    .exclude(volunteer=volunteer)
                    .count()
                )
                waitlisted = taken >= locked.needed
        elif answer == Answer.ARRIVED and existing is not None:
            # somebody on the waitlist who came anyway is there: the official sees them
            waitlisted = False
        now = timezone.now()
        if existing is None:
            Response.objects.create(
                call=locked,
                volunteer=volunteer,
                answer=answer,
                waitlisted=waitlisted,
                via=via,
                created_at=now,
                updated_at=now,
            )
        else:
            freed = (
                existing.answer in (Answer.COMING, Answer.ARRIVED)
                and not existing.waitlisted
                and answer == Answer.NOT_COMING
            )
            existing.answer, existing.waitlisted, existing.via = answer, waitlisted, via
            existing.updated_at = now
            existing.save(update_fields=["answer", "waitlisted", "via", "updated_at"])
            if freed:
                _promote_from_waitlist(locked)
        transaction.on_commit(lambda: events.publish(call.pk, kind="responses", at=now.timestamp()))
    return AnswerOutcome.WAITLISTED if waitlisted else AnswerOutcome.RECORDED


def _promote_from_waitlist(call: Call) -> None:
    """A place freed up: the first on the waitlist (who said "coming" earliest) is now
    expected, and told so on the channel that reached them. Runs inside the answer's
    transaction, with the call locked."""
    taken = Response.objects.filter(
        call=call, answer__in=[Answer.COMING, Answer.ARRIVED], waitlisted=False
    ).count()
    if taken >= call.needed:
        return
    first = (
        Response.objects.filter(call=call, answer=Answer.COMING, waitlisted=True)
        .order_by("updated_at", "pk")
        .first()
    )
    if first is None:
        return
    first.waitlisted = False
    first.save(update_fields=["waitlisted"])
    message = CallMessage.objects.create(call=call, kind=MessageKind.PLACE)
    _fan_out(message, [pair for pair in _answered_yes(call) if pair[0] == first.volunteer_id])


def answer_reply(call: Call, outcome: str, answer: str, language: str) -> str:
    """The short text that confirms an answer (SMS reply, chat, the response page)."""
    with override(language):
        if outcome == AnswerOutcome.CLOSED:
            return _("This call is over. Thank you!")
        if outcome == AnswerOutcome.WAITLISTED:
            return _(
                "Enough people are coming, thank you! You are on the waitlist for %(code)s."
            ) % {"code": call.code}
        if outcome == AnswerOutcome.LEFT:
            return _("You are no longer a volunteer.")
        if outcome == AnswerOutcome.NOT_REACHED:
            return _("This call was not sent to you.")
        if answer == Answer.COMING:
            return _("Thank you! You are expected: %(title)s.") % {"title": call.title}
        if answer == Answer.NOT_COMING:
            return _("Thank you for telling us. You will get no more messages about this call.")
        return _("Thank you! Your arrival is recorded.")


# --- replies from providers -------------------------------------------------------------------

STOP_WORDS = {"STOP", "LOPETA", "SLUTA", "STOPP", "UNSUBSCRIBE"}
ANSWER_WORDS = {
    Answer.COMING: {"1", "KYLLÄ", "KYLLA", "TULEN", "JA", "KOMMER", "YES", "Y", "COMING"},
    Answer.NOT_COMING: {"2", "EI", "EN", "NEJ", "NO", "N"},
    Answer.ARRIVED: {"3", "PERILLÄ", "PERILLA", "PAIKALLA", "FRAMME", "ARRIVED", "HERE"},
}
_TOKEN = re.compile(r"[0-9A-Za-zÅÄÖåäö]+")


def _looks_like_code(token: str) -> bool:
    from portaat.crowds.models import CODE_ALPHABET, CODE_LENGTH

    return (
        len(token) == CODE_LENGTH
        and not token.isdigit()
        and all(ch in CODE_ALPHABET for ch in token)
        and token not in {w for words in ANSWER_WORDS.values() for w in words}
    )


def _first_time(channel: str, kind: str, provider_id: str) -> InboundMessage | None:
    """Record a provider message; None when it was seen before (a retried webhook)."""
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                channel=channel, kind=kind, provider_id=provider_id[:120]
            )
    except IntegrityError:
        return None


def _multilingual(text_fi: str, text_sv: str, text_en: str) -> str:
    return f"{text_fi} / {text_sv} / {text_en}"


def _unknown_sender_reply() -> str:
    texts = []
    for language in ("fi", "sv", "en"):
        with override(language):
            texts.append(_("This number is not registered as a volunteer."))
    return _multilingual(*texts)


def _volunteers_by_phone(phone: str) -> list[Volunteer]:
    return list(Volunteer.objects.filter(phone=phone).order_by("-status", "-pk"))


def handle_sms_reply(phone: str, text: str, *, provider_id: str) -> Reply:
    from portaat.crowds.phone import normalise_phone

    with transaction.atomic():
        inbound = _first_time(Channel.SMS, "reply", provider_id)
        if inbound is None:
            return Reply(ReplyOutcome.DUPLICATE, "")
        try:
            number = normalise_phone(phone)
        except ValueError:
            number = ""
        volunteers = [v for v in _volunteers_by_phone(number) if number]
        active = [v for v in volunteers if v.status == VolunteerStatus.ACTIVE]
        reply = _interpret(active, text, channel=Channel.SMS, known=bool(volunteers))
        inbound.outcome = reply.outcome
        inbound.save(update_fields=["outcome"])
    return reply


def _interpret(active: list[Volunteer], text: str, *, channel: str, known: bool) -> Reply:
    tokens = [t.upper() for t in _TOKEN.findall(text or "")]
    if tokens and tokens[0] in STOP_WORDS:
        for volunteer in active:
            leave(volunteer)
        if not active:
            return Reply(ReplyOutcome.STOPPED if known else ReplyOutcome.UNKNOWN_SENDER, "")
        with override(active[0].language):
            return Reply(
                ReplyOutcome.STOPPED,
                _("You have left the volunteers. You will get no more calls. Thank you!"),
            )
    if not active:
        return Reply(ReplyOutcome.UNKNOWN_SENDER, _unknown_sender_reply())
    volunteer = active[0]
    language = volunteer.language
    code = next((t for t in tokens if _looks_like_code(t)), None)
    answer = next(
        (a for t in tokens for a, words in ANSWER_WORDS.items() if t in words and t != code),
        None,
    )
    if code is not None:
        call = Call.objects.filter(code=code).first()
        if call is None or not any(was_reached(call, v) for v in active):
            with override(language):
                return Reply(
                    ReplyOutcome.UNKNOWN_CODE,
                    _("No call has the code %(code)s. Check the code in the message.")
                    % {"code": code},
                )
        volunteer = next(v for v in active if was_reached(call, v))
    else:
        open_calls = [
            c
            for c in Call.objects.filter(
                status=CallStatus.SENT,
                ends_at__gt=timezone.now(),
                messages__deliveries__volunteer__in=active,
            ).distinct()
        ]
        if len(open_calls) != 1:
            with override(language):
                return Reply(
                    ReplyOutcome.NOT_UNDERSTOOD,
                    _(
                        "Please reply with the call's code and 1 (coming), 2 (not coming) or 3 (arrived)."
                    ),
                )
        call = open_calls[0]
        volunteer = next(v for v in active if was_reached(call, v))
    if answer is None:
        with override(language):
            return Reply(
                ReplyOutcome.NOT_UNDERSTOOD,
                _("Reply %(code)s 1 (coming), %(code)s 2 (not coming) or %(code)s 3 (arrived).")
                % {"code": call.code},
            )
    outcome = record_answer(call, volunteer, answer, via=channel)
    kind = {
        AnswerOutcome.CLOSED: ReplyOutcome.CALL_CLOSED,
        AnswerOutcome.WAITLISTED: ReplyOutcome.WAITLISTED,
    }.get(outcome, ReplyOutcome.ANSWERED)
    return Reply(kind, answer_reply(call, outcome, answer, language))


def record_receipt(channel: str, provider_id: str, *, delivered: bool, error: str = "") -> bool:
    now = timezone.now()
    deliveries = Delivery.objects.filter(channel=channel, provider_id=provider_id)
    if delivered:
        changed = deliveries.filter(
            status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN]
        ).update(status=DeliveryStatus.DELIVERED, delivered_at=now)
    else:
        changed = deliveries.exclude(status=DeliveryStatus.DELIVERED).update(
            status=DeliveryStatus.FAILED, error=(error or "not delivered")[:300]
        )
    return bool(changed) or deliveries.exists()


def link_telegram_chat(token: str, chat_id: str, *, provider_id: str) -> Reply:
    with transaction.atomic():
        if _first_time(Channel.TELEGRAM, "update", provider_id) is None:
            return Reply(ReplyOutcome.DUPLICATE, "")
        volunteer = Volunteer.objects.filter(
            telegram_link_token=token, status=VolunteerStatus.ACTIVE
        ).first()
        if volunteer is None or not token:
            return Reply(ReplyOutcome.UNKNOWN_SENDER, _unknown_chat_reply())
        volunteer.telegram_chat_id = chat_id
        if Channel.TELEGRAM not in volunteer.channels:
            volunteer.channels = [*volunteer.channels, Channel.TELEGRAM]
        # the link is used up: a forwarded link cannot bind a second chat
        volunteer.telegram_link_token = new_secret()
        volunteer.save(update_fields=["telegram_chat_id", "channels", "telegram_link_token"])
        with override(volunteer.language):
            return Reply(
                ReplyOutcome.ANSWERED,
                _("This chat now gets your volunteer calls. Send /stop to leave."),
            )


def _unknown_chat_reply() -> str:
    texts = []
    for language in ("fi", "sv", "en"):
        with override(language):
            texts.append(_("This chat is not linked to a volunteer."))
    return _multilingual(*texts)


def handle_chat_answer(
    channel: str, chat_id: str, call_id: int, answer: str, *, provider_id: str
) -> Reply:
    with transaction.atomic():
        if _first_time(channel, "update", provider_id) is None:
            return Reply(ReplyOutcome.DUPLICATE, "")
        volunteer = _chat_volunteer(channel, chat_id)
        if volunteer is None:
            return Reply(ReplyOutcome.UNKNOWN_SENDER, _unknown_chat_reply())
        call = Call.objects.filter(pk=call_id).first()
        if call is None or not was_reached(call, volunteer) or answer not in Answer.values:
            with override(volunteer.language):
                return Reply(ReplyOutcome.UNKNOWN_CODE, _("This call was not sent to you."))
        outcome = record_answer(call, volunteer, answer, via=channel)
    kind = {
        AnswerOutcome.CLOSED: ReplyOutcome.CALL_CLOSED,
        AnswerOutcome.WAITLISTED: ReplyOutcome.WAITLISTED,
    }.get(outcome, ReplyOutcome.ANSWERED)
    return Reply(kind, answer_reply(call, outcome, answer, volunteer.language))


def _chat_volunteer(channel: str, chat_id: str) -> Volunteer | None:
    if channel != Channel.TELEGRAM or not chat_id:
        return None
    return Volunteer.objects.filter(telegram_chat_id=chat_id, status=VolunteerStatus.ACTIVE).first()


def handle_chat_stop(channel: str, chat_id: str, *, provider_id: str) -> Reply:
    with transaction.atomic():
        if _first_time(channel, "update", provider_id) is None:
            return Reply(ReplyOutcome.DUPLICATE, "")
        volunteer = _chat_volunteer(channel, chat_id)
        if volunteer is None:
            return Reply(ReplyOutcome.UNKNOWN_SENDER, _unknown_chat_reply())
        leave(volunteer)
        with override(volunteer.language):
            return Reply(
                ReplyOutcome.STOPPED,
                _("You have left the volunteers. You will get no more calls. Thank you!"),
            )


def forget_address(delivery: Delivery, address: str) -> None:
    """The provider says the address is gone for good (Web Push 404/410, a blocked bot)."""
    if delivery.channel == Channel.PUSH:
        PushSubscription.objects.filter(
            volunteer_id=delivery.volunteer_id, endpoint=address
        ).delete()
    elif delivery.channel == Channel.TELEGRAM:
        Volunteer.objects.filter(pk=delivery.volunteer_id, telegram_chat_id=address).update(
            telegram_chat_id=""
        )


# --- periodic work ----------------------------------------------------------------------------


def escalate(now: datetime | None = None) -> int:
    """Volunteers who got a call but have not answered after the call's escalation time get it
    on their next channel (each channel at most once per call). Returns rows queued."""
    now = now or timezone.now()
    available = configured_channels()
    queued = 0
    calls = Call.objects.filter(status=CallStatus.SENT, ends_at__gt=now, respond_by__gt=now)
    for call in calls:
        alert = call.messages.filter(kind=MessageKind.ALERT).first()
        if alert is None:
            continue
        counts = headcount(call)
        if counts["coming"] + counts["arrived"] >= call.needed:
            continue  # enough people: nobody more needs to be chased
        cutoff = now - timedelta(minutes=call.escalate_after_minutes)
        answered = set(call.responses.values_list("volunteer_id", flat=True))
        tried: dict[int, set[str]] = {}
        latest: dict[int, datetime] = {}
        for volunteer_id, channel, created in alert.deliveries.values_list(
            "volunteer_id", "channel", "created_at"
        ):
            tried.setdefault(volunteer_id, set()).add(channel)
            latest[volunteer_id] = max(created, latest.get(volunteer_id, created))
        waiting = [v for v, at in latest.items() if v not in answered and at <= cutoff]
        pairs = []
        volunteers = reach.eligible_volunteers(now).filter(pk__in=waiting)
        for volunteer in volunteers.prefetch_related("push_subscriptions"):
            for channel in volunteer.channels or []:
                if channel in tried[volunteer.pk] or channel not in available:
                    continue
                if call.channels and channel not in call.channels:
                    continue
                if reach.has_address(volunteer, channel):
                    pairs.append((volunteer.pk, channel))
                    break
        if pairs:
            with transaction.atomic():
                queued += _fan_out(alert, pairs)
    return queued


def forget_left(now: datetime | None = None) -> int:
    """Retention: ``PORTAAT_CROWDS_LEFT_RETENTION_DAYS`` after a volunteer left, everything that
    identifies or reaches them is wiped — name, addresses, push subscriptions, areas, skills —
    and their personal link stops working. Their answers to past calls stay (headcounts and the
    audit keep adding up), tied to a row that names nobody. Returns how many were wiped."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PORTAAT_CROWDS_LEFT_RETENTION_DAYS)
    due = Volunteer.objects.filter(status=VolunteerStatus.LEFT, left_at__lt=cutoff).filter(
        ~Q(name="")
        | ~Q(email="")
        | ~Q(phone="")
        | ~Q(telegram_chat_id="")
        | Q(push_subscriptions__isnull=False)
        | Q(areas__isnull=False)
        | Q(skills__isnull=False)
    )
    wiped = 0
    for pk in due.values_list("pk", flat=True).distinct():
        with transaction.atomic():
            volunteer = Volunteer.objects.select_for_update().get(pk=pk)
            if volunteer.status != VolunteerStatus.LEFT:
                continue  # came back meanwhile
            volunteer.name = volunteer.email = volunteer.phone = volunteer.telegram_chat_id = ""
            volunteer.channels = []
            volunteer.secret = new_secret()
            volunteer.telegram_link_token = new_secret()
            volunteer.save()
            volunteer.areas.clear()
            volunteer.skills.clear()
            volunteer.push_subscriptions.all().delete()
            wiped += 1
    return wiped


def send_reminders(now: datetime | None = None) -> int:
    """Remind volunteers whose confirmation runs out within a fortnight (once per period);
    the reminder carries their personal link, where one tap confirms."""
    now = now or timezone.now()
    cutoff = reach.confirmation_cutoff(now)
    soon = cutoff + timedelta(days=14)
    due = Volunteer.objects.filter(
        status=VolunteerStatus.ACTIVE, confirmed_at__lt=soon, reminded_at__isnull=True
    )
    available = configured_channels()
    pairs = []
    ids = []
    for volunteer in due.prefetch_related("push_subscriptions"):
        channel = reach.first_channel(volunteer, [], available)
        ids.append(volunteer.pk)
        if channel is not None:
            pairs.append((volunteer.pk, channel))
    if not ids:
        return 0
    with transaction.atomic():
        message = CallMessage.objects.create(call=None, kind=MessageKind.REMINDER)
        _fan_out(message, pairs)
        Volunteer.objects.filter(pk__in=ids).update(reminded_at=now)
    return len(pairs)


def headcount(call: Call) -> dict[str, int]:
    counts = {"coming": 0, "waitlisted": 0, "not_coming": 0, "arrived": 0}
    for answer, waitlisted in call.responses.values_list("answer", "waitlisted"):
        if answer == Answer.COMING:
            counts["waitlisted" if waitlisted else "coming"] += 1
        elif answer == Answer.ARRIVED:
            counts["arrived"] += 1
        else:
            counts["not_coming"] += 1
    reached_ids = Delivery.objects.filter(
        message__call=call, message__kind=MessageKind.ALERT
    ).values("volunteer_id")
    counts["reached"] = reached_ids.distinct().count()
    counts["no_answer"] = max(
        0,
        counts["reached"]
        - sum(counts[k] for k in ("coming", "waitlisted", "not_coming", "arrived")),
    )
    counts["delivered"] = (
        Delivery.objects.filter(
            message__call=call,
            message__kind=MessageKind.ALERT,
            status__in=[DeliveryStatus.SENT, DeliveryStatus.DELIVERED],
        )
        .values("volunteer_id")
        .distinct()
        .count()
    )
    counts["failed"] = (
        Delivery.objects.filter(message__call=call, message__kind=MessageKind.ALERT)
        .filter(Q(status=DeliveryStatus.FAILED) | Q(status=DeliveryStatus.UNCERTAIN))
        .count()
    )
    return counts
