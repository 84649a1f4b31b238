"""The case pages: open a case, see it on the stairs, assess it, log interactions, edit it.

Who may do what comes from ``portaat.access``. People who may not see a case get a 404, so
an address does not reveal that a case exists; people who see it but may not change it get
a 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portaat import access
from portaat.cases import queries, services
from portaat.cases.forms import (
    ActivismSearchForm,
    AssessmentForm,
    CaseEditForm,
    InteractionForm,
    OpenCaseForm,
)
from portaat.cases.models import Assessment, Case, Perspective
from portaat.ladders import drawing, stairs
from portaat.ladders.models import Step
from portaat.registry.models import Activism

ACTIVISM_SEARCH_LIMIT = 20

# The other perspectives' badge shapes on the stairs (indices into stairs.PERSPECTIVE_STYLES),
# fixed so that activists are always the triangle, whatever else is drawn.
PERSPECTIVE_STYLE = {
    Perspective.ACTIVIST.value: 0,
    Perspective.RESEARCHER.value: 1,
    Perspective.WORKSHOP.value: 2,
}


# --- helpers ---------------------------------------------------------------------------------


def _get_case(request: HttpRequest, pk: int, allowed: Callable[[Any, Case], bool]) -> Case:
    """The case, if ``allowed``; 403 for those who may see it, 404 for everybody else."""
    case = get_object_or_404(queries.case_for_page(), pk=pk)
    if allowed(request.user, case):
        return case
    if access.can_view_case(request.user, case):
        raise PermissionDenied
    raise Http404


def _url_or_none(name: str, *args: Any) -> str | None:
    # Unit and activism pages are built in parallel; link them once they exist.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _case_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    """What every case page shows around the case: links to its unit and activism, for those
    who may open them."""
    user = request.user
    can_unit = access.can_view_unit(user, case.unit)
    can_activism = access.can_view_activism(user, case.activism)
    return {
        "case": case,
        "unit_url": _url_or_none("units:dashboard", case.unit.slug) if can_unit else None,
        "activism_url": _url_or_none("registry:activism", case.activism.pk)
        if can_activism
        else None,
        **extra,
    }


def display_name(user: Any) -> str:
    """How an author is shown: the full name if the account has one, else the login name."""
    if user is None:
        return _("(removed account)")
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return str(full or user.get_username())


def _steps(case: Case) -> list[Step]:
    return list(case.ladder.steps.all())  # prefetched by queries.case_for_page()


def _bad_request(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400)


# --- the stairs with every perspective ---------------------------------------------------------


@dataclass
class CaseMarkerSpec(drawing.MarkerSpec):
    """The renderer's markers, with the officials' current and target named as theirs, and one
    badge shape per perspective (its "now" and "target" badges share it)."""

    current_label: str = ""
    target_label: str = ""
    styles: list[int] = field(default_factory=list)

    def markers(self) -> list[stairs.Marker]:
        out: list[stairs.Marker] = []
        for marker in super().markers():
            if marker.kind == "current" and self.current_label:
                marker = replace(marker, label=self.current_label)
            elif marker.kind == "target" and self.target_label:
                marker = replace(marker, label=self.target_label)
            elif marker.kind == "perspective" and marker.index < len(self.styles):
                marker = replace(marker, index=self.styles[marker.index])
            out.append(marker)
        return out


def now_label(perspective: str) -> str:
    return _("%(perspective)s – now") % {"perspective": str(Perspective(perspective).label)}


def target_label(perspective: str) -> str:
    return _("%(perspective)s – target") % {"perspective": str(Perspective(perspective).label)}


def case_markers(latest: Mapping[str, Assessment]) -> CaseMarkerSpec:
    """Officials use the usual current (circle) and target (flag) markers; every other
    perspective gets a pair of badges in its own shape. Every badge names its perspective."""
    spec = CaseMarkerSpec()
    official = latest.get(Perspective.OFFICIAL.value)
    if official is not None:
        spec.current, spec.target = official.current_level, official.target_level
        spec.current_label = now_label(Perspective.OFFICIAL.value)
        spec.target_label = target_label(Perspective.OFFICIAL.value)
    for perspective, assessment in latest.items():
        if perspective == Perspective.OFFICIAL.value:
            continue
        style = PERSPECTIVE_STYLE.get(perspective, 3)
        spec.perspectives.append((now_label(perspective), assessment.current_level))
        spec.perspectives.append((target_label(perspective), assessment.target_level))
        spec.styles += [style, style]
    return spec


@dataclass(frozen=True)
class Position:
    """A row of the positions table: one perspective's latest assessment."""

    perspective: str
    label: str
    assessment: Assessment
    current_title: str
    target_title: str
    author: str


