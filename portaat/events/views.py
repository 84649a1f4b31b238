"""Events pages for the administration: upcoming events in my areas, one event with who is
going, "I'll go" (a toggle), and after the event a note logged on a case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.events import services
from portaat.events.forms import NoteForm
from portaat.events.models import Event
from portaat.registry.models import Area


@access.require(access.can_follow_events)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events in my areas; ``?area=`` (an area's identifier) shows one area's."""
    key = request.GET.get("area", "")
    area = Area.objects.filter(key=key).first() if key else None
    error = (
        _("There is no such area. Events in all your areas are shown.") if key and not area else ""
    )
    events = list(services.upcoming_for(request.user, area=area))
    language = get_language()
    for event in events:
        event.name = event.display_name(language)  # type: ignore[attr-defined]
    going = set(
        request.user.event_attendances.filter(event__in=events).values_list("event_id", flat=True)  # type: ignore[union-attr]
    )
    return render(
        request,
        "events/list.html",
        {
            "events": events,
            "going": going,
            "areas": services.areas_of(request.user),
            "area": area,
            "error": error,
        },
        status=400 if error else 200,
    )


def _detail(
    request: HttpRequest, event: Event, form: NoteForm | None = None, status: int = 200
) -> HttpResponse:
    cases = services.cases_of(request.user)
    started = services.has_started(event)
    if form is None and started:
        form = NoteForm(cases=cases)
    attendances = list(event.attendances.select_related("user"))
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "name": event.display_name(get_language()),
            "attendances": attendances,
            "is_going": any(a.user_id == request.user.pk for a in attendances),
            "started": started,
            "form": form,
            "notes": event.notes.select_related("interaction__case__activism", "author"),
        },
        status=status,
    )


@access.require(access.can_follow_events)
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.select_related("activism").prefetch_related("areas"), pk=pk
    )
    return _detail(request, event)


@access.require(access.can_follow_events)
@require_POST
def going(request: HttpRequest, pk: int) -> HttpResponse:
    """Toggle "I'll go"."""
    event = get_object_or_404(Event, pk=pk)
    try:
        now_going = services.toggle_going(event, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("events:detail", pk=event.pk)
    if now_going:
        messages.success(request, _("You are going to the event."))
    else:
        messages.success(request, _("You are no longer going to the event."))
    return redirect("events:detail", pk=event.pk)


@access.require(access.can_follow_events)
@require_http_methods(["POST"])
def note(request: HttpRequest, pk: int) -> HttpResponse:
    """After the event: a note logged as an interaction on the chosen case."""
    event = get_object_or_404(Event.objects.prefetch_related("areas"), pk=pk)
    form = NoteForm(request.POST, cases=services.cases_of(request.user))
    if form.is_valid():
        try:
            services.write_note(
                event,
                case=form.cleaned_data["case"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The note is logged on the case."))
            return redirect("events:detail", pk=event.pk)
    return _detail(request, event, form, status=400)
