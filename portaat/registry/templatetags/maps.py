"""Template tags for ``includes/area_map.html``: the tile server is a deployment setting."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def map_tiles() -> str:
    """The tile URL template (``…/{z}/{x}/{y}.png``), or "" to draw points without tiles."""
    return str(getattr(settings, "PORTAAT_MAP_TILES", "") or "")


@register.simple_tag
def map_attribution() -> str:
    """The attribution the tile service requires (plain text)."""
    return str(getattr(settings, "PORTAAT_MAP_ATTRIBUTION", "") or "")
