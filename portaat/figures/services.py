"""Domain rules of activity figures: which figures an activism reports, validation, one report
per month, corrections, links, the unit's totals and the export for the city's statistics."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portaat.figures.models import FigureLink, FigureReport, Metric
from portaat.registry.models import Activism, ActivismKind, Unit

METRICS_FILE = Path(__file__).parent / "data" / "metrics.json"
PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")
EARLIEST_YEAR = 2000


def load_builtin_metrics() -> int:
    """Put the shipped figures in place (``portaat init``): new ones are created, existing ones
    keep what coordinators changed. Returns how many were created."""
    created = 0
    kinds = {kind.slug: kind for kind in ActivismKind.objects.all()}
    for order, entry in enumerate(json.loads(METRICS_FILE.read_text(encoding="utf-8"))):
        kind = kinds.get(entry["kind"]) if entry["kind"] else None
        if entry["kind"] and kind is None:
            continue  # a kind this installation does not have
        if Metric.objects.filter(kind=kind, key=entry["key"]).exists():
            continue
        metric = Metric(
            kind=kind,
            key=entry["key"],
            maximum=entry["maximum"],
            decimals=entry.get("decimals", False),
            order=order,
        )
        for language in ("fi", "sv", "en"):
            setattr(metric, f"name_{language}", entry["name"][language])
            setattr(metric, f"unit_{language}", entry["unit"][language])
        metric.save()
        created += 1
    return created


def metrics_for(activism: Activism) -> list[Metric]:
    """The figures asked from this activism: its kind's, or the generic ones."""
    own = list(Metric.objects.filter(kind_id=activism.kind_id))
    return own or list(Metric.objects.filter(kind__isnull=True))


def parse_period(raw: str, today: dt.date | None = None) -> dt.date:
    """``2026-10`` → 1 October 2026; not in the future, not before 2000."""
    today = today or timezone.localdate()
    found = PERIOD.match((raw or "").strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValidationError(
            _("Write the month as year-month, for example %(example)s.")
            % {"example": f"{today:%Y-%m}"},
            code="period",
        )
    period = dt.date(int(found.group(1)), int(found.group(2)), 1)
    if period > today.replace(day=1):
        raise ValidationError(_("The month cannot be in the future."), code="period")
    if period.year < EARLIEST_YEAR:
        raise ValidationError(
            _("The month must be %(year)d or later.") % {"year": EARLIEST_YEAR}, code="period"
        )
    return period


def _number(metric: Metric, raw: str) -> int | float | None:
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("%(name)s: write a number.") % {"name": metric.name}, code="number"
        ) from None
    if not value.is_finite() or value < 0:
        raise ValidationError(
            _("%(name)s: write a number that is zero or more.") % {"name": metric.name},
            code="negative",
        )
    if value > metric.maximum:
        raise ValidationError(
            _("%(name)s: at most %(max)s.") % {"name": metric.name, "max": metric.maximum},
            code="too_large",
        )
    if not metric.decimals and value != value.to_integral_value():
        raise ValidationError(
            _("%(name)s: write a whole number.") % {"name": metric.name}, code="whole"
        )
    return float(round(value, 2)) if metric.decimals else int(value)


def clean_values(metrics: list[Metric], raw: Mapping[str, str]) -> dict[str, int | float]:
    """Numbers from the form's texts; every problem at once; at least one figure."""
    values: dict[str, int | float] = {}
    errors: dict[str, list[ValidationError]] = {}
    for metric in metrics:
        try:
            number = _number(metric, raw.get(metric.key, ""))
        except ValidationError as exc:
            errors[metric.key] = [exc]
            continue
        if number is not None:
            values[metric.key] = number
    if errors:
        raise ValidationError(errors)
    if not values:
        raise ValidationError(_("Write at least one figure."), code="empty")
    return values


@transaction.atomic
def submit(
    activism: Activism,
    *,
    period: dt.date,
    values: dict[str, int | float],
    link: FigureLink | None = None,
    by: Any = None,
    correct: bool = False,
) -> FigureReport:
    """Record one month's figures. A second report for the same month is refused, unless an
    official corrects it explicitly (``correct``); the earlier figures are kept."""
    existing = FigureReport.objects.select_for_update().filter(activism=activism, period=period)
    report = existing.first()
    if report is not None:
        if not correct:
            raise ValidationError(
                _(
                    "Figures for %(month)s have already been reported. Ask the city's contact "
                    "person to correct them if they are wrong."
                )
                % {"month": f"{period:%m/%Y}"},
                code="duplicate",
            )
        report.corrections = [
            *report.corrections,
            {"values": report.values, "at": timezone.now().isoformat()},
        ]
        report.values, report.link, report.by = values, link, by
        report.save()
        return report
    try:
        with transaction.atomic():
            return FigureReport.objects.create(
                activism=activism, period=period, values=values, link=link, by=by
            )
    except IntegrityError:  # two submissions at once: the other one won
        raise ValidationError(
            _("Figures for %(month)s have already been reported.") % {"month": f"{period:%m/%Y}"},
            code="duplicate",
        ) from None


