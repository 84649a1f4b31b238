"""``{% figure_chart series "id" %}`` and ``{% activism_figures activism %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portaat.figures import charts, services

register = template.Library()


@register.simple_tag
def figure_chart(series: services.Series, chart_id: str) -> SafeString:
    # bar_chart escapes every text it draws, but not the id it is given: escape that here
    return mark_safe(charts.bar_chart(series, escape(chart_id)))  # noqa: S308  # nosec B308, B703


@register.inclusion_tag("figures/_activism_section.html")
def activism_figures(activism: Any) -> dict[str, Any]:
    """The activism's figures of the last 12 months, for its public page."""
    series = [s for s in services.activism_series(activism) if s.has_data]
    return {"series": series, "prefix": f"activism-{activism.pk}"}
