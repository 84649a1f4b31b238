"""``{% stairs ladder current=3 target=6 %}``: the stairs SVG inline in a page."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from portaat.ladders import drawing
from portaat.ladders.models import Ladder

register = template.Library()


@register.simple_tag
def stairs(
    ladder: Ladder,
    current: int | None = None,
    target: int | None = None,
    spec: drawing.MarkerSpec | None = None,
    id_prefix: str = "",
) -> SafeString:
    """Draw ``ladder``; pass ``spec`` for perspectives, or ``current``/``target`` directly."""
    if spec is None:
        spec = drawing.MarkerSpec(current=current, target=target)
    # render() escapes every text it draws, so the result is safe to embed.
    return mark_safe(drawing.render_ladder(ladder, spec, id_prefix=id_prefix))  # noqa: S308  # nosec B308, B703