def create_link(activism: Activism, *, label: str, by: Any) -> FigureLink:
    label = label.strip()
    if not label or len(label) > 100:
        raise ValidationError(_("Write whose link it is, in at most 100 characters."))
    return FigureLink.objects.create(activism=activism, label=label, created_by=by)


def revoke_link(link: FigureLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def active_link(secret: str) -> FigureLink | None:
    if not secret or len(secret) > 64:
        return None
    return (
        FigureLink.objects.select_related("activism__kind")
        .filter(secret=secret, revoked_at__isnull=True)
        .first()
    )


def months(end: dt.date, count: int) -> list[dt.date]:
    """``count`` first days of months ending with ``end``'s month, oldest first."""
    year, month = end.year, end.month
    found = []
    for _i in range(count):
        found.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found[::-1]


@dataclass
class Series:
    metric: Metric
    points: list[tuple[dt.date, float | None]]

    @property
    def has_data(self) -> bool:
        return any(value is not None for _p, value in self.points)


def activism_series(activism: Activism, count: int = 12) -> list[Series]:
    """Each of the activism's figures month by month (``None``: not reported)."""
    periods = months(timezone.localdate(), count)
    reports = {
        r.period: r.values
        for r in FigureReport.objects.filter(activism=activism, period__gte=periods[0])
    }
    return [
        Series(m, [(p, reports.get(p, {}).get(m.key)) for p in periods])
        for m in metrics_for(activism)
    ]


def _unit_activisms(unit: Unit) -> list[int]:
    from portaat.cases import queries

    units = queries.all_units()
    parents = {pk: u.parent_id for pk, u in units.items()}
    ids = queries.descendant_ids(unit.pk, parents)
    return list(queries.unit_cases(ids).values_list("activism_id", flat=True).distinct())


def unit_figures(unit: Unit, months_back: int = 12) -> list[Series]:
    """For the unit page and report: each figure summed month by month over the activisms in
    the unit's cases (and its units below); only figures someone reported. ``Series.points``
    are ``(first day of the month, total or None)``, oldest first."""
    periods = months(timezone.localdate(), months_back)
    totals: dict[tuple[int, dt.date], float] = defaultdict(float)
    seen: set[int] = set()
    reports = FigureReport.objects.filter(
        activism_id__in=_unit_activisms(unit), period__gte=periods[0]
    ).select_related("activism")
    by_kind: dict[int | None, list[Metric]] = {}
    for report in reports:
        kind = report.activism.kind_id
        if kind not in by_kind:
            by_kind[kind] = metrics_for(report.activism)
        for metric in by_kind[kind]:
            if metric.key in report.values:
                totals[(metric.pk, report.period)] += float(report.values[metric.key])
                seen.add(metric.pk)
    metrics = Metric.objects.filter(pk__in=seen).select_related("kind")
    return [
        Series(m, [(p, totals.get((m.pk, p))) for p in periods])
        for m in sorted(metrics, key=lambda m: (m.kind_id or 0, m.order))
    ]


def export_rows(
    *, kind: ActivismKind | None = None, since: dt.date | None = None, until: dt.date | None = None
) -> Iterator[list[str]]:
    """Long format for the city's statistics: one row per activism, month and figure."""
    yield ["activism_id", "activism", "kind", "areas", "month", "figure", "value", "unit"]
    reports = FigureReport.objects.select_related("activism__kind").prefetch_related(
        "activism__areas"
    )
    if kind is not None:
        reports = reports.filter(activism__kind=kind)
    if since is not None:
        reports = reports.filter(period__gte=since)
    if until is not None:
        reports = reports.filter(period__lte=until)
    metrics: dict[int | None, dict[str, Metric]] = {}
    for report in reports.order_by("period", "activism_id").iterator(chunk_size=500):
        activism = report.activism
        if activism.kind_id not in metrics:
            metrics[activism.kind_id] = {m.key: m for m in metrics_for(activism)}
        areas = ";".join(sorted(a.key for a in activism.areas.all()))
        for key, value in sorted(report.values.items()):
            metric = metrics[activism.kind_id].get(key)
            yield [
                str(activism.pk),
                activism.name,
                activism.kind.slug,
                areas,
                f"{report.period:%Y-%m}",
                key,
                str(value),
                # the English unit: empty for counts, "€", "kg" …
                (getattr(metric, "unit_en", "") or "") if metric else "",
            ]
