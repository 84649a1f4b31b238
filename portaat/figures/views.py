"""Activity figures: an activism's figures page for officials (record, correct, links), the
personal link for members (no account), a unit's totals, and the CSV export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access, ratelimit
from portaat.figures import services
from portaat.figures.forms import FiguresForm, LinkForm
from portaat.figures.models import FigureLink, FigureReport
from portaat.registry.models import Activism, ActivismKind, Unit
from portaat.registry.transfer import stream_csv


def _record(request: HttpRequest, form: FiguresForm, activism: Activism, **extra: Any) -> bool:
    if not form.is_valid():
        return False
    try:
        services.submit(
            activism,
            period=form.cleaned_data["period"],
            values=form.cleaned_data["values"],
            correct=bool(form.cleaned_data.get("correct")),
            **extra,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@require_http_methods(["GET", "POST"])
@access.require(access.can_manage_figures)
def activism_figures(request: HttpRequest, pk: int) -> HttpResponse:
    activism = get_object_or_404(Activism.objects.select_related("kind"), pk=pk)
    metrics = services.metrics_for(activism)
    form = FiguresForm(request.POST or None, metrics=metrics, can_correct=True, prefix="figures")
    if request.method == "POST":
        if _record(request, form, activism, by=request.user):
            messages.success(request, _("The figures were saved."))
            return redirect("figures:activism", pk=activism.pk)
        messages.error(request, _("The figures were not saved. Check the form."))
    return _activism_page(request, activism, form, status=400 if form.errors else 200)


def _activism_page(
    request: HttpRequest,
    activism: Activism,
    form: FiguresForm,
    link_form: LinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "figures/activism.html",
        {
            "activism": activism,
            "series": services.activism_series(activism),
            "reports": FigureReport.objects.filter(activism=activism).order_by("-period")[:24],
            "metrics": services.metrics_for(activism),
            "form": form,
            "links": FigureLink.objects.filter(activism=activism),
            "link_form": link_form or LinkForm(),
            "new_link": request.session.pop("figures_new_link", None),
        },
        status=status,
    )


@require_POST
@access.require(access.can_manage_figures)
def link_new(request: HttpRequest, pk: int) -> HttpResponse:
    activism = get_object_or_404(Activism, pk=pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        link = services.create_link(activism, label=form.cleaned_data["label"], by=request.user)
        # shown once on the next page, not kept in a URL or a log
        request.session["figures_new_link"] = request.build_absolute_uri(
            reverse("figures:personal", args=[link.secret])
        )
        messages.success(request, _("The link was made. Send it to the activism's members."))
        return redirect("figures:activism", pk=activism.pk)
    metrics = services.metrics_for(activism)
    blank = FiguresForm(metrics=metrics, can_correct=True, prefix="figures")
    return _activism_page(request, activism, blank, link_form=form, status=400)


@require_POST
@access.require(access.can_manage_figures)
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(FigureLink, pk=pk)
    services.revoke_link(link)
    messages.success(request, _("The link no longer works."))
    return redirect("figures:activism", pk=link.activism_id)


@never_cache
@require_http_methods(["GET", "POST"])
def personal(request: HttpRequest, secret: str) -> HttpResponse:
    """An activism's members report their figures through a personal link, without an account."""
    link = services.active_link(secret)
    if link is None:
        raise Http404(
            _("This link does not work. It may have been revoked; ask the city for a new one.")
        )
    activism = link.activism
    form = FiguresForm(request.POST or None, metrics=services.metrics_for(activism))
    if request.method == "POST":
        # counted per link (by its id, never its secret): members may share one address
        retry_after = ratelimit.take("figures-link", f"link:{link.pk}")
        if retry_after is not None:
            return ratelimit.too_many(request, retry_after)
        if _record(request, form, activism, link=link):
            messages.success(request, _("Thank you! The figures were saved."))
            return redirect(request.path)
        messages.error(request, _("The figures were not saved. Check the form."))
    response = render(
        request,
        "figures/personal.html",
        {
            "activism": activism,
            "link": link,
            "form": form,
            "series": services.activism_series(activism),
            "reports": FigureReport.objects.filter(activism=activism).order_by("-period")[:12],
            "metrics": services.metrics_for(activism),
        },
        status=400 if form.errors else 200,
    )
    # the secret is in the address: never sent to other sites (same-origin keeps the form's
    # Origin header, which the CSRF check needs; "no-referrer" would make it "null")
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
@access.require(access.can_manage_figures)
def unit_figures(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit, slug=slug)
    return render(
        request,
        "figures/unit.html",
        {"unit": unit, "series": services.unit_figures(unit)},
    )


@require_GET
@access.require(access.can_manage_figures)
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every reported figure in long format (UTF-8 with a byte-order mark, for Excel);
    ``?kind=<slug>&since=YYYY-MM&until=YYYY-MM``."""
    params = request.GET
    kind = None
    try:
        if params.get("kind"):
            kind = ActivismKind.objects.filter(slug=params["kind"]).first()
            if kind is None:
                raise ValidationError(_("There is no such kind of activism."))
        since = services.parse_period(params["since"]) if params.get("since") else None
        until = services.parse_period(params["until"]) if params.get("until") else None
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    response = StreamingHttpResponse(
        stream_csv(services.export_rows(kind=kind, since=since, until=until)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="activity-figures.csv"'
    return response