def _positions(latest: Mapping[str, Assessment], titles: Mapping[int, str]) -> list[Position]:
    return [
        Position(
            perspective=perspective,
            label=str(Perspective(perspective).label),
            assessment=assessment,
            current_title=titles.get(assessment.current_level, ""),
            target_title=titles.get(assessment.target_level, ""),
            author=display_name(assessment.author),
        )
        for perspective, assessment in latest.items()
    ]


def _with_authors(rows: Iterable[Any]) -> list[Any]:
    out = list(rows)
    for row in out:
        row.author_name = display_name(row.author)
    return out


# --- views -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@access.require(access.is_administration)
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case: ``?activism=<pk>`` chooses the activism; without it, find one first."""
    raw = request.GET.get("activism", "").strip()
    if not raw:
        return _choose_activism(request)
    if not (raw.isascii() and raw.isdigit()):  # "²" and "١" are digits to isdigit(), not int()
        raise Http404
    activism = get_object_or_404(
        Activism.objects.filter(access.visible_activisms(request.user)).distinct(), pk=int(raw)
    )
    units = access.units_where_can_open_case(request.user)
    form = OpenCaseForm(
        request.POST if request.method == "POST" else None, activism=activism, units=units
    )
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        if not access.can_open_case(request.user, unit):
            raise PermissionDenied
        try:
            case = services.open_case(
                activism=activism, unit=unit, ladder=form.cleaned_data["ladder"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The case was opened."))
            return redirect(case)
    return render(
        request,
        "cases/new.html",
        {
            "form": form,
            "activism": activism,
            "activism_url": _url_or_none("registry:activism", activism.pk),
            "has_units": units.exists(),
            "existing": Case.objects.filter(activism=activism)
            .select_related("unit", "ladder")
            .order_by("unit__name", "ladder__position"),
        },
        status=400 if form.errors else 200,
    )


def _choose_activism(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return _bad_request(request, "cases/choose_activism.html", {"query": "", "found": None})
    form = ActivismSearchForm(request.GET)
    if not form.is_valid():
        return _bad_request(
            request,
            "cases/choose_activism.html",
            {"query": "", "found": None, "errors": form.errors.get("q", [])},
        )
    query = form.cleaned_data["q"]
    found = None
    if query:
        found = list(
            Activism.objects.filter(access.visible_activisms(request.user))
            .filter(Q(name__icontains=query) | Q(description__icontains=query))
            .distinct()
            .order_by("name")[:ACTIVISM_SEARCH_LIMIT]
        )
    return render(
        request,
        "cases/choose_activism.html",
        {"query": query, "found": found, "limit": ACTIVISM_SEARCH_LIMIT},
    )


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk, access.can_view_case)
    steps = _steps(case)
    titles = {step.level: step.title for step in steps}
    history = _with_authors(queries.case_history(case))
    for assessment in history:
        assessment.current_title = titles.get(assessment.current_level, "")  # type: ignore[attr-defined]
        assessment.target_title = titles.get(assessment.target_level, "")  # type: ignore[attr-defined]
    latest = queries.latest_of_each(history)
    spec = case_markers(latest)
    positions = [(p, a.current_level, a.target_level) for p, a in latest.items()]
    user = request.user
    # imported here: the experiment views reuse this module's helpers
    from portaat.repertoire.experiment_views import plan_section

    plan = plan_section(request, case) if access.can_plan_case(user, case) else None
    return render(
        request,
        "cases/detail.html",
        _case_context(
            request,
            case,
            svg=drawing.render_ladder(case.ladder, spec, id_prefix=f"case-{case.pk}"),
            positions=_positions(latest, titles),
            disagreements=queries.disagreements(positions),
            history=history,
            interactions=_with_authors(queries.case_interactions(case)),
            show_notes=access.can_view_case_notes(user, case),
            can_assess=bool(access.assessable_perspectives(user, case)),
            can_log_interaction=access.can_log_interaction(user, case),
            can_edit=access.can_edit_case(user, case),
            plan=plan,
            snapshots=_snapshots(request, case),
        ),
    )


def _snapshots(request: HttpRequest, case: Case) -> list[Any] | None:
    """Analyses attached as evidence (planning), for those who see the case's internal work."""
    if not access.can_view_case_analyses(request.user, case):
        return None
    from portaat.planning.queries import case_snapshots

    return case_snapshots(case.pk, translation.get_language())


