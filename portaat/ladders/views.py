from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portaat import access
from portaat.ladders import drawing, queries
from portaat.ladders.forms import LadderForm
from portaat.ladders.models import Stage
from portaat.ladders.services import save_custom_ladder


@require_GET
def ladder_list(request: HttpRequest) -> HttpResponse:
    ladders = queries.ladders_with_steps()
    return render(
        request,
        "ladders/list.html",
        {
            "builtin": [ladder for ladder in ladders if ladder.is_builtin],
            "custom": [ladder for ladder in ladders if not ladder.is_builtin],
        },
    )


@require_GET
def ladder_detail(request: HttpRequest, slug: str) -> HttpResponse:
    ladder = get_object_or_404(queries.ladders_with_steps(), slug=slug)
    try:
        spec = drawing.parse_markers(dict(request.GET.lists()))
    except drawing.BadParameter as exc:
        messages.error(request, str(exc))
        spec = drawing.MarkerSpec()
    return render(
        request,
        "ladders/detail.html",
        {
            "ladder": ladder,
            "steps": list(ladder.steps.all()),
            "spec": spec,
            "svg": drawing.render_ladder(ladder, spec),
            "can_edit": access.can_edit_ladder(request.user, ladder),
            "can_copy": access.can_manage_ladders(request.user),
        },
    )


@require_GET
def ladder_stairs_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """The stairs as an SVG image; ``?current=3&target=6&p=Officials:3&lang=sv``."""
    ladder = get_object_or_404(queries.ladders_with_steps(), slug=slug)
    lang = request.GET.get("lang") or translation.get_language()
    if lang not in {code for code, _name in settings.LANGUAGES}:
        return HttpResponseBadRequest(
            _("lang must be one of fi, sv, en."), content_type="text/plain; charset=utf-8"
        )
    with translation.override(lang):
        try:
            spec = drawing.parse_markers(dict(request.GET.lists()))
        except drawing.BadParameter as exc:
            return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
        svg = drawing.render_ladder(ladder, spec)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Language"] = lang
    response["Cache-Control"] = "public, max-age=300"
    response["Vary"] = "Accept-Language, Cookie"
    return response


@require_http_methods(["GET", "POST"])
@access.require(access.can_manage_ladders)
def ladder_copy(request: HttpRequest, slug: str) -> HttpResponse:
    """Copy any ladder into a new custom ladder that a coordinator may edit."""
    source = get_object_or_404(queries.ladders_with_steps(), slug=slug)
    form = LadderForm(request.POST) if request.method == "POST" else LadderForm.for_copy(source)
    if request.method == "POST" and form.is_valid():
        try:
            ladder = save_custom_ladder(
                based_on=source, kind=source.kind, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The ladder was created."))
            return redirect(ladder)
    return render(
        request,
        "ladders/edit.html",
        {"form": form, "source": source, "ladder": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@access.require(access.can_manage_ladders)
def ladder_edit(request: HttpRequest, slug: str) -> HttpResponse:
    ladder = get_object_or_404(queries.ladders_with_steps(), slug=slug)
    if not access.can_edit_ladder(request.user, ladder):
        raise PermissionDenied(_("Built-in ladders cannot be changed. Make a copy instead."))
    if request.method == "POST":
        form = LadderForm(request.POST)
        if form.is_valid():
            try:
                save_custom_ladder(ladder=ladder, **form.service_kwargs())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The ladder was saved."))
                return redirect(ladder)
    else:
        form = LadderForm.for_copy(ladder, keep_name=True)
    return render(
        request,
        "ladders/edit.html",
        {"form": form, "source": None, "ladder": ladder},
        status=400 if form.errors else 200,
    )


@require_GET
def stage_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ladders/stages.html", {"stages": Stage.objects.order_by("number")})
