"""What the facilitator's live view shows: rendered once with the page and again, per changed
case, for the Server-Sent Events stream. Synchronous (database and templates)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation

from portaat.ladders.models import Step
from portaat.workshops import services
from portaat.workshops.models import ParticipantRole, Workshop, WorkshopCase

ROLE_LABELS = dict(ParticipantRole.choices)


def items_of(workshop: Workshop, ids: Iterable[int] | None = None) -> list[WorkshopCase]:
    items = workshop.items.select_related(
        "case__activism", "case__unit", "case__ladder", "assessment"
    ).prefetch_related(Prefetch("case__ladder__steps", queryset=Step.objects.order_by("level")))
    if ids is not None:
        # an id from a URL may exceed any database id (SQLite raises on such an IN list)
        items = items.filter(pk__in=[pk for pk in ids if 0 < pk < 2**63])
    return list(items)


def _rows(item: WorkshopCase, summary: services.ItemSummary) -> list[dict[str, Any]]:
    steps = {step.level: step.title for step in item.case.ladder.steps.all()}
    peak = max(
        [summary.count("current", level) for level in steps]
        + [summary.count("target", level) for level in steps]
        + [1]
    )
    rows = []
    for level in sorted(steps, reverse=True):
        row: dict[str, Any] = {"level": level, "title": steps[level]}
        for which in ("current", "target"):
            by_role = getattr(summary, which).get(level, {})
            total = sum(by_role.values())
            row[which] = {
                "total": total,
                "percent": round(100 * total / peak),
                "roles": [
                    {
                        "role": role,
                        "label": ROLE_LABELS[role],
                        "n": by_role[role],
                        "percent": round(100 * by_role[role] / peak),
                    }
                    for role in services.ROLE_ORDER
                    if by_role.get(role)
                ],
            }
        rows.append(row)
    return rows


# The projector's comment wall shows the newest comments; all of them are in the printable
# summary and the CSV export. Redrawing a wall of a thousand comments for every answer would
# also make the live view slow exactly when the room is busiest.
WALL_SIZE = 30


def item_context(
    item: WorkshopCase, summary: services.ItemSummary, *, wall: int | None = WALL_SIZE
) -> dict[str, Any]:
    comments = services.visible_comments(item, include_hidden=True, limit=wall)
    total = len(comments)
    if wall is not None and total >= wall:
        total = services.comment_count(item)
    return {
        "item": item,
        "summary": summary,
        "rows": _rows(item, summary),
        "median_current": summary.median("current"),
        "median_target": summary.median("target"),
        "comments": comments,
        "comments_total": total,
        "comments_more": total - len(comments),
    }


def render_parts(
    workshop: Workshop, ids: Iterable[int] | None, *, language: str, csrf_token: str
) -> list[dict[str, str]]:
    """HTML of the live region of each case in ``ids`` (all when None) and of the head count."""
    with translation.override(language):
        items = items_of(workshop, ids)
        summaries = services.summarise(items)
        parts = [
            {
                "id": f"live-item-{item.pk}",
                "html": render_to_string(
                    "workshops/_live_item.html",
                    {
                        **item_context(item, summaries[item.pk]),
                        "workshop": workshop,
                        "csrf_token": csrf_token,
                    },
                ),
            }
            for item in items
        ]
        parts.append({"id": "live-count", "html": head_count(workshop)})
    return parts


def head_count(workshop: Workshop) -> str:
    n = workshop.participants.count()
    return translation.ngettext("%(n)d participant", "%(n)d participants", n) % {"n": n}


def head_count_part(workshop: Workshop, *, language: str) -> list[dict[str, str]]:
    with translation.override(language):
        return [{"id": "live-count", "html": head_count(workshop)}]