def _assessment_error_field(cleaned: Mapping[str, Any]) -> str | None:
    """Which field the service's complaint is about, so the message appears beside it."""
    if cleaned["target_level"] < cleaned["current_level"] and not cleaned["rationale"].strip():
        return "rationale"
    if cleaned["assessed_on"] > timezone.localdate():
        return "assessed_on"
    return None


@require_http_methods(["GET", "POST"])
@login_required
def case_assess(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk, access.can_open_assessment_form)
    perspectives = access.assessable_perspectives(request.user, case)
    steps = _steps(case)
    data = request.POST if request.method == "POST" else None
    form = AssessmentForm(data, perspectives=perspectives, steps=steps)
    if request.method == "POST" and form.is_valid():
        perspective = form.cleaned_data["perspective"]
        if not access.can_assess(request.user, case, perspective):
            raise PermissionDenied
        try:
            services.record_assessment(
                case,
                perspective=perspective,
                current_level=form.cleaned_data["current_level"],
                target_level=form.cleaned_data["target_level"],
                rationale=form.cleaned_data["rationale"],
                assessed_on=form.cleaned_data["assessed_on"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(_assessment_error_field(form.cleaned_data), exc)
        else:
            messages.success(
                request,
                _(
                    "The assessment was recorded: %(perspective)s, now %(current)d, target %(target)d."
                )
                % {
                    "perspective": Perspective(perspective).label,
                    "current": form.cleaned_data["current_level"],
                    "target": form.cleaned_data["target_level"],
                },
            )
            if access.can_view_case(request.user, case):
                return redirect(case)
            return redirect("cases:assess", case.pk)
    return render(
        request,
        "cases/assess.html",
        _case_context(
            request, case, form=form, can_view_case=access.can_view_case(request.user, case)
        ),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def interaction_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk, access.can_log_interaction)
    form = InteractionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_interaction(
                case,
                kind=form.cleaned_data["kind"],
                happened_on=form.cleaned_data["happened_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            future = form.cleaned_data["happened_on"] > timezone.localdate()
            form.add_error("happened_on" if future else None, exc)
        else:
            messages.success(request, _("The interaction was logged."))
            return redirect(f"{case.get_absolute_url()}#interactions")
    return render(
        request,
        "cases/interaction_form.html",
        _case_context(request, case, form=form),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk, access.can_edit_case)
    if request.method == "POST":
        form = CaseEditForm(request.POST)
        if form.is_valid():
            services.update_case(
                case,
                positions_public=form.cleaned_data["positions_public"],
                internal_notes=form.cleaned_data["internal_notes"],
            )
            messages.success(request, _("The case was saved."))
            return redirect(case)
    else:
        form = CaseEditForm(
            initial={
                "positions_public": case.positions_public,
                "internal_notes": case.internal_notes,
            }
        )
    return render(
        request,
        "cases/edit.html",
        _case_context(request, case, form=form),
        status=400 if form.errors else 200,
    )
