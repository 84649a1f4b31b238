"""The words of each message, in the volunteer's language, for every channel."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from portaat.crowds import links
from portaat.crowds.models import Call, CallMessage, Delivery, MessageKind, Volunteer
from portaat.crowds.transports.base import Outgoing

# An SMS of at most three parts stays readable and cheap; the link carries the rest.
SMS_MAX_CHARS = 300


def _when(call: Call) -> str:
    return _span(call.starts_at, call.ends_at, get_language(), timezone.get_current_timezone_name())


@lru_cache(maxsize=256)
def _span(starts_at: datetime, ends_at: datetime, language: str, zone: str) -> str:
    # a fan-out formats the same times for every volunteer of a language: formatted once
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    return f"{formats.date_format(start, 'SHORT_DATETIME_FORMAT')}–{formats.time_format(end, 'TIME_FORMAT')}"


def _place(call: Call, language: str) -> str:
    names = [area.display_name(language) for area in call.areas.all()]
    return ", ".join(filter(None, [call.address, *names]))


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def address_of(delivery: Delivery) -> str:
    volunteer = delivery.volunteer
    return {
        "email": volunteer.email,
        "sms": volunteer.phone,
        "telegram": volunteer.telegram_chat_id,
    }.get(delivery.channel, "")


def outgoing(
    delivery: Delivery, *, to: str | None = None, extra: dict[str, str] | None = None
) -> Outgoing:
    """The message of ``delivery`` for its volunteer and channel (``to``/``extra``: a push
    subscription's endpoint and keys)."""
    volunteer = delivery.volunteer
    message = delivery.message
    language = volunteer.language if volunteer.language in ("fi", "sv", "en") else "fi"
    with override(language):
        subject, text, short, links_out, url = _words(message, volunteer, language)
    return Outgoing(
        delivery_id=delivery.pk,
        reference=str(delivery.reference),
        to=to if to is not None else address_of(delivery),
        subject=subject,
        text=text,
        short_text=short,
        language=language,
        links=links_out,
        url=url,
        extra={
            **(extra or {}),
            "manage_url": links.manage_url(volunteer),
            **({"call_id": message.call_id} if message.call_id else {}),
        },
    )


def _footer(volunteer: Volunteer) -> str:
    return _(
        "You get this because you volunteered for rapid-response calls. Your details, "
        "confirming, leaving: %(url)s"
    ) % {"url": links.manage_url(volunteer)}


def _words(
    message: CallMessage, volunteer: Volunteer, language: str
) -> tuple[str, str, str, dict[str, str], str]:
    call = message.call
    if message.kind == MessageKind.REMINDER or call is None:
        url = links.manage_url(volunteer)
        subject = _("Please confirm that you are still a volunteer")
        text = _(
            "You volunteered to help in crises near you. Please confirm that your details are "
            "still right, or leave, here: %(url)s\n\nIf you do not confirm, you will get no "
            "more calls."
        ) % {"url": url}
        short = _("Please confirm you are still a volunteer: %(url)s (reply STOP to leave)") % {
            "url": url
        }
        return subject, text, short, {}, url
    page = links.response_url(call, volunteer)
    if message.kind == MessageKind.ALERT:
        answer_links = {
            answer: links.response_url(call, volunteer, answer)
            for answer in ("coming", "not_coming", "arrived")
        }
        subject = _("Call for help: %(title)s") % {"title": call.title}
        lines = [
            call.title,
            "",
            call.instructions(language),
            "",
            _("When: %(when)s") % {"when": _when(call)},
            _("Where: %(place)s") % {"place": _place(call, language)},
            _("People needed: %(count)s") % {"count": call.needed},
            _("Please answer by %(time)s.")
            % {"time": formats.time_format(timezone.localtime(call.respond_by), "TIME_FORMAT")},
            "",
            _("I am coming: %(url)s") % {"url": answer_links["coming"]},
            _("I cannot come: %(url)s") % {"url": answer_links["not_coming"]},
            _("I have arrived: %(url)s") % {"url": answer_links["arrived"]},
            "",
            _("Or reply by text message: %(code)s 1 (coming), %(code)s 2 (not coming).")
            % {"code": call.code},
            "",
            _footer(volunteer),
        ]
        head = _("%(title)s. %(place)s %(when)s.") % {
            "title": call.title,
            "place": _place(call, language),
            "when": _when(call),
        }
        tail = _(" Reply %(code)s 1 = coming, %(code)s 2 = not coming. %(url)s") % {
            "code": call.code,
            "url": page,
        }
        short = _clip(head, max(40, SMS_MAX_CHARS - len(tail))) + tail
        return subject, "\n".join(lines), short, answer_links, page
    titles: dict[str, str] = {
        MessageKind.UPDATE: _("Update: %(title)s"),
        MessageKind.STAND_DOWN: _("Stand down: %(title)s"),
        MessageKind.CANCEL: _("Cancelled: %(title)s"),
        MessageKind.ENOUGH: _("Enough people: %(title)s"),
        MessageKind.PLACE: _("A place opened: %(title)s"),
    }
    title = titles.get(message.kind, "%(title)s") % {"title": call.title}
    defaults: dict[str, str] = {
        MessageKind.STAND_DOWN: _("The work is done. Thank you for your help!"),
        MessageKind.CANCEL: _("The call is cancelled: no help is needed. Thank you!"),
        MessageKind.ENOUGH: _("Enough people are coming. Thank you!"),
        MessageKind.PLACE: _(
            "Someone cannot come after all, so you are now expected. If you cannot come either, "
            'please answer "I cannot come" on the page below.'
        ),
    }
    body = message.text(language) or defaults.get(message.kind, "")
    text = "\n".join([title, "", body, "", page, "", _footer(volunteer)])
    short = _clip(f"{title}. {body}", SMS_MAX_CHARS - 30) + f" {page}"
    return title, text, short, {}, page


def public_call_url(call: Call) -> str:
    return settings.SITE_URL + reverse("crowds:call_detail", args=[call.pk])
