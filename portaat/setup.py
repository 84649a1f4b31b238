"""``portaat init``: bring a database to the current release, idempotently."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from portaat.access import Role, ensure_role_groups
from portaat.figures.services import load_builtin_metrics
from portaat.ladders.services import load_builtin
from portaat.planning.services import load_builtin_themes
from portaat.registry.services import load_builtin_kinds, load_gazetteer
from portaat.repertoire.services import sync_builtin_practices
from portaat.somehallinto.services import load_guidance

DEFAULT_ADMIN_EMAIL = "admin@example.org"


def initialise(*, admin_email: str | None, create_admin: bool, verbosity: int = 1) -> Iterator[str]:
    """Migrate, load or upgrade built-in data, create role groups and a first coordinator.

    Yields one human-readable line per step. A second run changes nothing and says so.
    """
    call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
    yield "database schema is up to date"
    yield load_builtin().summary()
    changed_kinds = load_builtin_kinds()
    yield (
        f"kinds of activism: {changed_kinds} created or updated"
        if changed_kinds
        else ("kinds of activism are up to date")
    )
    areas = load_gazetteer()
    if not areas.ok:
        raise RuntimeError("the shipped gazetteer is invalid: " + "; ".join(areas.errors[:5]))
    yield (
        f"areas: created {areas.created}, updated {areas.updated}"
        if areas.created or areas.updated
        else "areas are up to date"
    )
    practices = sync_builtin_practices()
    yield (
        f"built-in practices: {practices} created or updated"
        if practices
        else ("built-in practices are up to date")
    )
    themes = load_builtin_themes()
    yield (f"planning themes: {themes} created" if themes else "planning themes are up to date")
    metrics = load_builtin_metrics()
    yield (f"activity figures: {metrics} created" if metrics else "activity figures are up to date")
    guidance = load_guidance()
    yield (
        f"social-media governance guidance: {guidance} levels added"
        if guidance
        else "social-media governance guidance is in place"
    )
    created_groups = ensure_role_groups()
    if created_groups:
        yield f"created {created_groups} role groups"
    if create_admin:
        yield from _first_coordinator(admin_email)


def _first_coordinator(admin_email: str | None) -> Iterator[str]:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        yield "a first coordinator account exists already"
        return
    email = (admin_email or os.environ.get("PORTAAT_ADMIN_EMAIL") or DEFAULT_ADMIN_EMAIL).strip()
    password = os.environ.get("PORTAAT_ADMIN_PASSWORD", "")
    generated = not password
    if generated:
        password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user = user_model.objects.create_superuser(username=email, email=email, password=password)
        user.groups.add(Group.objects.get(name=Role.COORDINATOR.value))
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    yield f"created the first coordinator account: {email}"
    if generated:
        yield f"  its password (shown only now): {password}"
    else:
        yield "  its password is the one in PORTAAT_ADMIN_PASSWORD"
