"""Initiatives and opportunities: the initiatives of activisms (posted by their people or by
officials), suggestions and proposals on an initiative's page, and the public catalogue of
opportunities kept by the administration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.forms import int_or_none
from portaat.initiatives import services
from portaat.initiatives.forms import (
    CatalogueFilterForm,
    InitiativeForm,
    MatchStatusForm,
    OpportunityForm,
    ProposeForm,
)
from portaat.initiatives.models import (
    Initiative,
    InitiativeStatus,
    Match,
    Opportunity,
)
from portaat.registry.models import Area

PAGE_SIZE = 30


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    """The initiative, if the user may see it; 404 for everybody else (its existence is not
    public)."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("activism", "activism__kind"), pk=pk
    )
    if not access.can_view_initiative(request.user, initiative):
        raise Http404
    return initiative


def _place(form: Any, initiative: Initiative | None = None) -> tuple[list[Any], list[Area]]:
    """Domains and areas from the form; the activism's own when left empty."""
    domains = list(form.cleaned_data.get("domains") or [])
    areas = list(form.cleaned_data.get("areas") or [])
    activism = initiative.activism if initiative else form.cleaned_data["activism"]
    if not domains:
        domains = list(activism.domains.all())
    if not areas:
        areas = list(activism.areas.all())
    return domains, areas


# --- initiatives ------------------------------------------------------------------------------


