"""Research projects: my projects, proposing one, the project's page (with a coordinator's
grant), the data dictionary and the pseudonymised exports (CSV and JSON)."""

from __future__ import annotations

import json
from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.ladders.models import Step
from portaat.registry.transfer import stream_csv
from portaat.research import services
from portaat.research.forms import GrantForm, ProposeForm
from portaat.research.models import Dataset, ResearchProject


def _project(request: HttpRequest, pk: int) -> ResearchProject:
    """The project, if the user may see it; 404 for everybody else (its existence is private)."""
    project = get_object_or_404(ResearchProject.objects.select_related("lead", "granted_by"), pk=pk)
    if not access.can_view_research_project(request.user, project):
        raise Http404(_("There is no such research project."))
    return project


def _generic_steps() -> dict[int, str]:
    return dict(Step.objects.filter(ladder__slug="generic").values_list("level", "title"))


@require_GET
@access.require(access.can_propose_research)
def project_list(request: HttpRequest) -> HttpResponse:
    projects = (
        ResearchProject.objects.filter(access.visible_research_projects(request.user))
        .select_related("lead")
        .distinct()
    )
    return render(request, "research/list.html", {"projects": projects})


@require_http_methods(["GET", "POST"])
@access.require(access.can_propose_research)
def propose(request: HttpRequest) -> HttpResponse:
    form = ProposeForm(request.POST or None, user=request.user, steps=_generic_steps())
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            project = services.propose(
                lead=request.user,
                title=data["title"],
                summary=data["summary"],
                organisation=data["organisation"],
                intended_level=data["intended_level"],
                cases=data["cases"],
            )
            messages.success(
                request,
                _("The project was proposed. A coordinator decides which data it may use."),
            )
            return redirect("research:detail", pk=project.pk)
        messages.error(request, _("The project was not proposed. Check the form."))
    return render(request, "research/new.html", {"form": form}, status=400 if form.errors else 200)


def _detail_page(
    request: HttpRequest, project: ResearchProject, grant_form: GrantForm | None, status: int = 200
) -> HttpResponse:
    user = request.user
    can_grant = access.can_grant_research(user)
    if can_grant and grant_form is None:
        grant_form = GrantForm(
            initial={
                "status": project.status,
                "datasets": project.granted,
                "access_until": project.access_until,
            }
        )
    cases = list(project.cases.select_related("activism", "unit", "ladder").order_by("pk"))
    downloads = []
    if access.can_export_research(user, project):
        for dataset in project.granted:
            downloads.append(
                {
                    "key": dataset,
                    "label": Dataset(dataset).label,
                    "refusal": services.export_refusal(project, dataset),
                }
            )
    return render(
        request,
        "research/detail.html",
        {
            "project": project,
            "cases": [
                {"case": case, "can_open": access.can_view_case(user, case)} for case in cases
            ],
            "step": services.intended_step(project),
            "members": project.members.order_by("username"),
            "grant_form": grant_form if can_grant else None,
            "downloads": downloads,
            "exports": project.exports.select_related("user")[:20],
        },
        status=status,
    )


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _project(request, pk), None)


@require_POST
@login_required
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not access.can_grant_research(request.user):
        raise PermissionDenied(_("Only coordinators grant data to research projects."))
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            services.grant(
                project,
                by=request.user,
                datasets=form.cleaned_data["datasets"],
                status=form.cleaned_data["status"],
                access_until=form.cleaned_data["access_until"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision was saved."))
            return redirect("research:detail", pk=project.pk)
    messages.error(request, _("The decision was not saved. Check the form."))
    project.refresh_from_db()
    return _detail_page(request, project, form, status=400)


@require_GET
@login_required
def dictionary(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    datasets = [
        {"key": d.value, "label": d.label, "fields": services.dictionary(d.value)} for d in Dataset
    ]
    return render(request, "research/dictionary.html", {"project": project, "datasets": datasets})


def _exportable(request: HttpRequest, pk: int, dataset: str) -> ResearchProject:
    project = _project(request, pk)
    if dataset not in Dataset.values:
        raise Http404(_("There is no such dataset."))
    if not access.can_export_research(request.user, project):
        raise PermissionDenied(_("Only the project's researchers download its data."))
    refusal = services.export_refusal(project, dataset)
    if refusal:
        raise PermissionDenied(refusal)
    return project


def _filename(project: ResearchProject, dataset: str, fmt: str) -> str:
    return f'attachment; filename="research-{project.pk}-{dataset}.{fmt}"'


@require_GET
@login_required
def export_csv(request: HttpRequest, pk: int, dataset: str) -> HttpResponseBase:
    """The dataset as CSV: UTF-8 with a byte-order mark (for Excel), formula-safe cells."""
    project = _exportable(request, pk, dataset)
    rows = services.export(project, dataset, fmt="csv", user=request.user)
    columns = [c["field"] for c in services.dictionary(dataset)]
    lines = stream_csv(chain([columns], ([row[c] for c in columns] for row in rows)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename(project, dataset, "csv")
    return response


@require_GET
@login_required
def export_json(request: HttpRequest, pk: int, dataset: str) -> HttpResponseBase:
    """The dataset as JSON, with its data dictionary embedded."""
    project = _exportable(request, pk, dataset)
    rows = services.export(project, dataset, fmt="json", user=request.user)
    document = services.json_document(project, dataset, rows)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = _filename(project, dataset, "json")
    return response
