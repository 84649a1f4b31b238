"""Notifications: their texts in the reader's language, reading them, and the email digest.

Reminder tasks (``repertoire/tasks.py``) store only a ``kind`` and plain ``params``; the text
is built here when someone reads it, so each reader gets it in their own language and a
translation fixed later reaches old notifications too.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portaat.models import EmailDigest, Notification, NotificationSettings

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "fi"
# One digest lists at most this many; the rest follow in the next digest (and are on the site).
DIGEST_LIMIT = 50
# Weekly digests go out on Mondays (datetime.date.weekday()).
WEEKLY_ON = 0


# --- texts ------------------------------------------------------------------------------------


def _date(value: Any) -> str:
    """An ISO date from ``params`` in the active language's format; anything else as is."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return formats.date_format(day, "DATE_FORMAT")


def _reassess(params: dict[str, Any]) -> str:
    return _("%(activism)s has not been assessed since %(last)s.") % {
        "activism": params["activism"],
        "last": _date(params["last"]),
    }


def _plan_overdue(params: dict[str, Any]) -> str:
    return _("The planned practice “%(practice)s” for %(activism)s is overdue.") % {
        "practice": params["practice"],
        "activism": params["activism"],
    }


def _experiment_ended(params: dict[str, Any]) -> str:
    return _(
        "The experiment “%(title)s” ended on %(ended)s without an outcome: record what happened."
    ) % {"title": params["title"], "ended": _date(params["ended"])}


def _spike(params: dict[str, Any]) -> str:
    labels = params["labels"]
    language = translation.get_language() or DEFAULT_LANGUAGE
    name = labels.get(language[:2]) or labels.get(DEFAULT_LANGUAGE) or ""
    kinds = {"area": _("area"), "topic": _("theme"), "keyword": _("keyword")}
    return ngettext(
        "Spike: %(kind)s “%(name)s” was mentioned %(recent)d time in the last %(hours)d hours "
        "(about %(expected)s expected).",
        "Spike: %(kind)s “%(name)s” was mentioned %(recent)d times in the last %(hours)d hours "
        "(about %(expected)s expected).",
        int(params["recent"]),
    ) % {
        "kind": kinds[params["kind"]],
        "name": name,
        "recent": int(params["recent"]),
        "hours": int(params["hours"]),
        "expected": formats.number_format(float(params["expected"]), 1),
    }


def _label(labels: Any) -> str:
    """A name stored in every language (``{"fi": …, "sv": …}``), in the active one."""
    if not isinstance(labels, dict):
        return str(labels)
    language = (translation.get_language() or DEFAULT_LANGUAGE)[:2]
    return str(labels.get(language) or labels.get(DEFAULT_LANGUAGE) or "")


def _thanks(params: dict[str, Any]) -> str:
    if params["thanker"]:
        return _("%(thanker)s thanked you for how you work with civic action. Read the story.") % {
            "thanker": params["thanker"]
        }
    return _("A civic actor thanked you for how you work with civic action. Read the story.")


def _thanks_manager(params: dict[str, Any]) -> str:
    return _("A civic actor thanked %(official)s of %(unit)s. Read the story.") % {
        "official": params["official"],
        "unit": _label(params["unit"]),
    }


def _thanks_unit(params: dict[str, Any]) -> str:
    return _("A civic actor thanked your unit %(unit)s. Read the story.") % {
        "unit": _label(params["unit"])
    }


def _initiative_match(params: dict[str, Any]) -> str:
    return _(
        "The city proposed a way forward for your initiative %(initiative)s: %(opportunity)s."
    ) % {"initiative": params["initiative"], "opportunity": params["opportunity"]}


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "reassess": _reassess,
    "plan_overdue": _plan_overdue,
    "experiment_ended": _experiment_ended,
    "spike": _spike,
    # thanks (portaat/thanks): to the official, their unit's coordinator, a unit's coordinators
    "thanks": _thanks,
    "thanks_manager": _thanks_manager,
    "thanks_unit": _thanks_unit,
    # initiatives (portaat/initiatives): an opportunity proposed to an activism's initiative
    "initiative_match": _initiative_match,
}


def render(notification: Notification) -> str:
    """The notification's text in the active language; a generic text for unknown kinds or
    params that do not fit (a notification must never break the page that lists it)."""
    renderer = RENDERERS.get(notification.kind)
    params = notification.params if isinstance(notification.params, dict) else {}
    if renderer is not None:
        try:
            return renderer(params)
        except (KeyError, TypeError, ValueError):
            log.warning("notification %s: params do not fit its kind", notification.pk)
    return _("You have a new notification.")


# --- reading ----------------------------------------------------------------------------------


