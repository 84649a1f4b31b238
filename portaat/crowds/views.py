"""Crowd pages. Public: sign up, one's own page (by personal link), answering a call (by
signed link). Officials who run calls: calls, reach, sending, live headcount, CAP, audit.

Officials without the right get a 404 for a call, so its address reveals nothing; forged or
dead personal links get the same "link not valid" page as unknown ones.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access, ratelimit
from portaat.crowds import cap, links, reach, services
from portaat.crowds.forms import CallForm, CloseForm, SignUpForm, UpdateForm, VolunteerForm
from portaat.crowds.models import (
    AuditEntry,
    Call,
    CallStatus,
    Channel,
    Delivery,
    MessageKind,
    Response,
    Volunteer,
    VolunteerStatus,
)
from portaat.crowds.transports import configured_channels

LIST_LIMIT = 200


def _language(request: HttpRequest) -> str:
    return (getattr(request, "LANGUAGE_CODE", None) or get_language() or "fi")[:2]


# --- volunteers (public) ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@ratelimit.limit("volunteer-signup")
def join(request: HttpRequest) -> HttpResponse:
    consent = services.current_consent()
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["consent_version"] != consent.version:
                # the text changed while the page was open: show the new one and ask again,
                # with the new version in the form (the old one would fail every time)
                data = request.POST.copy()
                data["consent_version"] = str(consent.version)
                data.pop("consent", None)
                form = SignUpForm(data)
                form.is_valid()
                form.add_error(None, _("The consent text has changed. Please read it again."))
            else:
                volunteer = services.sign_up(form.volunteer_data(), consent)
                messages.success(
                    request,
                    _("Thank you for volunteering! Keep this page's address: it is your own."),
                )
                return redirect(volunteer.get_manage_url())
        status = 400
    else:
        form = SignUpForm(
            initial={"language": _language(request), "consent_version": consent.version}
        )
        status = 200
    form.initial["consent_version"] = consent.version
    return render(
        request,
        "crowds/join.html",
        {"form": form, "consent": consent, "consent_text": consent.text(_language(request))},
        status=status,
    )


def _volunteer_by_secret(secret: str) -> Volunteer:
    volunteer = (
        Volunteer.objects.filter(secret=secret)
        .select_related("consent")
        .prefetch_related("areas", "skills", "push_subscriptions")
        .first()
    )
    if volunteer is None or len(secret) > 64:
        raise Http404
    return volunteer


@require_http_methods(["GET", "POST"])
@ratelimit.limit("volunteer-page", ratelimit.by_url_part("secret"))
def volunteer_manage(request: HttpRequest, secret: str) -> HttpResponse:
    volunteer = _volunteer_by_secret(secret)
    consent = services.current_consent()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if volunteer.status != VolunteerStatus.ACTIVE and action != "rejoin":
            return _manage_page(request, volunteer, VolunteerForm(initial=_initial(volunteer)), 409)
        if action in ("confirm", "rejoin") and not _agreed_to(request, volunteer, consent):
            # the text changed since the volunteer gave consent (or since the page was loaded):
            # nobody agrees to a text they were not shown
            return _manage_page(
                request,
                volunteer,
                VolunteerForm(initial=_initial(volunteer)),
                409,
                error=_("The consent text has changed. Read the new text below and confirm again."),
            )
        if action == "confirm":
            services.confirm(volunteer, consent)
            messages.success(request, _("Thank you! Your details are confirmed."))
            return redirect(volunteer.get_manage_url())
        if action == "rotate":
            services.rotate_secret(volunteer)
            messages.success(
                request,
                _(
                    "This page has a new address: save it. The old address and the answer "
                    "links sent before no longer work."
                ),
            )
            return redirect(volunteer.get_manage_url())
        if action == "leave":
            services.leave(volunteer)
            messages.success(request, _("You have left. You will get no more calls."))
            return redirect(volunteer.get_manage_url())
        if action == "rejoin":
            if volunteer.status == VolunteerStatus.LEFT:
                Volunteer.objects.filter(pk=volunteer.pk).update(
                    status=VolunteerStatus.ACTIVE, left_at=None
                )
                services.confirm(Volunteer.objects.get(pk=volunteer.pk), consent)
                messages.success(request, _("Welcome back! You will get calls again."))
            return redirect(volunteer.get_manage_url())
        if action == "save":
            form = VolunteerForm(request.POST)
            if form.is_valid():
                extra = [c for c in volunteer.channels if c in ("push", "telegram")]
                services.update_volunteer(volunteer, form.volunteer_data(extra_channels=extra))
                messages.success(request, _("Your details are saved."))
                return redirect(volunteer.get_manage_url())
            return _manage_page(request, volunteer, form, 400)
        return _manage_page(
            request,
            volunteer,
            VolunteerForm(initial=_initial(volunteer)),
            400,
            error=_("Unknown action."),
        )
    return _manage_page(request, volunteer, VolunteerForm(initial=_initial(volunteer)), status)


def _agreed_to(request: HttpRequest, volunteer: Volunteer, consent: Any) -> bool:
    """Confirming keeps the volunteer's consent; when the current text is another version, the
    form must carry that version's number (the page showed that text)."""
    if consent.pk == volunteer.consent_id:
        return True
    return request.POST.get("consent_version", "") == str(consent.version)


