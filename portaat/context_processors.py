from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from portaat import __version__, access


def portaat(request: HttpRequest) -> dict[str, Any]:
    """What every page's chrome needs: version, and the visitor's roles for the menu."""
    # Error pages can render before AuthenticationMiddleware ran (e.g. a bad Host header).
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "portaat_version": __version__,
        "can_manage_ladders": access.can_manage_ladders(user),
        "can_use_admin": access.can_use_admin(user),
        "is_administration": access.is_administration(user),
        # a callable (templates call it): the permission lookup costs queries, so it runs only
        # for the administration, whose menu shows the link
        "can_run_calls": _lazy(access.can_run_calls, user),
        # a callable: for activists one EXISTS query (do they keep an activism's entry?)
        "can_use_initiatives": _signed_in_check(access.can_use_initiatives, user)
        if signed_in
        else False,
        "can_propose_research": access.can_propose_research(user),
        "portaat_open_signup": settings.PORTAAT_OPEN_SIGNUP,
        # a callable: one COUNT query, only when a page shows the link, never for anonymous visitors
        "unread_notifications": _unread_counter(user) if signed_in else 0,
    }


def _lazy(check: Callable[[Any], bool], user: Any) -> Callable[[], bool]:
    @cache
    def answer() -> bool:
        return access.is_administration(user) and check(user)

    return answer


def _signed_in_check(check: Callable[[Any], bool], user: Any) -> Callable[[], bool]:
    @cache
    def answer() -> bool:
        return check(user)

    return answer


def _unread_counter(user: Any) -> Callable[[], int]:
    @cache
    def count() -> int:
        from portaat.models import Notification

        return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()

    return count
