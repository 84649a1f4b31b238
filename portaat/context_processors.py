from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from portaat import __version__, access


def portaat(request: HttpRequest) -> dict[str, Any]:
    """What every page's chrome needs: version, and the visitor's roles for the menu."""
    return {
        "portaat_version": __version__,
        "can_manage_ladders": access.can_manage_ladders(request.user),
        "can_use_admin": access.can_use_admin(request.user),
    }
