"""The repertoire pages: the practices with their evidence, a practice's page, and the
administration's own practices (new, edit).

Who may do what comes from ``portaat.access``; writes go through
``portaat.repertoire.services``. The repertoire is shared knowledge and public to read, but
the cases inside its evidence follow the case rules: a reader sees only the cases they may see.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portaat import access
from portaat.repertoire import queries, services
from portaat.repertoire.forms import PracticeFilterForm, PracticeForm
from portaat.repertoire.models import Outcome, Practice

PAGE_SIZE = 25


def experiment_url(pk: int) -> str:
    # The experiment pages are built in parallel; fall back to their agreed address.
    try:
        return reverse("experiments:detail", args=[pk])
    except NoReverseMatch:
        return f"/experiments/{pk}/"


def _outcome_rows(evidence: services.Evidence) -> list[dict[str, Any]]:
    """The outcome counts in a fixed order (worked, partly, did not work), zeros included."""
    return [
        {"value": value, "label": label, "count": evidence.outcomes.get(value, 0)}
        for value, label in Outcome.choices
    ]


@require_GET
def practice_list(request: HttpRequest) -> HttpResponse:
    """The repertoire: practices filtered, sorted by level or evidence, 25 to a page."""
    form = PracticeFilterForm(request.GET)
    found = queries.filter_practices(queries.practices(), form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    evidence = services.evidence_for(p.pk for p in page.object_list)
    rows = [
        {"practice": p, "evidence": evidence[p.pk], "outcomes": _outcome_rows(evidence[p.pk])}
        for p in page.object_list
    ]
    return render(
        request,
        "repertoire/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_add": access.can_add_practice(request.user),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A practice with its evidence, and for the administration the cases where it could
    apply next."""
    practice = get_object_or_404(queries.practices(), pk=pk)
    user = request.user
    evidence = services.evidence_for([practice.pk])[practice.pk]
    cases = queries.experiment_cases(evidence.experiments, user)
    experiments = [
        {
            "experiment": experiment,
            "url": experiment_url(experiment.pk),
            "cases": cases[experiment.pk].visible,
            "hidden_cases": cases[experiment.pk].hidden,
        }
        for experiment in evidence.experiments
    ]
    # each ladder with its steps at the practice's levels ("what these levels mean there")
    ladders = [
        {
            "ladder": ladder,
            "steps": [step for step in ladder.steps.all() if practice.covers(step.level)],
        }
        for ladder in practice.ladders.prefetch_related("steps")
    ]
    shows_applications = access.can_see_where_practice_applies(user)
    return render(
        request,
        "repertoire/detail.html",
        {
            "practice": practice,
            "ladders": ladders,
            "links": [
                link
                for link in practice.links or []
                if isinstance(link, str) and link.startswith(("https://", "http://"))
            ],
            "evidence": evidence,
            "outcomes": _outcome_rows(evidence),
            "experiments": experiments,
            "shows_applications": shows_applications,
            "applications": services.cases_for_practice(practice, user)
            if shows_applications
            else [],
            "can_edit": access.can_edit_practice(user, practice),
        },
    )


def _render_form(
    request: HttpRequest, form: PracticeForm, practice: Practice | None
) -> HttpResponse:
    return render(
        request,
        "repertoire/form.html",
        {"form": form, "practice": practice},
        status=400 if form.errors else 200,
    )


def _save(request: HttpRequest, form: PracticeForm, practice: Practice | None) -> Any:
    """Save through the service; its refusals become the form's errors."""
    try:
        return services.save_practice(practice=practice, by=request.user, **form.service_kwargs())
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None


@require_http_methods(["GET", "POST"])
@access.require(access.can_add_practice)
def practice_new(request: HttpRequest) -> HttpResponse:
    """The administration adds a practice of its own to the repertoire."""
    form = PracticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("The practice was added to the repertoire."))
            return redirect("repertoire:detail", saved.pk)
    return _render_form(request, form, None)


@require_http_methods(["GET", "POST"])
@access.require(access.can_add_practice)
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The administration edits its own practices; built-ins follow their ladder step."""
    practice: Practice = get_object_or_404(Practice.objects.prefetch_related("ladders"), pk=pk)
    if not access.can_edit_practice(request.user, practice):
        raise PermissionDenied(
            _(
                "Built-in practices are the ladder's own steps and cannot be changed. "
                "Add a practice of your own instead."
            )
        )
    form = PracticeForm(request.POST if request.method == "POST" else None, practice=practice)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, practice)
        if saved is not None:
            messages.success(request, _("The practice was saved."))
            return redirect("repertoire:detail", saved.pk)
    return _render_form(request, form, practice)
