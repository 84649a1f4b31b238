"""The participants' pages at ``/w/``: no account, only a join code.

Joining creates a participant whose id is kept in a signed cookie for this workshop; the
participant then places each case on the stairs and may change the answer until the
facilitator locks the case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat.forms import int_or_none
from portaat.workshops import services
from portaat.workshops.forms import JoinForm
from portaat.workshops.live import items_of
from portaat.workshops.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Answer,
    Participant,
    Workshop,
    WorkshopCase,
    normalise_code,
)

COOKIE_SALT = "portaat.workshops.participant"
STATUS = {"closed": 410, "expired": 410, "full": 403, "locked": 409, "rate": 429, "invalid": 400}


def _cookie_name(workshop: Workshop) -> str:
    return f"portaat_w_{workshop.code}"


def _participant(request: HttpRequest, workshop: Workshop) -> Participant | None:
    raw = request.get_signed_cookie(_cookie_name(workshop), default=None, salt=COOKIE_SALT)
    pk = int_or_none(raw) or 0
    return Participant.objects.filter(pk=pk, workshop=workshop).first() if pk else None


def _workshop_by_code(code: str) -> Workshop | None:
    normal = normalise_code(code)
    if len(normal) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in normal):
        return None
    return Workshop.objects.filter(code=normal).first()


def _error_status(error: services.WorkshopError) -> int:
    return STATUS.get(str(error.code), 400)


def _unavailable(request: HttpRequest, workshop: Workshop) -> HttpResponse | None:
    try:
        services.ensure_open(workshop)
    except services.WorkshopError as error:
        return render(
            request,
            "workshops/join_unavailable.html",
            {"workshop": workshop, "message": error.messages[0]},
            status=_error_status(error),
        )
    return None


@require_GET
def enter_code(request: HttpRequest) -> HttpResponse:
    """``/w/``: type the code shown in the room."""
    raw = request.GET.get("code", "")
    error = ""
    if raw:
        workshop = _workshop_by_code(raw.replace("\x00", "")[:40])
        if workshop is not None:
            return redirect("join:workshop", code=workshop.code)
        error = _("No workshop has this code. Check the code and try again.")
    return render(
        request,
        "workshops/enter_code.html",
        {"error": error, "code": raw[:40].replace("\x00", "")},
        status=404 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def workshop(request: HttpRequest, code: str) -> HttpResponse:
    """``/w/<code>/``: join, then answer."""
    found = _workshop_by_code(code)
    if found is None:
        return render(
            request,
            "workshops/enter_code.html",
            {
                "error": _("No workshop has this code. Check the code and try again."),
                "code": code[:40],
            },
            status=404,
        )
    if found.code != code:  # typed in lower case or with a dash
        return redirect("join:workshop", code=found.code)
    unavailable = _unavailable(request, found)
    if unavailable is not None:
        return unavailable
    participant = _participant(request, found)
    if participant is None:
        return _join(request, found)
    if request.method == "POST":  # a second join from the same phone: just show the answers
        return redirect("join:workshop", code=found.code)
    return _answer_page(request, found, participant)


def _join(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = JoinForm(data, initial={"language": translation.get_language()})
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            try:
                participant = services.join(workshop, **form.cleaned_data)
            except services.WorkshopError as error:
                status = _error_status(error)
                form.add_error(None, error.messages[0])
            else:
                return _joined(workshop, participant)
    return render(
        request, "workshops/join.html", {"workshop": workshop, "form": form}, status=status
    )


def _joined(workshop: Workshop, participant: Participant) -> HttpResponse:
    response = HttpResponseRedirect(reverse("join:workshop", args=[workshop.code]))
    max_age = int((workshop.expires_at - timezone.now() + dt.timedelta(hours=12)).total_seconds())
    secure = settings.SESSION_COOKIE_SECURE
    response.set_signed_cookie(
        _cookie_name(workshop),
        str(participant.pk),
        salt=COOKIE_SALT,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )
    # the page follows the language the participant chose
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        participant.language,
        max_age=max_age,
        samesite="Lax",
        secure=secure,
    )
    return response


def _cards(
    workshop: Workshop, participant: Participant, items: list[WorkshopCase]
) -> list[dict[str, Any]]:
    answers = {a.item_id: a for a in participant.answers.filter(item__in=items)}
    return [{"item": item, "answer": answers.get(item.pk)} for item in items]


def _answer_page(
    request: HttpRequest, workshop: Workshop, participant: Participant, *, status: int = 200
) -> HttpResponse:
    with translation.override(participant.language):
        items = items_of(workshop)
        response = render(
            request,
            "workshops/answer.html",
            {
                "workshop": workshop,
                "participant": participant,
                "cards": _cards(workshop, participant, items),
            },
            status=status,
        )
    return response


@require_POST
def answer(request: HttpRequest, code: str, item_pk: int) -> HttpResponse:
    # the common path is two queries: the participant with its workshop, the case with its steps
    normal = normalise_code(code)
    raw = request.get_signed_cookie(f"portaat_w_{normal}", default=None, salt=COOKIE_SALT)
    participant = (
        Participant.objects.select_related("workshop")
        .filter(pk=int_or_none(raw) or 0, workshop__code=normal)
        .first()
    )
    if participant is None:
        found = _workshop_by_code(code)
        if found is None:
            return render(
                request,
                "workshops/enter_code.html",
                {
                    "error": _("No workshop has this code. Check the code and try again."),
                    "code": code[:40],
                },
                status=404,
            )
        messages.error(request, _("Join the workshop first."))
        return redirect("join:workshop", code=found.code)
    found = participant.workshop
    items = items_of(found, [item_pk])
    if not items:
        raise Http404
    item = items[0]
    item.workshop = found
    error = ""
    status = 200
    saved: Answer | None
    with translation.override(participant.language):
        try:
            saved = services.answer(
                participant,
                item,
                current_level=request.POST.get("current"),
                target_level=request.POST.get("target"),
                comment=request.POST.get("comment", ""),
            )
        except services.WorkshopError as problem:
            error = problem.messages[0]
            status = _error_status(problem)
            saved = participant.answers.filter(item=item).first()
            item.refresh_from_db(fields=["locked_at"])
        if not request.htmx:  # type: ignore[attr-defined]
            if error:
                messages.error(request, error)
                return _answer_page(request, found, participant, status=status)
            messages.success(request, _("Your answer is saved."))
            response: HttpResponse = redirect(
                f"{reverse('join:workshop', args=[found.code])}#item-{item.pk}"
            )
            return response
        response = render(
            request,
            "workshops/_answer_card.html",
            {
                "workshop": found,
                "card": {"item": item, "answer": saved},
                "error": error,
                "saved": not error,
            },
            status=status,
        )
    if saved is not None and not error:
        response["X-Answer-Id"] = str(saved.pk)
    return response
