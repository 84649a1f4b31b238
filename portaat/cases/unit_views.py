"""Unit pages: the hierarchy, a unit's dashboard of cases, its maturity estimate, goals and
its own judgement. A city or a division sees its own cases and those of every unit below it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.cases import queries, services
from portaat.cases.maturity import Estimate, configured_rules, estimate, months_before
from portaat.cases.models import Assessment, Case, Perspective
from portaat.cases.unit_forms import DashboardFilterForm, GoalForm, JudgementForm
from portaat.ladders.models import LEVELS, Ladder, Stage
from portaat.registry.models import ActivismKind, Unit

# Rows per dashboard page: enough for a unit's whole portfolio, small enough for a city's.
PAGE_SIZE = 200


@dataclass
class Place:
    """A unit within the hierarchy: its ancestors, children and all units below it."""

    unit: Unit
    ancestors: list[Unit]
    children: list[Unit]
    ids: list[int]
    parents: dict[int, int | None]

    @property
    def aggregates(self) -> bool:
        return len(self.ids) > 1


def _place(slug: str) -> Place:
    """The unit by slug with its place in the hierarchy, from one query of all units."""
    units = queries.all_units()
    unit = next((u for u in units.values() if u.slug == slug), None)
    if unit is None:
        raise Http404(_("No such unit."))
    parents = {pk: u.parent_id for pk, u in units.items()}
    ancestors: list[Unit] = []
    current = units.get(unit.parent_id) if unit.parent_id else None
    while current is not None and current not in ancestors and current != unit:
        ancestors.insert(0, current)
        current = units.get(current.parent_id) if current.parent_id else None
    children = [u for u in units.values() if u.parent_id == unit.pk and u.pk != unit.pk]
    return Place(unit, ancestors, children, queries.descendant_ids(unit.pk, parents), parents)


def _viewable(request: HttpRequest, slug: str) -> Place:
    place = _place(slug)
    if not access.can_view_unit(request.user, place.unit):
        raise PermissionDenied
    return place


def _manageable(request: HttpRequest, slug: str) -> Place:
    place = _place(slug)
    if not access.can_manage_unit(request.user, place.unit):
        raise PermissionDenied(_("Only the unit's coordinators may do this."))
    return place


# --- the hierarchy ---------------------------------------------------------------------------


@require_GET
@access.require(access.is_administration)
def unit_list(request: HttpRequest) -> HttpResponse:
    """City → division → unit, with the cases of each (own, and with the units below)."""
    return render(request, "units/list.html", {"tree": queries.unit_tree()})


# --- the dashboard ---------------------------------------------------------------------------


@dataclass
class Row:
    case: Case
    latest: Assessment | None
    stale: bool
    grid: str

    @property
    def gap(self) -> int | None:
        if self.latest is None:
            return None
        return self.latest.target_level - self.latest.current_level

    @property
    def gap_text(self) -> str:
        gap = self.gap
        if gap is None:
            return "–"
        return f"+{gap}" if gap > 0 else f"−{-gap}" if gap < 0 else "0"


class Grid:
    """The eight level cells of a row, as HTML. Their classes draw the dot and the arrow with
    CSS (decoration); the words "current" and "target" are there for screen readers, and the
    row's "Current → target" column says the same in text. There are only 65 different rows,
    so each is built once per page rather than with 1,600 template cells."""

    def __init__(self) -> None:
        self.current = format_html('<span class="visually-hidden">{}</span>', _("current"))
        self.target = format_html('<span class="visually-hidden">{}</span>', _("target"))
        self.cache: dict[tuple[int, int] | None, str] = {}

    def __call__(self, latest: Assessment | None) -> str:
        key = (latest.current_level, latest.target_level) if latest is not None else None
        if key not in self.cache:
            self.cache[key] = self._build(key)
        return self.cache[key]

    def _build(self, key: tuple[int, int] | None) -> str:
        cells = []
        for level in range(1, LEVELS + 1):
            classes = ["unit-grid__cell"]
            text = ""
            if key is not None:
                current, target = key
                low, high = sorted(key)
                direction = "up" if target > current else "down" if target < current else "same"
                if level == current:
                    classes.append("is-current")
                    text += self.current
                if level == target:
                    classes.append("is-target")
                    text += self.target
                if low < level < high:
                    classes.append("is-between")
                if len(classes) > 1:
                    classes.append(f"dir-{direction}")
            # text: only self.current/self.target, built with format_html
            cells.append(format_html('<td class="{}">{}</td>', " ".join(classes), mark_safe(text)))  # noqa: S308  # nosec B308, B703
        return mark_safe("".join(cells))  # noqa: S308  # nosec B308, B703  # format_html output only


def _page_number(request: HttpRequest, total: int) -> int:
    raw = request.GET.get("page", "1")
    pages = max(1, -(-total // PAGE_SIZE))
    try:
        number = int(raw)
        if number < 1:
            raise ValueError
    except ValueError:
        messages.warning(
            request,
            _("“%(value)s” is not a page number; the first page is shown.") % {"value": raw[:40]},
        )
        return 1
    return min(number, pages)


def _query(active: dict[str, str], **extra: Any) -> str:
    params = {**active, **{k: v for k, v in extra.items() if v not in (None, "")}}
    return "?" + urlencode(params) if params else ""


@require_GET
@access.require(access.is_administration)
def unit_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """All the unit's cases (with the units below it) on one view, filtered and flagged.

    The number of queries does not depend on the number of cases: rows come from
    ``cases_with_latest`` + ``attach_latest`` for one page, counts and map points from
    aggregate queries.
    """
    place = _viewable(request, slug)
    today = timezone.localdate()
    months = int(getattr(settings, "PORTAAT_REASSESS_MONTHS", 12))
    stale_before = months_before(today, months)
    language = translation.get_language()

    areas = queries.area_counts(place.ids)
    form = DashboardFilterForm(
        request.GET,
        ladders=list(Ladder.objects.all()),
        areas=[
            (a["key"], a["name_sv"] if language == "sv" and a["name_sv"] else a["name"])
            for a in areas
        ],
        kinds=list(ActivismKind.objects.all()),
    )
    for problem in form.problems():
        messages.warning(request, problem)
    active = form.active()
    where = DashboardFilterForm.where(active)

    summary = queries.dashboard_summary(place.ids, where, stale_before=stale_before)
    number = _page_number(request, summary["total"])
    start = (number - 1) * PAGE_SIZE
    cases = queries.attach_latest(
        queries.dashboard_rows(place.ids, where)[start : start + PAGE_SIZE]
    )
    grid = Grid()
    rows = [
        Row(
            case=case,
            latest=case.latest,  # type: ignore[attr-defined]
            stale=case.latest is not None and case.latest.assessed_on < stale_before,  # type: ignore[attr-defined]
            grid=grid(case.latest),  # type: ignore[attr-defined]
        )
        for case in cases
    ]

    shown_areas = queries.area_counts(place.ids, where) if active else areas
    base = reverse("units:dashboard", args=[place.unit.slug])
    map_points = [
        {
            "lat": a["lat"],
            "lon": a["lon"],
            "label": a["name_sv"] if language == "sv" and a["name_sv"] else a["name"],
            "count": a["count"],
            "url": base + _query({**active, "area": a["key"]}),
        }
        for a in shown_areas
    ]
    pages = max(1, -(-summary["total"] // PAGE_SIZE))
    return render(
        request,
        "units/dashboard.html",
        {
            "place": place,
            "unit": place.unit,
            "form": form,
            "active": active,
            "summary": summary,
            "rows": rows,
            "levels": range(1, LEVELS + 1),
            "months": months,
            "stale_before": stale_before,
            "map_points": map_points,
            "without_area": queries.activisms_without_area(place.ids, where),
            "page": {
                "number": number,
                "pages": pages,
                "first": start + 1 if rows else 0,
                "last": start + len(rows),
                "previous": base + _query(active, page=number - 1) if number > 1 else None,
                "next": base + _query(active, page=number + 1) if number < pages else None,
                "size": PAGE_SIZE,
            },
        },
    )


# --- maturity --------------------------------------------------------------------------------


def _estimates(place: Place, today: dt.date) -> tuple[Estimate, list[tuple[Unit, Estimate]]]:
    """The estimate for the unit (over all units below it) and for each child's subtree."""
    rules = configured_rules()
    records, goals = queries.maturity_records(place.ids, today=today, rules=rules)
    own = estimate(records, goals, today=today, rules=rules)
    children = []
    for child in place.children:
        ids = set(queries.descendant_ids(child.pk, place.parents))
        children.append(
            (
                child,
                estimate(
                    [r for r in records if r.unit in ids],
                    [g for g in goals if g.unit in ids],
                    today=today,
                    rules=rules,
                ),
            )
        )
    return own, children


