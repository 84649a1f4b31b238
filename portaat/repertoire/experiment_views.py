"""Plans on the case page and experiments under /experiments/.

A case's plan belongs to the unit (``access.can_plan_case``); experiments are the
administration's shared learning: every member may read them, and those who may change one
of an experiment's cases (or its owner) close it and attach files to it; the files are
downloaded by whoever may read it (``access.can_view_experiment_files``), only through the
download view here. Writes go through ``portaat.repertoire.services``; bad input gets a 400
with the reason and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import IO, Any

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.cases import queries as case_queries
from portaat.cases.models import Case
from portaat.cases.views import display_name
from portaat.forms import int_or_none
from portaat.repertoire import attachments, services
from portaat.repertoire.experiment_forms import (
    AbandonExperimentForm,
    AttachmentForm,
    CloseExperimentForm,
    ExperimentFilterForm,
    ExperimentForm,
    PlanItemForm,
    PlanItemNewForm,
    practice_label,
)
from portaat.repertoire.models import (
    Experiment,
    ExperimentAttachment,
    ExperimentStatus,
    PlanItem,
    PlanStatus,
    Practice,
)

PAGE_SIZE = 25
DOWNLOAD_CHUNK = 64 * 1024
PRACTICE_SEARCH_LIMIT = 60
OPEN_PLAN_STATUSES = (PlanStatus.TODO, PlanStatus.DOING)

logger = logging.getLogger(__name__)


def practice_url(pk: int) -> str:
    # The repertoire pages are built in parallel; fall back to their agreed address.
    try:
        return reverse("repertoire:detail", args=[pk])
    except NoReverseMatch:
        return f"/practices/{pk}/"


def _case_for(request: HttpRequest, pk: Any) -> Case:
    """The case, if the user may plan it; 403 for those who may only see it, else 404."""
    raw = str(pk or "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):  # "²" isdigit(), not int()
        raise Http404
    case = get_object_or_404(case_queries.case_for_page(), pk=int(raw))
    if access.can_plan_case(request.user, case):
        return case
    if access.can_view_case(request.user, case):
        raise PermissionDenied
    raise Http404


def _owners(request: HttpRequest, case: Case, items: list[PlanItem]) -> list[tuple[int, str]]:
    current = tuple(item.owner_id for item in items if item.owner_id is not None)
    return [
        (user.pk, display_name(user))
        for user in access.plan_owner_candidates(request.user, case, current=current)
    ]


# --- the plan section of the case page ---------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    practice: Practice
    label: str
    url: str
    why: str


def _evidence_text(tried: int, worked: int) -> str:
    if not tried:
        return _("not tried in an experiment yet")
    return _("worked in %(worked)d of %(tried)d experiments") % {"worked": worked, "tried": tried}


def plan_section(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What ``cases/_plan.html`` shows: the plan, the next levels' practices and what worked in
    similar cases. A fixed number of queries, whatever the plan or the case's history."""
    today = timezone.localdate()
    items = services.plan_of(case)
    for item in items:
        item.label = practice_label(item.practice)  # type: ignore[attr-defined]
        item.url = practice_url(item.practice_id)  # type: ignore[attr-defined]
        item.owner_name = display_name(item.owner) if item.owner_id else ""  # type: ignore[attr-defined]
        item.overdue = bool(  # type: ignore[attr-defined]
            item.due_on and item.due_on < today and item.status in OPEN_PLAN_STATUSES
        )
    suggestions = [
        Suggestion(p, practice_label(p), practice_url(p.pk), _evidence_text(e.tried, e.worked))
        for p, e in services.suggestions_for_case(case)
    ]
    elsewhere = [
        Suggestion(p, practice_label(p), practice_url(p.pk), services.reason(rec))
        for p, rec in services.recommendations_for_case(case)
    ]
    experiments = list(Experiment.objects.filter(cases=case).order_by("-starts_on", "-pk"))
    return {
        "items": items,
        "owners": _owners(request, case, items),
        "statuses": PlanStatus.choices,
        "suggestions": suggestions,
        "elsewhere": elsewhere,
        "experiments": experiments,
    }