def _initial(volunteer: Volunteer) -> dict[str, Any]:
    return {
        "name": volunteer.name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "language": volunteer.language,
        "channels": [c for c in volunteer.channels if c in ("email", "sms")],
        "areas": list(volunteer.areas.all()),
        "skills": list(volunteer.skills.all()),
        "availability": volunteer.availability,
    }


def _manage_page(
    request: HttpRequest, volunteer: Volunteer, form: VolunteerForm, status: int, error: str = ""
) -> HttpResponse:
    from portaat.crowds.transports.telegram import telegram_link
    from portaat.crowds.transports.webpush import WebPushTransport, vapid_public_key

    lapsed = volunteer.confirmed_at < reach.confirmation_cutoff()
    consent = services.current_consent()
    push_key = vapid_public_key() if WebPushTransport.configured() else ""
    return render(
        request,
        "crowds/manage.html",
        {
            "volunteer": volunteer,
            "form": form,
            "lapsed": lapsed,
            "error": error,
            "consent_text": volunteer.consent.text(_language(request)),
            "new_consent": consent if consent.pk != volunteer.consent_id else None,
            "new_consent_text": consent.text(_language(request)),
            "telegram_link": telegram_link(volunteer) if volunteer.status == "active" else None,
            "vapid_public_key": push_key,
            "confirm_by": volunteer.confirmed_at + (timezone.now() - reach.confirmation_cutoff()),
        },
        status=status,
    )


@require_GET
@ratelimit.limit("volunteer-page", ratelimit.by_url_part("secret"), methods=("GET",))
def volunteer_export(request: HttpRequest, secret: str) -> HttpResponse:
    volunteer = _volunteer_by_secret(secret)
    data = services.export_own_data(volunteer)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="portaat-volunteer.json"'
    return response


@require_POST
@ratelimit.limit("volunteer-page", ratelimit.by_url_part("secret"))
def volunteer_erase(request: HttpRequest, secret: str) -> HttpResponse:
    volunteer = _volunteer_by_secret(secret)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that everything is to be erased."))
        return redirect(volunteer.get_manage_url())
    services.erase(volunteer)
    return render(request, "crowds/erased.html")


# --- answering a call (public, signed link) ---------------------------------------------------


