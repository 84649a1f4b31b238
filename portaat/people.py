"""One person's data: export everything Portaat holds about an e-mail address, and erase it
(the data protection rights of access and erasure; `portaat person export|erase EMAIL`).

The search is generic, so models added later are covered without changes here: every row that
points to the person's account (a foreign key, one-to-one or many-to-many to the user model) and
every row whose e-mail field holds the address (volunteers, thanks, activisms' contacts, …).

Erasing does not delete the account's row: assessments, interactions, calls and other records of
the administration stay, attributed to an anonymous "erased-<id>" account that can no longer sign
in. What exists only for the person goes (notifications and their settings, e-mail addresses,
API keys, sessions, subscriptions, thanks preferences, unit memberships, MFA devices); e-mail
fields holding the address are emptied; volunteers with the address are erased as by their own
"erase" button. Free text the person wrote into shared records (a note on a case) stays: it is
the administration's record, and a name in prose cannot be found reliably.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils import timezone

# credentials, not personal data to hand out: never exported
SECRET_FIELDS = {
    "password",
    "key",
    "secret",
    "secret_hash",
    "session_key",
    "p256dh",
    "auth",
    "digest",
}
# and fields that are credentials only in one model (a two-step app's secret, recovery codes)
SECRET_MODEL_FIELDS = {"mfa.authenticator": {"data"}}
# rows that exist only for their account: deleted when the person is erased
PERSONAL_ONLY = {
    "portaat.notification",
    "portaat.notificationsettings",
    "account.emailaddress",
    "portaat.apikey",
    "planning.spikesubscription",
    "thanks.thanksprofile",
    "registry.membership",
    "mfa.authenticator",
    "socialaccount.socialaccount",
}


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def user_relations() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every (model, field) that points to the user model."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.Field)
                and field.is_relation
                and field.related_model is user_model
                and (field.many_to_one or field.one_to_one or field.many_to_many)
            ):
                found.append((model, field))
    return found


def email_fields() -> list[tuple[type[models.Model], models.EmailField[Any, Any]]]:
    user_model = get_user_model()
    return [
        (model, field)
        for model in apps.get_models()
        if model is not user_model
        for field in model._meta.concrete_fields
        if isinstance(field, models.EmailField)
    ]


def find_user(email: str) -> Any:
    user_model = get_user_model()
    return (
        user_model.objects.filter(email__iexact=email).order_by("pk").first()
        or user_model.objects.filter(username__iexact=email).order_by("pk").first()
    )


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def _row(obj: models.Model) -> dict[str, Any]:
    row: dict[str, Any] = {}
    hidden = SECRET_FIELDS | SECRET_MODEL_FIELDS.get(_label(type(obj)), set())
    for field in obj._meta.concrete_fields:
        if field.name in hidden:
            continue
        row[field.attname] = _value(getattr(obj, field.attname))
    return row


def export_person(email: str) -> dict[str, Any]:
    """Everything about ``email``: the account (if any) and every row found, by model."""
    user = find_user(email)
    records: dict[str, dict[int | str, dict[str, Any]]] = {}

    def add(obj: models.Model) -> None:
        records.setdefault(_label(type(obj)), {})[obj.pk] = _row(obj)

    if user is not None:
        for model, field in user_relations():
            for obj in model._default_manager.filter(**{field.name: user}).order_by("pk"):
                add(obj)
    for model, field in email_fields():
        for obj in model._default_manager.filter(**{f"{field.name}__iexact": email}):
            add(obj)
    account = None
    if user is not None:
        account = _row(user)
        account["groups"] = sorted(user.groups.values_list("name", flat=True))
    return {
        "exported_at": timezone.now().isoformat(),
        "email": email,
        "account": account,
        "records": {label: list(rows.values()) for label, rows in sorted(records.items())},
    }


def _blanked(model: type[models.Model], field: models.Field[Any, Any]) -> dict[str, Any]:
    """The e-mail field emptied, with its siblings of the same prefix (``contact_email`` takes
    ``contact_name``, ``contact_phone`` and the consent given with them)."""
    values: dict[str, Any] = {field.name: ""}
    prefix = field.name.removesuffix("email")
    if prefix and prefix != field.name:
        for other in model._meta.concrete_fields:
            if other.name.startswith(prefix) and other is not field and other.editable:
                if isinstance(other, models.CharField | models.TextField):
                    values[other.name] = ""
                elif other.null:
                    values[other.name] = None
    return values


@transaction.atomic
def erase_person(email: str) -> dict[str, int]:
    """Erase ``email``'s personal data (see the module's docstring); counts per kind of row."""
    from portaat.crowds import services as crowds
    from portaat.crowds.models import Volunteer

    counts: dict[str, int] = {}

    def count(label: str, n: int) -> None:
        if n:
            counts[label] = counts.get(label, 0) + n

    for volunteer in Volunteer.objects.filter(email__iexact=email):
        crowds.erase(volunteer)
        count("crowds.volunteer", 1)
    for model, field in email_fields():
        if _label(model) in PERSONAL_ONLY:
            continue
        count(
            _label(model),
            model._default_manager.filter(**{f"{field.name}__iexact": email}).update(
                **_blanked(model, field)
            ),
        )
    user = find_user(email)
    if user is not None:
        for related, relation in user_relations():
            if _label(related) in PERSONAL_ONLY:
                deleted, _ = related._default_manager.filter(**{relation.name: user}).delete()
                count(_label(related), deleted)
            elif relation.many_to_many:  # e.g. an activism's maintainers: no longer one
                for obj in related._default_manager.filter(**{relation.name: user}):
                    getattr(obj, relation.name).remove(user)
                    count(f"{_label(related)}.{relation.name}", 1)
        sessions = [
            session.pk
            for session in Session.objects.all().iterator()
            if session.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        count("sessions.session", Session.objects.filter(pk__in=sessions).delete()[0])
        user.username = f"erased-{user.pk}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        count("account", 1)
    return counts