def _plan_error(request: HttpRequest, case: Case, form: Any) -> HttpResponse:
    return render(
        request,
        "experiments/plan_error.html",
        {"case": case, "form": form, "unit_url": None},
        status=400,
    )


@require_POST
@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    """Add a practice to a case's plan (the "Add to plan" buttons of the case page)."""
    case = _case_for(request, request.POST.get("case"))
    form = PlanItemNewForm(request.POST, owners=_owners(request, case, []))
    if form.is_valid():
        owner_pk = form.cleaned_data["owner"]
        try:
            item = services.plan_practice(
                case,
                form.cleaned_data["practice"],
                owner=access.plan_owner_candidates(request.user, case).get(pk=owner_pk)
                if owner_pk
                else None,
                due_on=form.cleaned_data["due_on"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("“%(practice)s” was added to the plan.") % {"practice": item.practice}
            )
            return redirect(f"{case.get_absolute_url()}#plan")
    return _plan_error(request, case, form)


@require_POST
@login_required
def plan_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a plan item's status, owner or due date."""
    item = get_object_or_404(PlanItem.objects.select_related("practice"), pk=pk)
    case = _case_for(request, item.case_id)
    form = PlanItemForm(request.POST, owners=_owners(request, case, [item]))
    if form.is_valid():
        owner_pk = form.cleaned_data["owner"]
        owner = (
            access.plan_owner_candidates(request.user, case, current=(item.owner_id or 0,)).get(
                pk=owner_pk
            )
            if owner_pk
            else None
        )
        try:
            services.update_plan_item(
                item,
                status=form.cleaned_data["status"],
                owner=owner,
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The plan item “%(practice)s” was saved.") % {"practice": item.practice}
            )
            return redirect(f"{case.get_absolute_url()}#plan-item-{item.pk}")
    return _plan_error(request, case, form)


# --- experiments -------------------------------------------------------------------------------


@require_GET
@access.require(access.can_view_experiments)
def experiment_list(request: HttpRequest) -> HttpResponse:
    """The experiments of the user's units (and their own), or every unit's, by status."""
    form = ExperimentFilterForm(request.GET)
    experiments = services.experiments_for_pages().order_by("-starts_on", "-pk")
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    if filters.get("scope") != "all":
        mine = Q(cases__in=access.editable_cases(request.user).values("pk"))
        if request.user.is_authenticated:
            mine |= Q(owner=request.user)
        experiments = experiments.filter(mine).distinct()
    if filters.get("status"):
        experiments = experiments.filter(status=filters["status"])
    page = Paginator(experiments, PAGE_SIZE).get_page(request.GET.get("page"))
    for experiment in page:
        experiment.practice_rows = [  # type: ignore[attr-defined]
            (practice_label(p), practice_url(p.pk)) for p in experiment.practices.all()
        ]
    return render(
        request,
        "experiments/list.html",
        {
            "form": form,
            "page": page,
            "can_start": access.can_start_experiment(request.user),
            "query": _query_without_page(request),
        },
        status=200 if valid else 400,
    )


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_http_methods(["GET", "POST"])
@access.require(access.can_start_experiment)
def experiment_new(request: HttpRequest) -> HttpResponse:
    """Start an experiment: ``?case=<pk>&practice=<pk>`` prefill it from a case's plan;
    ``?q=`` narrows the list of practices to those whose title matches."""
    cases = list(
        access.editable_cases(request.user)
        .select_related("activism", "unit", "ladder")
        .order_by("activism__name", "unit__slug", "ladder__position", "pk")
    )
    practices = Practice.objects.select_related("step__ladder")
    # NUL cannot reach PostgreSQL in a query parameter
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    if request.method != "GET":
        query = ""
    case_pk = int_or_none(request.GET.get("case"))
    practice_pk = int_or_none(request.GET.get("practice"))
    if query:
        practices = practices.filter(Q(title__icontains=query) | Q(pk=practice_pk or 0))[
            :PRACTICE_SEARCH_LIMIT
        ]
    data = request.POST if request.method == "POST" else None
    form = ExperimentForm(data, practices=practices, cases=cases)
    if data is None:
        chosen = form.practice_objects.get(practice_pk or 0)
        form.initial = {
            "cases": [case_pk] if case_pk in form.case_objects else [],
            "practices": [chosen.pk] if chosen else [],
            "title": chosen.title if chosen else "",
            "starts_on": timezone.localdate(),
        }
    if data is not None and form.is_valid():
        chosen_cases = form.cleaned_data["cases"]
        if not all(access.can_edit_case(request.user, case) for case in chosen_cases):
            raise PermissionDenied  # editable_cases and can_edit_case disagree: a bug, not input
        try:
            experiment = services.create_experiment(
                title=form.cleaned_data["title"],
                hypothesis=form.cleaned_data["hypothesis"],
                success_criteria=form.cleaned_data["success_criteria"],
                practices=form.cleaned_data["practices"],
                cases=chosen_cases,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                owner=request.user,
            )
        except ValidationError as exc:
            late = form.cleaned_data["ends_on"] < form.cleaned_data["starts_on"]
            form.add_error("ends_on" if late else None, exc)
        else:
            messages.success(request, _("The experiment was created."))
            return redirect("experiments:detail", experiment.pk)
    elif data is not None:
        # the service's rule, shown beside the field even when other fields are wrong too
        starts, ends = form.cleaned_data.get("starts_on"), form.cleaned_data.get("ends_on")
        if starts and ends and ends < starts:
            form.add_error("ends_on", _("The experiment cannot end before it starts."))
    return render(
        request,
        "experiments/new.html",
        {
            "form": form,
            "query": query,
            "case_pk": case_pk,
            "practice_pk": practice_pk,
            "has_cases": bool(cases),
            "limit": PRACTICE_SEARCH_LIMIT,
        },
        status=400 if form.errors else 200,
    )


def _experiment(pk: int) -> Experiment:
    experiment: Experiment = get_object_or_404(services.experiments_for_pages(), pk=pk)
    return experiment


def _detail(
    request: HttpRequest,
    experiment: Experiment,
    *,
    close_form: CloseExperimentForm | None = None,
    abandon_form: AbandonExperimentForm | None = None,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    is_open = experiment.status in (ExperimentStatus.PLANNED, ExperimentStatus.RUNNING)
    can_close = access.can_close_experiment(user, experiment)
    can_edit_files = access.can_edit_experiment_files(user, experiment)
    files = (
        list(experiment.attachments.select_related("uploaded_by"))
        if access.can_view_experiment_files(user, experiment)
        else []
    )
    for attachment in files:
        attachment.uploader_name = (  # type: ignore[attr-defined]
            display_name(attachment.uploaded_by) if attachment.uploaded_by_id else ""
        )
        attachment.type_label = (  # type: ignore[attr-defined]
            attachments.extension_of(attachment.original_filename).lstrip(".").upper()
        )
    reassess = [
        case for case in services.cases_to_reassess(experiment) if access.can_edit_case(user, case)
    ]
    return render(
        request,
        "experiments/detail.html",
        {
            "experiment": experiment,
            "practices": [
                (practice_label(p), practice_url(p.pk)) for p in experiment.practices.all()
            ],
            "cases": list(experiment.cases.all()),
            "is_open": is_open,
            "can_close": can_close and is_open,
            "close_form": close_form or CloseExperimentForm(),
            "abandon_form": abandon_form or AbandonExperimentForm(),
            "reassess": reassess,
            "owner_name": display_name(experiment.owner) if experiment.owner_id else "",
            "overdue": is_open and experiment.ends_on < timezone.localdate(),
            "attachments": files,
            "can_edit_files": can_edit_files,
            "attachment_form": attachment_form or _attachment_form(None),
            "attachment_limits": services.attachment_limits(),
        },
        status=status,
    )


@require_GET
@access.require(access.can_view_experiments)
def experiment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _experiment(pk))


@require_POST
@access.require(access.can_view_experiments)
def experiment_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the outcome and lessons, then prompt to reassess the experiment's cases."""
    experiment = _experiment(pk)
    if not access.can_close_experiment(request.user, experiment):
        raise PermissionDenied
    form = CloseExperimentForm(request.POST)
    if form.is_valid():
        try:
            services.close_experiment(
                experiment,
                outcome=form.cleaned_data["outcome"],
                lessons=form.cleaned_data["lessons"],
                evidence_links=form.cleaned_data["evidence_links"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "The experiment was closed. Now reassess its cases: did the cooperation "
                    "move on the stairs?"
                ),
            )
            return redirect(f"{reverse('experiments:detail', args=[experiment.pk])}#reassess")
    return _detail(request, _experiment(pk), close_form=form, status=400)


@require_POST
@access.require(access.can_view_experiments)
def experiment_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _experiment(pk)
    if not access.can_close_experiment(request.user, experiment):
        raise PermissionDenied
    form = AbandonExperimentForm(request.POST)
    if form.is_valid():
        try:
            services.abandon_experiment(experiment, lessons=form.cleaned_data["lessons"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The experiment was abandoned."))
            return redirect("experiments:detail", experiment.pk)
    return _detail(request, _experiment(pk), abandon_form=form, status=400)


# --- attachments -------------------------------------------------------------------------------


def _attachment_form(request: HttpRequest | None) -> AttachmentForm:
    limits = services.attachment_limits()
    return AttachmentForm(
        request.POST if request is not None else None,
        request.FILES if request is not None else None,
        extensions=limits["extensions"],
        max_mb=limits["max_mb"],
        per_experiment=limits["per_experiment"],
    )


@require_POST
@access.require(access.can_view_experiments)
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file (multipart form). A refused file is explained beside the form, with 400,
    and nothing is stored."""
    experiment = _experiment(pk)
    if not access.can_edit_experiment_files(request.user, experiment):
        raise PermissionDenied
    form = _attachment_form(request)
    if form.is_valid():
        try:
            attachment = services.add_attachment(
                experiment,
                form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, _("“%(name)s” was attached.") % {"name": attachment.display_name}
            )
            return redirect(f"{reverse('experiments:detail', args=[experiment.pk])}#attachments")
    return _detail(request, _experiment(pk), attachment_form=form, status=400)


def _attachment(pk: int, attachment_pk: int) -> ExperimentAttachment:
    """The experiment's attachment: 404 for an id of another experiment's file."""
    attachment: ExperimentAttachment = get_object_or_404(
        ExperimentAttachment.objects.select_related("experiment"),
        pk=attachment_pk,
        experiment_id=pk,
    )
    return attachment


async def _chunks(handle: IO[bytes], size: int) -> AsyncIterator[bytes]:
    while chunk := await sync_to_async(handle.read)(size):
        yield chunk


@require_GET
@access.require(access.can_view_experiments)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    """The file, always as a download under its original name, never rendered by the
    browser: it is someone's upload, so it gets no chance to run as a page of this site."""
    attachment = _attachment(pk, attachment_pk)
    if not access.can_view_experiment_files(request.user, attachment.experiment):
        raise PermissionDenied
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        # the row outlived its file (a restore without the uploads directory): say so in the log
        logger.error("attachment %s: its file %s is missing", attachment.pk, attachment.file.name)
        raise Http404 from None
    content_type = attachment.content_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_filename,
        content_type=content_type,
    )
    if isinstance(request, ASGIRequest):
        # Under uvicorn a plain file would be read whole into memory (Django's ASGI handler
        # lists a synchronous iterator); stream it in blocks instead. The headers stay.
        response.streaming_content = _chunks(handle, DOWNLOAD_CHUNK)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@access.require(access.can_view_experiments)
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = _attachment(pk, attachment_pk)
    experiment = _experiment(pk)
    if not access.can_edit_experiment_files(request.user, experiment):
        raise PermissionDenied
    name = attachment.display_name
    services.delete_attachment(attachment, user=request.user)
    messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
    return redirect(f"{reverse('experiments:detail', args=[experiment.pk])}#attachments")
