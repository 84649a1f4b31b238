"""Social-media governance pages: my level and learning path, the guidance of each level
(public; coordinators edit it), and a unit's view that aggregates its officials."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portaat import access
from portaat.ladders import drawing
from portaat.ladders.models import LEVELS
from portaat.registry.models import Membership, Unit
from portaat.somehallinto import services
from portaat.somehallinto.forms import AssessmentForm, GuidanceForm
from portaat.somehallinto.models import Guidance, SelfAssessment

HISTORY = 24


def _stairs(latest: SelfAssessment | None, prefix: str) -> str:
    spec = drawing.MarkerSpec(
        current=latest.current_level if latest else None,
        target=latest.target_level if latest else None,
    )
    return drawing.render_ladder(services.ladder(), spec, id_prefix=prefix)


def _path(latest: SelfAssessment | None) -> list[dict[str, object]]:
    """The learning path: every level's guidance, with where one is and what comes next."""
    current = latest.current_level if latest else None
    target = latest.target_level if latest else None
    return [
        {
            "guidance": item,
            "is_current": item.level == current,
            "is_next": current is not None and item.level == current + 1,
            "is_target": item.level == target,
        }
        for item in services.guidance()
    ]


@require_http_methods(["GET", "POST"])
@access.require(access.can_assess_somehallinto)
def mine(request: HttpRequest) -> HttpResponse:
    """The official's own level, target, learning path and progress over time."""
    ladder = services.ladder()
    history = list(services.history_of(request.user)[:HISTORY])
    latest = history[0] if history else None
    if request.method == "POST":
        form = AssessmentForm(request.POST, ladder=ladder)
        if form.is_valid():
            try:
                services.assess_self(
                    request.user,
                    current=form.cleaned_data["current_level"],
                    target=form.cleaned_data["target_level"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your self-assessment was saved."))
                return redirect("somehallinto:mine")
        messages.error(request, _("The self-assessment was not saved. Check the form."))
    else:
        initial = (
            {"current_level": latest.current_level, "target_level": latest.target_level}
            if latest
            else {}
        )
        form = AssessmentForm(initial=initial, ladder=ladder)
    units = Unit.objects.filter(
        pk__in=Membership.objects.filter(user=request.user).values("unit_id")  # type: ignore[misc]
    ).order_by("name")
    return render(
        request,
        "somehallinto/mine.html",
        {
            "ladder": ladder,
            "latest": latest,
            "history": history,
            "svg": _stairs(latest, "mine"),
            "path": _path(latest),
            "form": form,
            "units": units,
            "can_edit": access.can_edit_somehallinto_guidance(request.user),
        },
        status=400 if form.errors else 200,
    )


def _guidance(level: int) -> Guidance:
    if not 1 <= level <= LEVELS:
        raise Http404(_("There is no such level."))
    return get_object_or_404(Guidance, level=level)


@require_GET
def level(request: HttpRequest, level: int) -> HttpResponse:
    """The guidance of one level: public, like the stairs themselves."""
    item = _guidance(level)
    step = services.ladder().steps.get(level=level)
    return render(
        request,
        "somehallinto/level.html",
        {
            "item": item,
            "step": step,
            "previous": level - 1 if level > 1 else None,
            "next": level + 1 if level < LEVELS else None,
            "can_edit": access.can_edit_somehallinto_guidance(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@access.require(access.can_edit_somehallinto_guidance)
def level_edit(request: HttpRequest, level: int) -> HttpResponse:
    item = _guidance(level)
    if request.method == "POST":
        form = GuidanceForm(request.POST)
        if form.is_valid():
            try:
                services.edit_guidance(item, texts=form.texts(), by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The guidance was saved."))
                return redirect("somehallinto:level", level=item.level)
        messages.error(request, _("The guidance was not saved. Check the form."))
    else:
        form = GuidanceForm(
            initial={
                f"{field}_{language}": getattr(item, f"{field}_{language}") or ""
                for field in ("title", "body")
                for language in ("fi", "sv", "en")
            }
        )
    return render(
        request,
        "somehallinto/level_edit.html",
        {"item": item, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@access.require(access.is_administration)
def unit(request: HttpRequest, slug: str) -> HttpResponse:
    """The unit's own level beside its officials' (the latest self-assessment of each)."""
    found = get_object_or_404(Unit, slug=slug)
    if not access.can_view_unit(request.user, found):
        raise PermissionDenied
    can_assess = access.can_assess_unit_somehallinto(request.user, found)
    ladder = services.ladder()
    form = None
    if request.method == "POST":
        if not can_assess:
            raise PermissionDenied(_("Only the unit's coordinators may do this."))
        form = AssessmentForm(request.POST, ladder=ladder)
        if form.is_valid():
            try:
                services.assess_unit(
                    found,
                    current=form.cleaned_data["current_level"],
                    target=form.cleaned_data["target_level"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The unit's self-assessment was saved."))
                return redirect("somehallinto:unit", slug=found.slug)
        messages.error(request, _("The self-assessment was not saved. Check the form."))
    history = list(services.unit_history(found)[:HISTORY])
    own = history[0] if history else None
    if can_assess and form is None:
        initial = (
            {"current_level": own.current_level, "target_level": own.target_level} if own else {}
        )
        form = AssessmentForm(initial=initial, ladder=ladder)
    aggregate = services.aggregate(found)
    titles = {step.level: step.title for step in ladder.steps.all()}
    return render(
        request,
        "somehallinto/unit.html",
        {
            "unit": found,
            "own": own,
            "history": history,
            "aggregate": aggregate,
            "rows": [
                (level, titles.get(level, ""), now, aims)
                for level, now, aims in aggregate.distribution
            ],
            "widest": max([max(now, aims) for _l, now, aims in aggregate.distribution] + [1]),
            "svg": _stairs(own, f"unit-{found.pk}"),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )
