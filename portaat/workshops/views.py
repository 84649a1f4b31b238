"""The facilitator's pages: create a workshop, run it live on a projector, lock cases, hide
comments, record the agreed outcome on each case, close it, export the results.

People who may not facilitate a workshop get a 404, so its address reveals nothing.
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.forms import int_or_none
from portaat.registry import transfer
from portaat.workshops import live, services
from portaat.workshops.forms import OutcomeForm, WorkshopForm
from portaat.workshops.models import Answer, ParticipantRole, Workshop, WorkshopCase

LIST_LIMIT = 200


def facilitated_workshop(user: Any, pk: int) -> Workshop:
    """The workshop if ``user`` may facilitate it; 404 otherwise (its address reveals nothing)."""
    workshop = get_object_or_404(Workshop.objects.select_related("facilitator"), pk=pk)
    if not access.can_facilitate(user, workshop):
        raise Http404
    return workshop


def facilitated(request: HttpRequest, pk: int) -> Workshop:
    return facilitated_workshop(request.user, pk)


def _item(workshop: Workshop, item_pk: int) -> WorkshopCase:
    return get_object_or_404(
        WorkshopCase.objects.select_related("case__activism", "case__unit", "case__ladder"),
        pk=item_pk,
        workshop=workshop,
    )


@access.require(access.is_administration)
@require_GET
def workshop_list(request: HttpRequest) -> HttpResponse:
    workshops = list(
        Workshop.objects.filter(access.visible_workshops(request.user))
        .select_related("facilitator")
        .prefetch_related("items__case__activism")[:LIST_LIMIT]
    )
    return render(
        request,
        "workshops/list.html",
        {"workshops": workshops, "can_run": access.can_run_workshops(request.user)},
    )


@access.require(access.can_run_workshops)
@require_http_methods(["GET", "POST"])
def workshop_new(request: HttpRequest) -> HttpResponse:
    cases = (
        access.editable_cases(request.user)
        .select_related("activism", "unit", "ladder")
        .order_by("activism__name", "unit__slug", "ladder__position", "pk")
    )
    data = request.POST if request.method == "POST" else None
    form = WorkshopForm(data, cases=cases)
    if data is None:
        chosen = int_or_none(request.GET.get("case"))
        form.initial = {
            "hours": settings.PORTAAT_WORKSHOP_HOURS,
            "max_participants": settings.PORTAAT_WORKSHOP_MAX_PARTICIPANTS,
            "cases": [chosen] if chosen else [],
        }
    if data is not None and form.is_valid():
        try:
            workshop = services.create_workshop(
                title=form.cleaned_data["title"],
                cases=list(form.cleaned_data["cases"]),
                facilitator=request.user,
                hours=form.cleaned_data["hours"],
                max_participants=form.cleaned_data["max_participants"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The workshop is open. Show the code or the QR code."))
            return redirect(workshop)
    status = 400 if data is not None else 200
    return render(request, "workshops/new.html", {"form": form}, status=status)


def _qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    return str(qr.svg_inline(scale=8, border=2, dark="#000", light="#fff", omitsize=True))


@login_required
@require_GET
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The live view, made for a projector."""
    workshop = facilitated(request, pk)
    items = live.items_of(workshop)
    summaries = services.summarise(items)
    join_url = request.build_absolute_uri(workshop.join_path())
    panels = [
        {
            **live.item_context(item, summaries[item.pk]),
            "form": OutcomeForm(
                prefix=f"o{item.pk}",
                initial={
                    "current_level": summaries[item.pk].median("current"),
                    "target_level": summaries[item.pk].median("target"),
                },
            ),
        }
        for item in items
    ]
    return render(
        request,
        "workshops/detail.html",
        {
            "workshop": workshop,
            "panels": panels,
            "join_url": join_url,
            "qr": _qr_svg(join_url) if workshop.is_open else "",
            "head_count": live.head_count(workshop),
            "roles": ParticipantRole.choices,
        },
    )


@login_required
@require_POST
def workshop_close(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = facilitated(request, pk)
    services.close_workshop(workshop)
    messages.success(request, _("The workshop is closed. The join code no longer works."))
    return redirect(workshop)


@login_required
@require_POST
def item_lock(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    workshop = facilitated(request, pk)
    item = _item(workshop, item_pk)
    locked = request.POST.get("locked") == "1"
    services.set_locked(item, locked)
    messages.success(
        request,
        _("Answers to this case are locked.") if locked else _("Answers to this case are open."),
    )
    return redirect(f"{workshop.get_absolute_url()}#item-{item.pk}")


@login_required
@require_POST
def answer_hide(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    workshop = facilitated(request, pk)
    answer = get_object_or_404(
        Answer.objects.select_related("item"), pk=answer_pk, item__workshop=workshop
    )
    hidden = request.POST.get("hidden") == "1"
    services.set_comment_hidden(answer, hidden)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(status=204)  # the live stream redraws the wall
    messages.success(
        request, _("The comment is hidden.") if hidden else _("The comment is shown again.")
    )
    return redirect(f"{workshop.get_absolute_url()}#item-{answer.item_id}")


@login_required
@require_POST
def item_outcome(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    workshop = facilitated(request, pk)
    item = _item(workshop, item_pk)
    if not access.can_assess(request.user, item.case, "workshop"):
        raise PermissionDenied(_("You may not record assessments of this case."))
    form = OutcomeForm(request.POST, prefix=f"o{item.pk}")
    if form.is_valid():
        try:
            services.record_outcome(
                item,
                current_level=form.cleaned_data["current_level"],
                target_level=form.cleaned_data["target_level"],
                rationale=form.cleaned_data["rationale"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The outcome is saved on the case as the workshop's assessment.")
            )
            return redirect(f"{workshop.get_absolute_url()}#item-{item.pk}")
    items = live.items_of(workshop, [item.pk])
    summary = services.summarise(items)[item.pk]
    return render(
        request,
        "workshops/outcome_error.html",
        {"workshop": workshop, "panel": {**live.item_context(items[0], summary), "form": form}},
        status=400,
    )


# --- results -----------------------------------------------------------------------------------


@login_required
@require_GET
def workshop_export(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = facilitated(request, pk)
    answers = (
        Answer.objects.filter(item__workshop=workshop)
        .select_related("participant", "item__case__activism", "item__case__ladder")
        .order_by("item__position", "item_id", "participant__number")
    )
    header = [
        _("case"),
        _("activism"),
        _("ladder"),
        _("participant"),
        _("name"),
        _("role"),
        _("language"),
        _("now"),
        _("target"),
        _("comment"),
        _("comment hidden"),
        _("answered"),
    ]
    roles = dict(ParticipantRole.choices)
    rows = (
        dict(
            zip(
                header,
                (
                    answer.item.case_id,
                    str(answer.item.case.activism),
                    str(answer.item.case.ladder),
                    answer.participant.number,
                    answer.participant.display_name,
                    str(roles.get(answer.participant.role, answer.participant.role)),
                    answer.participant.language,
                    answer.current_level or "",
                    answer.target_level or "",
                    answer.comment,
                    _("yes") if answer.comment_hidden else "",
                    timezone.localtime(answer.updated_at).isoformat(timespec="seconds"),
                ),
                strict=True,
            )
        )
        for answer in answers
    )
    # the project's spreadsheet writer: BOM for Excel, formula-like cells made harmless
    content, content_type = transfer.render(rows, header, "csv")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.csv"'
    return response


@login_required
@require_GET
def workshop_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable summary: the distribution, the outcome and the visible comments per case."""
    workshop = facilitated(request, pk)
    items = live.items_of(workshop)
    summaries = services.summarise(items)
    panels = []
    for item in items:
        context = live.item_context(item, summaries[item.pk], wall=None)
        context["comments"] = [a for a in context["comments"] if not a.comment_hidden]
        panels.append(context)
    return render(
        request,
        "workshops/summary.html",
        {
            "workshop": workshop,
            "panels": panels,
            "participants": workshop.participants.count(),
            "language": get_language(),
        },
    )
