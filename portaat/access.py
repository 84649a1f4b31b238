"""The one place for permission checks: who may see and change what.

Views, API permissions and templates ask the functions here; nothing else looks at groups,
``is_staff`` or ``is_superuser``. Roles are Django groups named by the ``Role`` values, so a
coordinator can manage them in the admin and later issues can add object-level rules here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from portaat.ladders.models import Ladder

    AnyUser = AbstractBaseUser | AnonymousUser


class Role(StrEnum):
    COORDINATOR = "coordinator"
    OFFICIAL = "official"
    RESEARCHER = "researcher"
    ACTIVIST = "activist"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.COORDINATOR: _("Coordinator"),
    Role.OFFICIAL: _("Official or elected member"),
    Role.RESEARCHER: _("Researcher"),
    Role.ACTIVIST: _("Civic actor"),
}


def ensure_role_groups() -> int:
    """Create the role groups that do not exist yet; return how many were created."""
    created = 0
    for role in Role:
        _group, was_created = Group.objects.get_or_create(name=role.value)
        created += was_created
    return created


def roles_of(user: AnyUser | None) -> frozenset[Role]:
    """The user's roles, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_portaat_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr,attr-defined]
        cached = frozenset(role for role in Role if role.value in names)
        if getattr(user, "is_superuser", False):
            cached = cached | {Role.COORDINATOR}
        user._portaat_roles = cached  # type: ignore[union-attr,attr-defined]
    return cached


def has_role(user: AnyUser | None, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


# --- ladders -------------------------------------------------------------------------------


def can_view_ladder(user: AnyUser | None, ladder: Ladder) -> bool:
    """Ladders are public knowledge: built-in and custom ones alike."""
    return True


def can_manage_ladders(user: AnyUser | None) -> bool:
    """Create custom ladders (by copying one) and edit them: coordinators."""
    return has_role(user, Role.COORDINATOR)


def can_edit_ladder(user: AnyUser | None, ladder: Ladder) -> bool:
    """Built-in ladders are read-only for everybody; custom ones belong to coordinators."""
    return not ladder.is_builtin and can_manage_ladders(user)


# --- site ------------------------------------------------------------------------------------


def can_use_admin(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and getattr(user, "is_staff", False))


# --- decorators and DRF ----------------------------------------------------------------------

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def require(check: Callable[[Any], bool]) -> Callable[[ViewFunc], ViewFunc]:
    """Guard a function view with a user-level check from this module.

    Anonymous visitors are sent to log in; signed-in users without the right get a 403 page.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if check(request.user):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapped  # type: ignore[return-value]

    return decorator


class ApiReadPublic(BasePermission):
    """The default for API views: anyone may read; writes need a view-specific permission."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS
