"""Registry pages: the list and map of activisms, an activism's page, registering, editing and
reviewing. Who may do what is decided in ``portaat.access``; writes go through
``portaat.registry.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.cases.models import Case
from portaat.cases.queries import attach_latest, cases_with_latest
from portaat.registry import queries, services
from portaat.registry.forms import ActivismFilterForm, ActivismForm, ReviewForm
from portaat.registry.models import Activism, Area, LegalForm, Review, Visibility

PAGE_SIZE = 25


def _list_url_for_area(query: QueryDict | None = None) -> Any:
    """Links from a map and its table: the list narrowed to one area, other filters kept."""
    base = reverse("registry:list")
    params = query.copy() if query is not None else QueryDict(mutable=True)
    for name in ("page", "area", "municipality"):
        params.pop(name, None)

    def url_for(area: Area) -> str:
        params["area"] = area.key
        return f"{base}?{params.urlencode()}"

    return url_for


@require_GET
def activism_list(request: HttpRequest) -> HttpResponse:
    """Activisms the visitor may see, filtered, 25 to a page, with a map of their areas."""
    form = ActivismFilterForm(request.GET)
    activisms = queries.filter_activisms(queries.activisms_for(request.user), form.filters())
    page = Paginator(activisms, PAGE_SIZE).get_page(request.GET.get("page"))
    areas = list(queries.area_counts(activisms))
    can_review = access.can_review_activisms(request.user)
    return render(
        request,
        "registry/list.html",
        {
            "form": form,
            "page": page,
            "map_areas": areas,
            "map_points": queries.map_points(
                areas,
                language=translation.get_language(),
                url_for=_list_url_for_area(request.GET),
            ),
            "can_register": access.can_register_activism(request.user),
            "can_review": can_review,
            "pending_count": queries.pending_review().count() if can_review else 0,
        },
        status=400 if form.errors else 200,
    )


def _case_url(case: Case) -> str:
    # The case pages are built separately; until they are routed, cases are listed unlinked.
    try:
        return case.get_absolute_url()
    except NoReverseMatch:
        return ""


def _step_title(case: Case, level: int) -> str:
    for step in case.ladder.steps.all():
        if step.level == level:
            return str(step.title)
    return ""


def _case_rows(user: Any, activism: Activism) -> list[dict[str, Any]]:
    """The activism's cases with their latest official assessment.

    Whoever may open the cases (the administration, the activism's maintainers) sees them
    all; everyone else only those whose unit chose to show the positions publicly.
    """
    qs = (
        cases_with_latest("official")
        .filter(activism=activism)
        .prefetch_related("ladder__steps")
        .order_by("unit__name", "ladder__position", "pk")
    )
    sees_all = access.is_administration(user) or access.is_maintainer(user, activism)
    if not sees_all:
        qs = qs.filter(positions_public=True)
    rows = []
    for case in attach_latest(qs):
        latest = case.latest  # type: ignore[attr-defined]
        rows.append(
            {
                "case": case,
                "latest": latest,
                "current_title": _step_title(case, latest.current_level) if latest else "",
                "target_title": _step_title(case, latest.target_level) if latest else "",
                "url": _case_url(case) if access.can_view_case(user, case) else "",
            }
        )
    return rows


@require_GET
def activism_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activism's page. One the visitor may not see is "not found", never "forbidden"."""
    activism = get_object_or_404(queries.activisms_for(request.user), pk=pk)
    user = request.user
    is_maintainer = access.is_maintainer(user, activism)
    areas = list(activism.areas.all())
    return render(
        request,
        "registry/detail.html",
        {
            "activism": activism,
            "no_legal_person": activism.legal_form == LegalForm.NONE,
            "show_contact": access.is_administration(user) or is_maintainer,
            "is_maintainer": is_maintainer,
            "can_edit": access.can_edit_activism(user, activism),
            "can_review": access.can_review_activisms(user) and activism.review == Review.PENDING,
            "case_rows": _case_rows(user, activism),
            "areas": areas,
            # the activism's areas, each with how many visible activisms act there
            "map_points": queries.map_points(
                queries.area_counts(queries.activisms_for(user)).filter(
                    pk__in=[area.pk for area in areas]
                )
                if areas
                else [],
                language=translation.get_language(),
                url_for=_list_url_for_area(),
            ),
        },
    )


def _add_service_errors(form: ActivismForm, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@require_http_methods(["GET", "POST"])
@access.require(access.can_register_activism)
def activism_new(request: HttpRequest) -> HttpResponse:
    """Officials register an activism; anyone else signed in registers their own for review."""
    administration = access.is_administration(request.user)
    form = ActivismForm(
        request.POST if request.method == "POST" else None, can_set_visibility=administration
    )
    if request.method == "POST" and form.is_valid():
        try:
            activism = services.save_activism(
                activism=None,
                by=request.user,
                self_registered=not administration,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if administration:
                messages.success(request, _("The activism was registered."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you! The activism was registered. An official will review it "
                        "before it is public; until then only you and the city's officials "
                        "see it."
                    ),
                )
            return redirect(activism)
    return render(
        request,
        "registry/form.html",
        {"form": form, "activism": None, "self_registration": not administration},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@access.require(access.can_register_activism)
def activism_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The administration edits everything; maintainers edit all but visibility and review."""
    activism = get_object_or_404(queries.activisms_for(request.user), pk=pk)
    if not access.can_edit_activism(request.user, activism):
        raise PermissionDenied(_("Only the city's officials and its maintainers may edit this."))
    administration = access.is_administration(request.user)
    form = ActivismForm(
        request.POST if request.method == "POST" else None,
        activism=activism,
        can_set_visibility=administration,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_activism(activism=activism, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The activism was saved."))
            return redirect(activism)
    return render(
        request,
        "registry/form.html",
        {"form": form, "activism": activism, "self_registration": False},
        status=400 if form.errors else 200,
    )


def _render_queue(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    page = Paginator(queries.pending_review(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/review.html", {"page": page}, status=status)


@require_GET
@access.require(access.can_review_activisms)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Self-registrations waiting for an official's decision, oldest first."""
    return _render_queue(request)


@require_POST
@access.require(access.can_review_activisms)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject one self-registration (``decision=approve|reject``)."""
    activism = get_object_or_404(Activism, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or reject."))
        return _render_queue(request, status=400)
    try:
        services.review_activism(activism, approve=form.approve(), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_queue(request, status=400)
    if activism.review == Review.REJECTED:
        text = _("“%(name)s” was rejected. It stays hidden from the public.")
    elif activism.visibility == Visibility.PUBLIC:
        text = _("“%(name)s” was approved and is now public.")
    else:
        text = _("“%(name)s” was approved. It is visible to the administration only.")
    messages.success(request, text % {"name": activism.name})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("registry:review_queue")