def for_user(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def mark_read(user: Any, ids: Iterable[int]) -> int:
    """Mark the user's own notifications among ``ids`` read; others' ids are ignored.
    Returns how many changed."""
    return Notification.objects.filter(
        user_id=user.pk, pk__in=list(ids), read_at__isnull=True
    ).update(read_at=timezone.now())


def mark_all_read(user: Any) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- settings ---------------------------------------------------------------------------------


def settings_for(user: Any) -> NotificationSettings:
    """The user's settings; the defaults (daily digest) when the user never chose."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found or NotificationSettings(user_id=user.pk)


def set_digest(user: Any, email_digest: str) -> NotificationSettings:
    """Choose how often the email digest comes; raises ``ValueError`` for an unknown choice."""
    if email_digest not in EmailDigest.values:
        raise ValueError(email_digest)
    found, _created = NotificationSettings.objects.update_or_create(
        user_id=user.pk, defaults={"email_digest": email_digest}
    )
    return found


def set_thanks_to_manager(user: Any, enabled: bool) -> NotificationSettings:
    """Choose whether the unit's coordinator is notified when the user is thanked."""
    found, _created = NotificationSettings.objects.update_or_create(
        user_id=user.pk, defaults={"thanks_to_manager": enabled}
    )
    return found


def remember_language(user: Any, language: str | None) -> None:
    """Keep the language the user reads the site in, for the emails sent without a request."""
    codes = {code for code, _name in settings.LANGUAGES}
    if not language or language not in codes:
        return
    updated = NotificationSettings.objects.filter(user_id=user.pk).exclude(language=language)
    if not updated.update(language=language):
        NotificationSettings.objects.get_or_create(user_id=user.pk, defaults={"language": language})


# --- the email digest -------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    """A link for an email: ``SITE_URL`` plus the notification's path (or the list page)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + (path or reverse("notifications:list"))


@dataclass
class DigestResult:
    emails: int = 0
    notifications: int = 0


def _due(choice: str, today: dt.date) -> bool:
    if choice == EmailDigest.DAILY:
        return True
    return choice == EmailDigest.WEEKLY and today.weekday() == WEEKLY_ON


def _send_one(user: Any, language: str, now: dt.datetime) -> int:
    """Email the user's unread, not yet emailed notifications in one message, and mark exactly
    those emailed in the same transaction: if sending fails, nothing is marked and the next
    run tries again; once committed, no later run sends them again.

    The rows are locked (PostgreSQL; other workers skip them) or, on SQLite, the UPDATE takes
    the database's write lock, so two workers cannot both send the same notifications.
    """
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(user_id=user.pk, emailed_at__isnull=True, read_at__isnull=True)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:DIGEST_LIMIT]
        )
        if not ids:
            return 0
        claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
            emailed_at=now
        )
        if not claimed:
            return 0
        notes = list(Notification.objects.filter(pk__in=ids, emailed_at=now).order_by("-pk"))
        with translation.override(language):
            items = [{"text": render(n), "url": absolute_url(n.url)} for n in notes]
            subject = ngettext(
                "Portaat: %(count)d new notification",
                "Portaat: %(count)d new notifications",
                len(items),
            ) % {"count": len(items)}
            body = render_to_string(
                "notifications/digest_email.txt",
                {
                    "items": items,
                    "list_url": absolute_url(reverse("notifications:list")),
                    "site_url": settings.SITE_URL,
                },
            )
        # send_mail() plus a Content-Language header, so mail clients know what they show
        EmailMessage(subject, body, to=[user.email], headers={"Content-Language": language}).send(
            fail_silently=False
        )
        return len(notes)


def send_now(user: Any, now: dt.datetime | None = None) -> int:
    """Email the user's unread, not yet emailed notifications at once (for alerts that cannot
    wait for the digest), unless the user turned email off. Returns 1 if an email was sent.
    What is sent here is marked emailed, so the digest does not repeat it."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    if (found and found.email_digest == EmailDigest.OFF) or not getattr(user, "email", ""):
        return 0
    language = (found.language if found else "") or DEFAULT_LANGUAGE
    return 1 if _send_one(user, language, now or timezone.now()) else 0


def send_digests(now: dt.datetime | None = None) -> DigestResult:
    """Send each user who has unread, not yet emailed notifications one digest, if their
    setting says one is due at ``now`` (daily: every run; weekly: on Mondays, local time;
    off: never). Users without settings get the daily digest in Finnish."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = DigestResult()
    user_ids = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    chosen = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=list(user_ids))}
    users = get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk")
    for user in users:
        found = chosen.get(user.pk)
        choice = found.email_digest if found else EmailDigest.DAILY
        if not _due(choice, today) or not getattr(user, "email", ""):
            continue
        language = (found.language if found else "") or DEFAULT_LANGUAGE
        try:
            sent = _send_one(user, language, now)
        except OSError:
            # An SMTP server that is down must not stop the others' digests; retried next run.
            log.exception("digest for user %s not sent", user.pk)
            continue
        if sent:
            result.emails += 1
            result.notifications += sent
    return result
