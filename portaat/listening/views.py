"""Listening pages: the posts (search), sources and their health, imports, suggestions, export.

Everything here is for the administration (``access.can_listen``); researchers may download the
pseudonymised export.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.forms import int_or_none
from portaat.listening import search, services
from portaat.listening.collect import AlreadyRunning
from portaat.listening.forms import ImportForm, PostSearchForm, SourceForm
from portaat.listening.messages import connector_message, problem_message
from portaat.listening.models import Post, Source, SourcePlatform, Suggestion
from portaat.registry import transfer
from portaat.registry.models import Activism, Area

PAGE_SIZE = 50
EXPORT_LIMIT = 200_000


def _activisms() -> Any:
    return Activism.objects.order_by("name").only("pk", "name")


def _search_form(request: HttpRequest) -> PostSearchForm:
    return PostSearchForm(
        request.GET or None,
        sources=Source.objects.order_by("name").only("pk", "name"),
        activisms=_activisms(),
        areas=Area.objects.order_by("name").only("pk", "name"),
    )


def _filters(form: PostSearchForm) -> search.PostFilters | None:
    if not form.is_bound:
        return search.PostFilters()
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return search.PostFilters(
        q=data.get("q") or "",
        source=data.get("source"),
        activism=data.get("activism"),
        area=data.get("area"),
        language=data.get("language") or "",
        since=data.get("since"),
        until=data.get("until"),
    )


@access.require(access.can_listen)
@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    form = _search_form(request)
    filters = _filters(form)
    page = None
    if filters is not None:
        paginator = Paginator(search.filtered_posts(filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "listening/posts.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_export": access.can_export_posts(request.user),
        },
    )


@access.require(access.can_export_posts)
@require_GET
def post_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json", "xlsx"):
        raise Http404
    form = _search_form(request)
    filters = _filters(form)
    if filters is None:
        return render(request, "listening/posts.html", {"form": form, "page": None}, status=400)
    rows = search.export_rows(search.filtered_posts(filters)[:EXPORT_LIMIT])
    body, content_type = transfer.render(rows, search.EXPORT_COLUMNS, fmt)
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="posts-{stamp}.{fmt}"'
    return response


@access.require(access.can_listen)
@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    sources = list(Source.objects.prefetch_related("activisms").order_by("name"))
    counts = dict(
        Post.objects.filter(source__isnull=False)
        .values("source_id")
        .annotate(n=Count("pk"))
        .values_list("source_id", "n")
    )
    for source in sources:
        source.post_count = counts.get(source.pk, 0)  # type: ignore[attr-defined]
        source.error_message = (  # type: ignore[attr-defined]
            connector_message(source.last_error_code) if source.is_failing else ""
        )
    return render(
        request,
        "listening/sources.html",
        {"sources": sources, "can_manage": access.can_manage_sources(request.user)},
    )


def _source_form(request: HttpRequest, source: Source | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = SourceForm(data, instance=source, activisms=_activisms())
    if data is not None and form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in SourceForm.Meta.fields if name != "activisms"
        }
        credentials = form.cleaned_data["credentials"]
        if form.cleaned_data.get("clear_credentials"):
            credentials = {}
        try:
            saved = services.save_source(
                source=Source.objects.get(pk=source.pk) if source else None,
                fields=fields,
                activisms=form.cleaned_data["activisms"],
                credentials=credentials,
                by=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The source was saved."))
            return redirect(saved)
    return render(
        request,
        "listening/source_form.html",
        {"form": form, "source": source},
        status=400 if data is not None else 200,
    )


@access.require(access.can_manage_sources)
@require_http_methods(["GET", "POST"])
def source_new(request: HttpRequest) -> HttpResponse:
    return _source_form(request, None)


@access.require(access.can_manage_sources)
@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _source_form(request, get_object_or_404(Source, pk=pk))


@access.require(access.can_listen)
@require_GET
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source.objects.prefetch_related("activisms"), pk=pk)
    runs = list(source.runs.all()[:30])
    for run in runs:
        run.error_message = connector_message(run.error_code) if run.error_code else ""  # type: ignore[attr-defined]
    return render(
        request,
        "listening/source_detail.html",
        {
            "source": source,
            "runs": runs,
            "post_count": source.posts.count(),
            "latest": list(source.posts.order_by("-created_at", "-pk")[:5]),
            "error_message": connector_message(source.last_error_code) if source.is_failing else "",
            "can_manage": access.can_manage_sources(request.user),
            "is_import": source.platform == SourcePlatform.IMPORT,
        },
    )


@access.require(access.can_manage_sources)
@require_POST
def source_collect(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    if source.platform == SourcePlatform.IMPORT:
        messages.error(request, _("Posts come to this source only from imported files."))
        return redirect(source)
    try:
        queued = services.request_collection(source)
    except AlreadyRunning:
        messages.info(request, _("A collection of this source is already running."))
    else:
        if queued:
            messages.success(request, _("The collection was started; the results appear below."))
        else:
            messages.warning(
                request,
                _(
                    "The collection could not be started now (the task queue is unreachable). "
                    "It runs at the source's next scheduled time."
                ),
            )
    return redirect(source)


@access.require(access.can_manage_sources)
@require_POST
def source_pause(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    paused = request.POST.get("paused") == "1"
    Source.objects.filter(pk=source.pk).update(paused=paused)
    messages.success(
        request, _("Collection is paused.") if paused else _("Collection continues on schedule.")
    )
    return redirect(source)


@access.require(access.can_manage_sources)
@require_http_methods(["GET", "POST"])
def import_posts(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.filter(platform=SourcePlatform.IMPORT).order_by("name")
    data = request.POST if request.method == "POST" else None
    form = ImportForm(data, request.FILES or None, sources=sources)
    report = None
    problems: list[str] = []
    if data is not None and form.is_valid():
        source = (
            sources.filter(pk=form.cleaned_data["source"]).first()
            if form.cleaned_data["source"]
            else None
        )
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                report = services.import_file(
                    path, form.cleaned_data["format"], source=source, by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
        if report is not None and report.ok:
            messages.success(
                request,
                _("Imported %(added)d new posts (%(updated)d already known were refreshed).")
                % {"added": report.added, "updated": report.updated},
            )
            return redirect("listening:posts")
        if report is not None:
            problems = [problem_message(problem) for problem in report.problems]
    status = 400 if data is not None else 200
    return render(
        request,
        "listening/import.html",
        {"form": form, "report": report, "problems": problems},
        status=status,
    )


@access.require(access.can_listen)
@require_GET
def suggestion_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "listening/suggestions.html",
        {"suggestions": services.open_suggestions()},
    )


@access.require(access.can_listen)
@require_http_methods(["GET", "POST"])
def suggestion_review(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion, pk=pk)
    if request.method == "GET":
        return render(
            request,
            "listening/suggestion.html",
            {
                "suggestion": suggestion,
                "examples": services.suggestion_examples(suggestion),
                "activisms": _activisms(),
                "can_manage": access.can_manage_sources(request.user),
            },
        )
    if not access.can_manage_sources(request.user):
        raise PermissionDenied
    action = request.POST.get("action", "")
    activism = None
    if action == "link":
        activism_id = int_or_none(request.POST.get("activism"))
        activism = Activism.objects.filter(pk=activism_id).first() if activism_id else None
    try:
        services.review_suggestion(suggestion, action=action, by=request.user, activism=activism)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("listening:suggestion_review", pk=suggestion.pk)
    if action == "add" and suggestion.activism is not None:
        messages.success(
            request,
            _("“%(name)s” was added to the registry and awaits review.")
            % {"name": suggestion.activism.name},
        )
        return redirect(suggestion.activism)
    messages.success(request, _("The suggestion was reviewed."))
    return redirect("listening:suggestions")
