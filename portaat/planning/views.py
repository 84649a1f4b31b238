"""Planning pages: the analysis of collected posts (map, topics, trends, spikes), its exports,
topic pages, spike-alert subscriptions, attaching an analysis to a case, and the themes.

For the administration (``access.can_analyse``); the computing runs in the background.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.cases.models import Case
from portaat.listening.models import Source
from portaat.planning import charts, queries, services, spikes
from portaat.planning.forms import AnalysisForm, AttachForm, SubscribeForm, ThemeForm
from portaat.planning.models import (
    SpikeAlert,
    SpikeSubscription,
    SubscriptionKind,
    Theme,
    TopicRun,
    TopicRunStatus,
)
from portaat.registry import transfer
from portaat.registry.models import Activism, Area

EXPORT_COLUMNS = ["key", "name", "name_sv", "municipality", "lat", "lon", "mentions"]


def _language() -> str:
    return (translation.get_language() or "fi")[:2]


def _user_id(request: HttpRequest) -> int:
    user: Any = request.user  # signed in: every view here is behind access.require
    return int(user.pk)


def _analysis_form(data: Any) -> AnalysisForm:
    return AnalysisForm(
        data or None,
        sources=Source.objects.order_by("name").only("pk", "name"),
        activisms=Activism.objects.order_by("name").only("pk", "name"),
        areas=Area.objects.order_by("name").only("pk", "name"),
    )


def _attach_form(request: HttpRequest, data: Any = None) -> AttachForm | None:
    cases = access.attachable_cases(request.user).select_related("activism", "unit")
    cases = cases.order_by("activism__name", "unit__name_fi")
    form = AttachForm(data, cases=cases)
    return form if len(form.fields["case"].choices) > 1 else None  # type: ignore[attr-defined]


#: Per unit of the trend's bins: the table's date format and the chart's axis format.
_TREND_FORMATS = {
    "day": ("SHORT_DATE_FORMAT", "j.n."),
    "week": ("SHORT_DATE_FORMAT", "j.n."),
    "month": ("YEAR_MONTH_FORMAT", "n/Y"),
    "year": ("Y", "Y"),
}


def _trend(filters: queries.AnalysisFilters, language: str) -> dict[str, Any]:
    """The chart and its table: all selected posts, and mentions of the most mentioned areas."""
    start, end = queries.window(filters)
    times = queries.post_times(filters, start, end)
    if filters.since and times:
        # a start long before the first post would only add empty bins
        oldest = timezone.localtime(min(times)).date()
        start = max(start, queries.day_start(oldest).astimezone(start.tzinfo))
    bins = queries.buckets(start, end)
    events = queries.place_events(filters, start, end)
    keys = queries.top_keys(events)
    names = {
        a.key: a.display_name(language)
        for a in Area.objects.filter(key__in=keys).only("key", "name", "name_sv")
    }
    counts = bins.count(events)
    totals = bins.count((t, "") for t in times)
    n = len(bins.days)
    lines: list[tuple[str, list[int]]] = [(_("All posts"), totals.get("", [0] * n))]
    lines += [(names.get(key, key), counts.get(key, [0] * n)) for key in keys]
    table_format, axis_format = _TREND_FORMATS[bins.unit]
    labels = [formats.date_format(day, table_format) for day in bins.days]
    svg = charts.line_chart(
        lines,
        [formats.date_format(day, axis_format) for day in bins.days],
        title=_("Posts and place mentions over time"),
        description=_(
            "One line for all selected posts and one for each of the most mentioned areas; "
            "the table below gives the same numbers."
        ),
        chart_id="trend",
    )
    rows = [{"label": labels[i], "values": [values[i] for _n, values in lines]} for i in range(n)]
    caption, column = {
        "day": (_("Posts per day."), _("Day")),
        "week": (_("Posts per week."), _("Week from")),
        "month": (_("Posts per month."), _("Month")),
        "year": (_("Posts per year."), _("Year")),
    }[bins.unit]
    return {
        "svg": svg,
        "names": [name for name, _values in lines],
        "rows": rows,
        "unit": bins.unit,
        "caption": caption,
        "column": column,
    }


def _analysis_context(
    request: HttpRequest, form: AnalysisForm, attach_form: AttachForm | None = None
) -> tuple[dict[str, Any], int]:
    filters = form.filters()
    context: dict[str, Any] = {"form": form, "filters": filters}
    if filters is None:
        return context, 400
    language = _language()
    places = queries.place_counts(filters)
    for place in places:
        place["label"] = (
            place["name_sv"] if language == "sv" and place["name_sv"] else place["name"]
        )
        place["url"] = (
            reverse("planning:analysis") + "?" + replace(filters, area=place["id"]).query()
        )
    run = queries.latest_run(filters)
    if run is not None:
        services.mark_viewed(run)
    waiting = queries.open_run(filters)
    outdated = bool(run and (run.stale or queries.fingerprint(filters) != run.fingerprint))
    topics = queries.topics_for_reader(run, language)
    shown = {
        p.pk: p for p in queries.example_posts([t["examples"][0] for t in topics if t["examples"]])
    }
    for topic in topics:
        topic["example"] = shown.get(topic["examples"][0]) if topic["examples"] else None
    start, end = queries.window(filters)
    # spikes are always now against the baseline before now: the dates select the map and
    # the trend, a date window cut into the baseline would make everything look new
    found = spikes.find(None, filters)[: spikes.PAGE_LIMIT]
    subscribed = set()
    if access.can_subscribe_alerts(request.user):
        subscribed = {
            f"{kind}:{value}"
            for kind, value in SpikeSubscription.objects.filter(
                user_id=_user_id(request)
            ).values_list("kind", "value")
        }
    context.update(
        {
            "query": filters.query(),
            "summary": queries.summary(filters),
            "places": places,
            "map_points": queries.map_points(places, language),
            "run": run,
            "waiting_run": waiting,
            "outdated": outdated,
            "topics": topics,
            "trend": _trend(filters, language),
            "window_start": start,
            "window_end": end,
            "spikes": [
                {
                    "kind": s.kind,
                    "value": s.value,
                    "label": s.label(language),
                    "recent": s.recent,
                    "expected": s.expected,
                    "ratio": s.ratio,
                    "subscribed": s.key in subscribed,
                }
                for s in found
            ],
            "can_subscribe": access.can_subscribe_alerts(request.user),
            "attach_form": attach_form if attach_form is not None else _attach_form(request),
        }
    )
    return context, 200


@access.require(access.can_analyse)
@require_GET
def analysis(request: HttpRequest) -> HttpResponse:
    form = _analysis_form(request.GET)
    context, status = _analysis_context(request, form)
    return render(request, "planning/analysis.html", context, status=status)


@access.require(access.can_analyse)
@require_POST
def topic_run_request(request: HttpRequest) -> HttpResponse:
    form = _analysis_form(request.POST)
    filters = form.filters()
    if filters is None:
        context, status = _analysis_context(request, form)
        return render(request, "planning/analysis.html", context, status=status)
    services.request_topic_run(filters, by=request.user)
    messages.success(request, _("The topics are being computed; they appear here when ready."))
    return redirect(reverse("planning:analysis") + "?" + filters.query() + "#topics")


@access.require(access.can_analyse)
@require_GET
def topic_detail(request: HttpRequest, pk: int, topic: int) -> HttpResponse:
    run = get_object_or_404(TopicRun, pk=pk, status=TopicRunStatus.DONE)
    found = run.topic(topic)
    if found is None:
        raise Http404
    language = _language()
    topics = queries.topics_for_reader(run, language)
    shown = next(t for t in topics if t["id"] == topic)
    filters = queries.AnalysisFilters.from_dict(run.filters)
    return render(
        request,
        "planning/topic.html",
        {
            "run": run,
            "topic": shown,
            "labels": found.get("labels") or {},
            "examples": queries.example_posts(shown["examples"]),
            "query": filters.query(),
        },
    )


def _export_rows(places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "key": p["key"],
            "name": p["name"],
            "name_sv": p["name_sv"],
            "municipality": p["municipality"],
            "lat": p["lat"],
            "lon": p["lon"],
            "mentions": p["count"],
        }
        for p in places
    ]


@access.require(access.can_analyse)
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "geojson"):
        raise Http404
    form = _analysis_form(request.GET)
    filters = form.filters()
    if filters is None:
        context, status = _analysis_context(request, form)
        return render(request, "planning/analysis.html", context, status=status)
    places = queries.place_counts(filters, limit=10_000)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        body, content_type = transfer.render(_export_rows(places), EXPORT_COLUMNS, "csv")
    else:
        start, end = queries.window(filters)
        collection = {
            "type": "FeatureCollection",
            "properties": {
                "filters": filters.as_dict(),
                "start": start.isoformat(),
                "end": end.isoformat(),
            },
            "features": [
                {
                    "type": "Feature",
                    # GeoJSON (RFC 7946) orders coordinates longitude first
                    "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                    "properties": {k: v for k, v in row.items() if k not in ("lat", "lon")},
                }
                for p, row in zip(places, _export_rows(places), strict=True)
            ],
        }
        body = json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
        content_type = "application/geo+json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="place-mentions-{stamp}.{fmt}"'
    return response


@access.require(access.can_analyse)
@require_POST
def attach(request: HttpRequest) -> HttpResponse:
    form = _analysis_form(request.POST)
    attach_form = _attach_form(request, request.POST)
    filters = form.filters()
    if filters is None or attach_form is None or not attach_form.is_valid():
        if attach_form is None:
            messages.error(request, _("You may not add evidence to any case."))
        context, _status = _analysis_context(request, form, attach_form)
        return render(request, "planning/analysis.html", context, status=400)
    case = Case.objects.filter(pk=attach_form.cleaned_data["case"]).first()
    if case is None:
        raise Http404
    try:
        snapshot = services.attach_snapshot(
            case,
            filters=filters,
            by=request.user,
            title=attach_form.cleaned_data["title"],
            note=attach_form.cleaned_data["note"],
        )
    except ValidationError as exc:
        attach_form.add_error(None, " ".join(exc.messages))
        context, _status = _analysis_context(request, form, attach_form)
        return render(request, "planning/analysis.html", context, status=400)
    messages.success(request, _("The analysis was attached to the case as evidence."))
    return redirect(snapshot)


# --- alerts ------------------------------------------------------------------------------------


def _subscribe_form(data: Any = None) -> SubscribeForm:
    language = _language()
    areas = [
        (a.key, a.display_name(language))
        for a in Area.objects.order_by("name").only("key", "name", "name_sv")
    ]
    themes = [(key, label) for key, label in queries.theme_labels(language).items()]
    return SubscribeForm(data, areas=areas, themes=themes)


def _describe(kind: str, value: str, areas: dict[str, str], themes: dict[str, str]) -> str:
    if kind == SubscriptionKind.AREA:
        return areas.get(value, value)
    if kind == SubscriptionKind.TOPIC:
        return themes.get(value, value)
    return value


@access.require(access.can_subscribe_alerts)
@require_http_methods(["GET", "POST"])
def alerts(request: HttpRequest) -> HttpResponse:
    form = _subscribe_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _sub, created = services.subscribe(
                request.user, form.cleaned_data["kind"], form.cleaned_data["value"]
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("You will be alerted when it spikes.")
                if created
                else _("You were already following it."),
            )
            target = request.POST.get("next", "")
            if target.startswith("/planning/") and not target.startswith("//"):
                return redirect(target)
            return redirect("planning:alerts")
    language = _language()
    subs = list(SpikeSubscription.objects.filter(user_id=_user_id(request)))
    area_names = {
        a.key: a.display_name(language)
        for a in Area.objects.filter(
            key__in=[s.value for s in subs if s.kind == SubscriptionKind.AREA]
        ).only("key", "name", "name_sv")
    }
    theme_names = queries.theme_labels(language)
    rows = [
        {
            "sub": sub,
            "label": _describe(sub.kind, sub.value, area_names, theme_names),
        }
        for sub in subs
    ]
    recent = list(
        SpikeAlert.objects.filter(key__in=[s.key for s in subs]).order_by("-window_end")[:20]
    )
    labels = {sub.key: row["label"] for sub, row in zip(subs, rows, strict=True)}
    for alert in recent:
        alert.label = labels.get(alert.key, alert.key)  # type: ignore[attr-defined]
        alert.kind_label = SubscriptionKind(alert.key.partition(":")[0]).label  # type: ignore[attr-defined]
    return render(
        request,
        "planning/alerts.html",
        {"form": form, "rows": rows, "recent": recent},
        status=400 if request.method == "POST" else 200,
    )


@access.require(access.can_subscribe_alerts)
@require_POST
def alert_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if services.unsubscribe(request.user, pk):
        messages.success(request, _("You no longer follow it."))
    else:
        messages.error(request, _("No such subscription of yours."))
    return redirect("planning:alerts")


# --- themes ------------------------------------------------------------------------------------


@access.require(access.can_analyse)
@require_GET
def theme_list(request: HttpRequest) -> HttpResponse:
    language = _language()
    themes = list(Theme.objects.order_by("position", "key"))
    for theme in themes:
        terms = theme.terms if isinstance(theme.terms, dict) else {}
        theme.shown_terms = terms.get(language) or terms.get("fi") or []  # type: ignore[attr-defined]
    return render(
        request,
        "planning/themes.html",
        {"themes": themes, "can_edit": access.can_edit_themes(request.user)},
    )


@access.require(access.can_edit_themes)
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme, pk=pk)
    terms = theme.terms if isinstance(theme.terms, dict) else {}
    initial = {
        "label_fi": theme.label_fi,  # type: ignore[attr-defined]
        "label_sv": theme.label_sv,  # type: ignore[attr-defined]
        "label_en": theme.label_en,  # type: ignore[attr-defined]
        "active": theme.active,
        **{f"terms_{lang}": "\n".join(terms.get(lang) or []) for lang in services.LANGS},
    }
    data = request.POST if request.method == "POST" else None
    form = ThemeForm(data, initial=initial)
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.save_theme(
                theme,
                labels={lang: cleaned[f"label_{lang}"] for lang in services.LANGS},
                terms={lang: cleaned[f"terms_{lang}"] for lang in services.LANGS},
                active=cleaned["active"],
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("The theme was saved; new analyses use it."))
            return redirect("planning:themes")
    return render(
        request,
        "planning/theme_form.html",
        {"form": form, "theme": theme},
        status=400 if data is not None else 200,
    )
