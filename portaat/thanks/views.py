"""Thanks pages. Public: the wall, one published thanks, the thanks form (no account needed).
Coordinators: the moderation queue, publishing and rejecting. Officials: their own settings.

A thanks that is not published is a 404 to everyone but the moderators, so its address
reveals nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.registry.models import Unit
from portaat.thanks import queries, services
from portaat.thanks.forms import TRAP_FIELD, PreferencesForm, RejectForm, ThanksForm, unit_choices
from portaat.thanks.models import Thanks, ThanksStatus

PAGE_SIZE = 20
QUEUE_LIMIT = 200
FORM_FIELDS = {"official", "unit", "story", "activism"}


def _language(request: HttpRequest) -> str:
    return (getattr(request, "LANGUAGE_CODE", None) or get_language() or "fi")[:2]


@require_GET
def wall(request: HttpRequest) -> HttpResponse:
    """Published thanks, newest first; ``?unit=`` (a unit's identifier) shows one unit's."""
    slug = request.GET.get("unit", "")
    unit = Unit.objects.filter(slug=slug).first() if slug else None
    error = ""
    if slug and unit is None:
        error = _("There is no such unit. All thanks are shown.")
    page = Paginator(queries.wall(unit), PAGE_SIZE).get_page(request.GET.get("page"))
    can_moderate = access.can_moderate_thanks(request.user)
    return render(
        request,
        "thanks/wall.html",
        {
            "page": page,
            "unit": unit,
            "units": unit_choices(),
            "error": error,
            "can_moderate": can_moderate,
            "pending": queries.pending().count() if can_moderate else 0,
            "can_set_preferences": access.can_be_thanked(request.user),
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def thanks_new(request: HttpRequest) -> HttpResponse:
    """The public thanks form; ``?official=`` or ``?unit=`` preselect the recipient."""
    status = 200
    if request.method == "POST":
        form = ThanksForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_thanks(
                    story=data["story"],
                    official=data["official"],
                    unit=data["unit"],
                    activism=data["activism"],
                    thanker_name=data["thanker_name"],
                    contact_email=data["contact_email"],
                    language=_language(request),
                    sender=services.sender_key(request.META.get("REMOTE_ADDR", "")),
                )
            except services.TooManyThanks:
                status = 429
                form.add_error(
                    None,
                    _("You have sent many thanks in a short time. Please try again in an hour."),
                )
            except ValidationError as error:
                field = error.code if error.code in FORM_FIELDS else None
                form.add_error(field, error)
            else:
                messages.success(
                    request,
                    _("Thank you! A coordinator reads your thanks before it appears on the wall."),
                )
                return redirect("thanks:wall")
    else:
        form = ThanksForm(
            initial={
                "official": request.GET.get("official", ""),
                "unit": request.GET.get("unit", ""),
            }
        )
    return render(
        request, "thanks/new.html", {"form": form, "trap_field": TRAP_FIELD}, status=status
    )


@require_GET
def thanks_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One thanks: published ones for everyone; moderators see any, with its status."""
    thanks = get_object_or_404(queries.any_status(), pk=pk)
    can_moderate = access.can_moderate_thanks(request.user)
    if thanks.status != ThanksStatus.APPROVED and not can_moderate:
        raise Http404
    return render(
        request,
        "thanks/detail.html",
        {
            "thanks": thanks,
            "can_moderate": can_moderate,
            "log": list(thanks.moderation_log.select_related("actor")) if can_moderate else [],
            "reject_form": RejectForm(prefix=f"r{thanks.pk}"),
        },
    )


def _queue(
    request: HttpRequest, *, status: int = 200, errors: dict[int, Any] | None = None
) -> HttpResponse:
    waiting = list(queries.pending()[:QUEUE_LIMIT])
    errors = errors or {}
    items = [
        {
            "thanks": thanks,
            "form": errors.get(thanks.pk) or RejectForm(prefix=f"r{thanks.pk}"),
        }
        for thanks in waiting
    ]
    return render(
        request,
        "thanks/moderation.html",
        {"items": items, "decisions": queries.recent_decisions(), "error": errors.get(0, "")},
        status=status,
    )


@access.require(access.can_moderate_thanks)
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    """Thanks waiting for moderation, oldest first, and the latest decisions (who, when)."""
    return _queue(request)


def _moderated(pk: int) -> Thanks:
    return get_object_or_404(Thanks.objects.select_related("unit"), pk=pk)


@access.require(access.can_moderate_thanks)
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    thanks = _moderated(pk)
    try:
        services.approve(thanks, by=request.user)
    except ValidationError as error:
        return _queue(request, status=409, errors={0: " ".join(error.messages)})
    messages.success(request, _("The thanks is published on the wall."))
    return redirect("thanks:moderation")


@access.require(access.can_moderate_thanks)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject a waiting thanks, or take a published one off the wall (with a reason)."""
    thanks = _moderated(pk)
    form = RejectForm(request.POST, prefix=f"r{thanks.pk}")
    if not form.is_valid():
        message = _("The thanks was not rejected: write the reason, at most 500 characters.")
        return _queue(request, status=400, errors={thanks.pk: form, 0: message})
    try:
        services.reject(thanks, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _queue(request, status=409, errors={0: " ".join(error.messages)})
    messages.success(request, _("The thanks was rejected. It is not shown anywhere."))
    return redirect("thanks:moderation")


@access.require(access.can_be_thanked)
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """An official's own choices: to be thanked by name (with a public name), and whether
    their unit's coordinator hears of the thanks they receive."""
    user: Any = request.user
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.set_preferences(user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your thanks settings were saved."))
                return redirect("thanks:settings")
    else:
        current = services.preferences_of(user)
        form = PreferencesForm(
            initial={
                "accepts_thanks": current.accepts_thanks,
                "public_name": current.public_name,
                "thanks_to_manager": current.thanks_to_manager,
            }
        )
    return render(
        request,
        "thanks/settings.html",
        {"form": form, "has_unit": bool(services.units_of(user))},
        status=status,
    )