@require_GET
@access.require(access.can_use_initiatives)
def initiative_list(request: HttpRequest) -> HttpResponse:
    found = (
        Initiative.objects.filter(access.visible_initiatives(request.user))
        .select_related("activism")
        .distinct()
    )
    status = request.GET.get("status", "")
    if status and status in InitiativeStatus.values:
        found = found.filter(status=status)
    elif status:
        status = ""
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/list.html",
        {
            "page": page,
            "status": status,
            "statuses": InitiativeStatus.choices,
            "can_match": access.can_match_initiatives(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@access.require(access.can_use_initiatives)
def initiative_new(request: HttpRequest) -> HttpResponse:
    activisms = access.initiative_activisms(request.user)
    initial = {}
    chosen = int_or_none(request.GET.get("activism"))
    if chosen is not None and activisms.filter(pk=chosen).exists():
        initial["activism"] = chosen
    form = InitiativeForm(request.POST or None, activisms=activisms, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        domains, areas = _place(form)
        initiative = services.save_initiative(
            Initiative(
                activism=data["activism"],
                title=data["title"],
                description=data["description"],
                missed_grant=data["missed_grant"],
                amount_sought=data["amount_sought"],
                needed_by=data["needed_by"],
            ),
            domains=domains,
            areas=areas,
            by=request.user,
        )
        messages.success(request, _("The initiative was saved."))
        return redirect(initiative)
    return render(
        request,
        "initiatives/form.html",
        {"form": form, "initiative": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    if not access.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    form = InitiativeForm(
        request.POST or None,
        activisms=access.initiative_activisms(request.user),
        initiative=initiative,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for name in (
            "title",
            "description",
            "missed_grant",
            "amount_sought",
            "needed_by",
            "status",
        ):
            setattr(initiative, name, data[name])
        domains, areas = _place(form, initiative)
        services.save_initiative(initiative, domains=domains, areas=areas)
        messages.success(request, _("The initiative was saved."))
        return redirect(initiative)
    return render(
        request,
        "initiatives/form.html",
        {"form": form, "initiative": initiative},
        status=400 if form.errors else 200,
    )


@require_GET
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    return _detail(request, initiative)


def _detail(
    request: HttpRequest,
    initiative: Initiative,
    *,
    propose_form: ProposeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_match = access.can_match_initiatives(request.user)
    matches = list(
        Match.objects.filter(initiative=initiative)
        .select_related("opportunity")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "initiatives/detail.html",
        {
            "initiative": initiative,
            "domains": initiative.domains.all(),
            "areas": initiative.areas.all(),
            "matches": [
                (match, MatchStatusForm(initial={"status": match.status}, prefix=f"m{match.pk}"))
                for match in matches
            ],
            "suggestions": services.suggestions(initiative) if can_match else [],
            "can_match": can_match,
            "can_edit": access.can_edit_initiative(request.user, initiative),
            "propose_form": propose_form,
            "soon_days": services.SOON_DAYS,
        },
        status=status,
    )


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    if not access.can_match_initiatives(request.user):
        raise PermissionDenied
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            services.propose(
                initiative,
                form.cleaned_data["opportunity"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The opportunity was proposed. The activism's people were notified.")
            )
            return redirect(initiative)
    messages.error(request, _("The opportunity was not proposed."))
    return _detail(request, initiative, propose_form=form, status=400)


@require_POST
def match_status(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(Match.objects.select_related("initiative__activism"), pk=pk)
    if not access.can_view_initiative(request.user, match.initiative):
        raise Http404
    if not access.can_update_match(request.user, match):
        raise PermissionDenied
    form = MatchStatusForm(request.POST, prefix=f"m{match.pk}")
    if not form.is_valid():
        messages.error(request, _("The status was not saved. Choose a status from the list."))
        return _detail(request, match.initiative, status=400)
    services.set_match_status(
        match, form.cleaned_data["status"], by=request.user, note=form.cleaned_data["note"]
    )
    messages.success(request, _("The status was saved."))
    return redirect(match.initiative)


# --- opportunities ----------------------------------------------------------------------------


@require_GET
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """The public catalogue: open opportunities, filterable by kind and area (an area's
    opportunities include those for the areas it is part of, and those open everywhere)."""
    form = CatalogueFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(
            request,
            "initiatives/opportunities.html",
            {"form": form, "page": None, "can_manage": False},
            status=400,
        )
    found = services.open_opportunities().prefetch_related("domains", "areas")
    data = form.cleaned_data if form.is_bound else {}
    if data.get("kind"):
        found = found.filter(kind=data["kind"])
    if data.get("area"):
        chain = services.area_and_wider(Area.objects.get(key=data["area"]))
        found = found.filter(Q(areas__isnull=True) | Q(areas__in=chain)).distinct()
    can_manage = access.can_manage_opportunities(request.user)
    hidden = Opportunity.objects.exclude(pk__in=found.values("pk")) if can_manage else None
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/opportunities.html",
        {
            "form": form,
            "page": page,
            "can_manage": can_manage,
            "hidden": hidden.order_by("-deadline", "title")[:PAGE_SIZE] if hidden else [],
        },
    )


@require_GET
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity, pk=pk)
    can_manage = access.can_manage_opportunities(request.user)
    if not opportunity.is_active and not can_manage:
        raise Http404
    return render(
        request,
        "initiatives/opportunity.html",
        {
            "opportunity": opportunity,
            "can_manage": can_manage,
            "matches": (
                opportunity.matches.select_related("initiative", "initiative__activism")
                if access.can_match_initiatives(request.user)
                else []
            ),
        },
    )


def _save_opportunity(request: HttpRequest, opportunity: Opportunity | None) -> HttpResponse:
    form = OpportunityForm(request.POST or None, opportunity=opportunity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = opportunity or Opportunity()
        for name in Opportunity.EDITABLE:
            setattr(target, name, data[name])
        services.save_opportunity(
            target, domains=data["domains"], areas=data["areas"], by=request.user
        )
        messages.success(request, _("The opportunity was saved."))
        return redirect(target)
    return render(
        request,
        "initiatives/opportunity_form.html",
        {"form": form, "opportunity": opportunity},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@access.require(access.can_manage_opportunities)
def opportunity_new(request: HttpRequest) -> HttpResponse:
    return _save_opportunity(request, None)


@require_http_methods(["GET", "POST"])
@access.require(access.can_manage_opportunities)
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_opportunity(request, get_object_or_404(Opportunity, pk=pk))