@require_http_methods(["GET", "POST"])
@ratelimit.limit("volunteer-response", ratelimit.by_url_part("token"))
def respond(request: HttpRequest, token: str) -> HttpResponse:
    resolved = links.resolve_token(token) if len(token) < 80 else None
    if resolved is None:
        return render(request, "crowds/link_invalid.html", status=404)
    call, volunteer = resolved
    language = volunteer.language
    outcome = ""
    status = 200
    answer = request.POST.get("answer", "") if request.method == "POST" else ""
    if request.method == "POST":
        if answer not in ("coming", "not_coming", "arrived"):
            status = 400
            messages.error(request, _("Choose one of the answers."))
        else:
            outcome = services.record_answer(call, volunteer, answer, via="link")
            if outcome == services.AnswerOutcome.CLOSED:
                status = 410
            elif outcome in (services.AnswerOutcome.LEFT, services.AnswerOutcome.NOT_REACHED):
                status = 403
    current = Response.objects.filter(call=call, volunteer=volunteer).first()
    preselect = request.GET.get("a", "") if request.method == "GET" else ""
    return render(
        request,
        "crowds/respond.html",
        {
            "call": call,
            "volunteer": volunteer,
            "instructions": call.instructions(_language(request)),
            "current": current,
            "outcome": outcome,
            "outcome_text": services.answer_reply(call, outcome, answer, _language(request))
            if outcome
            else "",
            "preselect": preselect if preselect in ("coming", "not_coming", "arrived") else "",
            "is_open": call.is_open and volunteer.status == VolunteerStatus.ACTIVE,
            "volunteer_language": language,
        },
        status=status,
    )


# --- officials --------------------------------------------------------------------------------


def _call_for(request: HttpRequest, pk: int) -> Call:
    if not access.can_run_calls(request.user):
        raise Http404
    return get_object_or_404(
        Call.objects.select_related("created_by").prefetch_related("areas", "skills"), pk=pk
    )


@access.require(access.can_run_calls)
@access.require_second_step
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    calls = list(Call.objects.select_related("created_by")[:LIST_LIMIT])
    active = reach.eligible_volunteers().count()
    total = Volunteer.objects.filter(status=VolunteerStatus.ACTIVE).count()
    return render(
        request,
        "crowds/call_list.html",
        {
            "calls": calls,
            "volunteers_active": active,
            "volunteers_lapsed": total - active,
            "channels": [Channel(c).label for c in configured_channels()],
        },
    )


def _reach_for(form: CallForm) -> reach.Reach:
    data = form.call_data()
    return reach.estimate(
        lat=data.lat,
        lon=data.lon,
        radius_m=data.radius_m,
        area_ids=data.area_ids,
        skill_ids=data.skill_ids,
        channels=data.channels,
        available=configured_channels(),
    )


@access.require(access.can_run_calls)
@access.require_second_step
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST if request.method == "POST" else None)
    estimate = None
    if request.method == "POST":
        if form.is_valid():
            if request.POST.get("action") == "estimate":
                estimate = _reach_for(form)
            else:
                call = services.create_call(request.user, form.call_data())
                messages.success(
                    request, _("The call is saved as a draft. Check the reach, then send it.")
                )
                return redirect(call)
        else:
            return render(request, "crowds/call_form.html", {"form": form}, status=400)
    return render(request, "crowds/call_form.html", {"form": form, "estimate": estimate})


@access.require_second_step
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_for(request, pk)
    if call.status != CallStatus.DRAFT:
        messages.error(request, _("A call that has been sent cannot be edited; send an update."))
        return redirect(call)
    form = CallForm(
        request.POST if request.method == "POST" else None, initial=CallForm.initial_from(call)
    )
    estimate = None
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "crowds/call_form.html", {"form": form, "call": call}, status=400
            )
        if request.POST.get("action") == "estimate":
            estimate = _reach_for(form)
        else:
            services.edit_call(request.user, call, form.call_data())
            messages.success(request, _("The draft is saved."))
            return redirect(call)
    return render(
        request, "crowds/call_form.html", {"form": form, "call": call, "estimate": estimate}
    )


