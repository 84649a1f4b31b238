from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from portaat import __version__, access


def portaat(request: HttpRequest) -> dict[str, Any]:
    """What every page's chrome needs: version, and the visitor's roles for the menu."""
    # Error pages can render before AuthenticationMiddleware ran (e.g. a bad Host header).
    user = getattr(request, "user", None)
    return {
        "portaat_version": __version__,
        "can_manage_ladders": access.can_manage_ladders(user),
        "can_use_admin": access.can_use_admin(user),
        "is_administration": access.is_administration(user),
        "portaat_open_signup": settings.PORTAAT_OPEN_SIGNUP,
    }