def _maturity_page(
    request: HttpRequest,
    place: Place,
    *,
    judgement_form: JudgementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    own, children = _estimates(place, today)
    stages = list(Stage.objects.order_by("number"))
    titles = {stage.number: stage.title for stage in stages}
    can_manage = access.can_manage_unit(request.user, place.unit)
    if can_manage and judgement_form is None:
        judgement_form = JudgementForm(stages=stages, initial={"stage": own.stage})
    return render(
        request,
        "units/maturity.html",
        {
            "place": place,
            "unit": place.unit,
            "estimate": own,
            "stage_title": titles.get(own.stage, ""),
            "next_title": titles.get(own.stage + 1, ""),
            "stage_results": [(result, titles.get(result.number, "")) for result in own.stages],
            "stages": stages,
            "children": [(child, est, titles.get(est.stage, "")) for child, est in children],
            "goals": list(queries.unit_goals(place.ids)),
            "judgements": list(queries.unit_judgements(place.unit)),
            "perspectives": ", ".join(
                str(Perspective(p).label)
                for p in own.rules["perspectives"]
                if p in Perspective.values
            ),
            "can_manage": can_manage,
            "judgement_form": judgement_form if can_manage else None,
        },
        status=status,
    )


@require_GET
@access.require(access.is_administration)
def unit_maturity(request: HttpRequest, slug: str) -> HttpResponse:
    """The five-stage estimate with every criterion, the children's stages, goals and the
    unit's own judgements."""
    return _maturity_page(request, _viewable(request, slug))


@require_POST
@access.require(access.is_administration)
def unit_judgement(request: HttpRequest, slug: str) -> HttpResponse:
    """The unit records its own stage beside the estimate of this moment."""
    place = _manageable(request, slug)
    stages = list(Stage.objects.order_by("number"))
    form = JudgementForm(request.POST, stages=stages)
    if form.is_valid():
        own, _children = _estimates(place, timezone.localdate())
        try:
            services.record_judgement(
                place.unit,
                stage=form.cleaned_data["stage"],
                estimated_stage=own.stage,
                rationale=form.cleaned_data["rationale"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The unit's own judgement was recorded."))
            return redirect("units:maturity", place.unit.slug)
    messages.error(request, _("The judgement was not recorded. Check the form."))
    return _maturity_page(request, place, judgement_form=form, status=400)


@require_http_methods(["GET", "POST"])
@access.require(access.is_administration)
def goal_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A dated goal of the unit that names the activisms it means to work with."""
    place = _manageable(request, slug)
    activisms = queries.goal_activisms(place.ids)
    if request.method == "POST":
        form = GoalForm(request.POST, activisms=activisms)
        if form.is_valid():
            try:
                services.add_goal(
                    place.unit,
                    text=form.cleaned_data["text"],
                    set_on=form.cleaned_data["set_on"],
                    activisms=form.named(),
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The goal was saved."))
                return redirect("units:maturity", place.unit.slug)
        messages.error(request, _("The goal was not saved. Check the form."))
    else:
        form = GoalForm(activisms=activisms)
    return render(
        request,
        "units/goal_form.html",
        {"place": place, "unit": place.unit, "form": form},
        status=400 if form.errors else 200,
    )


# --- the report ------------------------------------------------------------------------------


@require_GET
@access.require(access.is_administration)
def unit_report(request: HttpRequest, slug: str) -> HttpResponse:
    """A print-ready report of the unit (with the units below it): the stairs of each case, the
    maturity stage with its explanation, plans and experiments with lessons, thanks received
    and the unit's social-media governance. Browsers print it or save it as PDF."""
    from portaat.cases import report

    place = _viewable(request, slug)
    today = timezone.localdate()
    own, _children = _estimates(place, today)
    return render(
        request,
        "units/report.html",
        {
            "place": place,
            "unit": place.unit,
            "report": report.build(place.unit, place.ids, own, today),
            "max_drawings": report.MAX_DRAWINGS,
        },
    )