def _detail_context(request: HttpRequest, call: Call) -> dict[str, Any]:
    from portaat.crowds import live

    estimate = None
    if call.status == CallStatus.DRAFT:
        estimate = reach.estimate(
            lat=call.lat,
            lon=call.lon,
            radius_m=call.radius_m,
            area_ids=[a.pk for a in call.areas.all()],
            skill_ids=[s.pk for s in call.skills.all()],
            channels=call.channels,
            available=configured_channels(),
        )
    return {
        "call": call,
        "estimate": estimate,
        "instructions": call.instructions(_language(request)),
        "live": live.context(call, _language(request)),
        "update_form": UpdateForm(),
        "close_form": CloseForm(prefix="close"),
        "map_points": live.map_points(call, _language(request)),
        "audit": AuditEntry.objects.filter(call=call).select_related("actor")[:50],
    }


@access.require_second_step
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_for(request, pk)
    return render(request, "crowds/call_detail.html", _detail_context(request, call))


@access.require_second_step
@require_POST
def call_send(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_for(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the call is to be sent."))
        return redirect(call)
    try:
        count = services.send_call(request.user, call)
    except services.CrowdError as exc:
        messages.error(request, str(exc))
        return redirect(call)
    messages.success(
        request, _("The call is on its way to %(count)s volunteers.") % {"count": count}
    )
    return redirect(call)


@access.require_second_step
@require_POST
def call_update(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_for(request, pk)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, call)
        context["update_form"] = form
        return render(request, "crowds/call_detail.html", context, status=400)
    try:
        count = services.send_update(request.user, call, form.cleaned_data)
    except services.CrowdError as exc:
        messages.error(request, str(exc))
        return redirect(call)
    messages.success(
        request, _("The update is on its way to %(count)s volunteers.") % {"count": count}
    )
    return redirect(call)


@access.require_second_step
@require_POST
def call_close(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    call = _call_for(request, pk)
    form = CloseForm(request.POST, prefix="close")
    if not form.is_valid():
        context = _detail_context(request, call)
        context["close_form"] = form
        return render(request, "crowds/call_detail.html", context, status=400)
    message_kind = MessageKind.STAND_DOWN if kind == "stand-down" else MessageKind.CANCEL
    try:
        services.close_call(request.user, call, message_kind, form.cleaned_data)
    except services.CrowdError as exc:
        messages.error(request, str(exc))
        return redirect(call)
    if message_kind == MessageKind.STAND_DOWN:
        messages.success(request, _("Stood down. Those who are coming are told to stand down."))
    else:
        messages.success(request, _("Cancelled. Those who are coming are told."))
    return redirect(call)


@access.require_second_step
@require_GET
def call_cap(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call_for(request, pk)
    if call.status == CallStatus.DRAFT:
        raise Http404
    message = (
        call.messages.order_by("-pk")
        .exclude(kind__in=[MessageKind.ENOUGH, MessageKind.PLACE])
        .first()
    )
    sender = f"portaat@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"
    body = cap.call_alert(call, message, sender=sender, url=_public_url(call))
    response = HttpResponse(body, content_type="application/cap+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="call-{call.pk}.cap.xml"'
    services.audit(request.user, "cap_exported", call)
    return response


def _public_url(call: Call) -> str:
    return settings.SITE_URL + call.get_absolute_url()


@access.require_second_step
@require_GET
def call_headcount(request: HttpRequest, pk: int) -> HttpResponse:
    """The headcount part alone (the live view's fallback when streams are not available)."""
    from portaat.crowds import live

    call = _call_for(request, pk)
    return render(
        request,
        "crowds/_headcount.html",
        {"call": call, "live": live.context(call, _language(request))},
    )


@access.require(access.can_run_calls)
@access.require_second_step
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor", "call")[:500]
    return render(request, "crowds/audit.html", {"entries": entries})


@access.require(access.can_run_calls)
@access.require_second_step
@require_GET
def delivery_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Counts of the outbox by status (for monitoring a big fan-out)."""
    call = _call_for(request, pk)
    counts: dict[str, int] = {}
    for status in Delivery.objects.filter(message__call=call).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return JsonResponse({"call": call.pk, "deliveries": counts})
