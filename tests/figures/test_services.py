"""Domain rules of activity figures, tested directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portaat.figures import services
from portaat.figures.models import FigureReport, Metric
from portaat.registry.models import ActivismKind
from tests.factories import ActivismFactory
from tests.figures.factories import FigureReportFactory

TODAY = dt.date(2026, 11, 15)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The messages below are read in English (the suite's default language is Finnish)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.parametrize("raw", ["2026-13", "2026-0", "26-10", "lokakuu", "", "2026-10-01"])
def test_a_malformed_month_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.parse_period(raw, today=TODAY)
    assert "2026-11" in caught.value.messages[0]


def test_a_month_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError, match="future"):
        services.parse_period("2026-12", today=TODAY)
    assert services.parse_period("2026-11", today=TODAY) == dt.date(2026, 11, 1)
    assert services.parse_period(" 2026-3 ", today=TODAY) == dt.date(2026, 3, 1)


def test_builtin_figures_are_loaded_once(metrics: None) -> None:
    reko = Metric.objects.filter(kind__slug="reko-ring").order_by("order")
    assert [m.key for m in reko] == ["producers", "orders", "pickup-points", "turnover"]
    assert reko.get(key="turnover").decimals
    assert reko.get(key="producers").name_sv == "Producenter"
    for slug in ("peer-lending", "food-sharing", "urban-gardening", "mutual-aid"):
        assert Metric.objects.filter(kind__slug=slug).exists(), slug
    assert Metric.objects.filter(kind__isnull=True).count() == 2
    assert services.load_builtin_metrics() == 0


def test_kinds_without_own_figures_get_the_generic_ones(metrics: None) -> None:
    group = ActivismFactory(kind=ActivismKind.objects.get(slug="planning-group"))
    assert {m.key for m in services.metrics_for(group)} == {"participants", "activities"}


@pytest.mark.parametrize(
    ("key", "raw", "code"),
    [
        ("producers", "kymmenen", "number"),
        ("producers", "-3", "negative"),
        ("producers", "1001", "too_large"),
        ("producers", "2.5", "whole"),
        ("producers", "NaN", "negative"),
    ],
)
def test_bad_values_are_refused(ring: Any, key: str, raw: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.clean_values(services.metrics_for(ring), {key: raw})
    assert caught.value.error_dict[key][0].code == code


def test_values_are_cleaned(ring: Any) -> None:
    values = services.clean_values(
        services.metrics_for(ring), {"producers": " 12 ", "turnover": "1 234,50", "orders": ""}
    )
    assert values == {"producers": 12, "turnover": 1234.5}
    with pytest.raises(ValidationError, match="at least one"):
        services.clean_values(services.metrics_for(ring), {})


def test_one_report_per_month_and_an_explicit_correction_keeps_history(
    ring: Any, link: Any, official: Any
) -> None:
    month = dt.date(2026, 10, 1)
    services.submit(ring, period=month, values={"producers": 12}, link=link)
    with pytest.raises(ValidationError) as caught:
        services.submit(ring, period=month, values={"producers": 13}, link=link)
    assert caught.value.code == "duplicate"
    assert FigureReport.objects.get().values == {"producers": 12}

    services.submit(ring, period=month, values={"producers": 14}, by=official, correct=True)
    report = FigureReport.objects.get()
    assert report.values == {"producers": 14}
    assert report.by == official and report.link is None
    assert [c["values"] for c in report.corrections] == [{"producers": 12}]


def test_a_revoked_link_is_not_active(link: Any) -> None:
    assert services.active_link(link.secret) == link
    services.revoke_link(link)
    assert services.active_link(link.secret) is None
    assert services.active_link("") is None


def test_unit_figures_sum_the_unit_activisms(ring: Any, unit: Any, city: Any) -> None:
    from portaat.ladders.models import Ladder
    from tests.factories import CaseFactory

    this_month = timezone.localdate().replace(day=1)
    other = ActivismFactory(kind=ring.kind)
    CaseFactory(activism=other, unit=unit, ladder=Ladder.objects.get(slug="reko"))
    elsewhere = ActivismFactory(kind=ring.kind)
    CaseFactory(activism=elsewhere, unit=city["other"], ladder=Ladder.objects.get(slug="reko"))
    FigureReportFactory(activism=ring, period=this_month, values={"producers": 10})
    FigureReportFactory(activism=other, period=this_month, values={"producers": 5, "orders": 7})
    FigureReportFactory(activism=elsewhere, period=this_month, values={"producers": 100})

    series = {s.metric.key: s for s in services.unit_figures(unit)}
    assert set(series) == {"producers", "orders"}
    assert len(series["producers"].points) == 12
    assert series["producers"].points[-1] == (this_month, 15.0)
    assert series["producers"].points[0][1] is None
    # the city (above the unit) sees the unit's and the sibling's activisms
    assert {s.metric.key: s for s in services.unit_figures(city["city"])}["producers"].points[
        -1
    ] == (this_month, 115.0)


def test_the_export_is_in_long_format(ring: Any) -> None:
    FigureReportFactory(activism=ring, period=dt.date(2026, 9, 1), values={"orders": 3})
    FigureReportFactory(
        activism=ActivismFactory(kind=ActivismKind.objects.get(slug="peer-lending")),
        period=dt.date(2026, 8, 1),
        values={"loans": 40},
    )
    rows = list(services.export_rows())
    assert rows[0][:2] == ["activism_id", "activism"]
    assert rows[2] == [str(ring.pk), "Kallion REKO", "reko-ring", "", "2026-09", "orders", "3", ""]
    reko = list(services.export_rows(kind=ring.kind))
    assert len(reko) == 2
    assert len(list(services.export_rows(since=dt.date(2026, 9, 1)))) == 2
