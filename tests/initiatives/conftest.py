"""Initiatives fixtures: places (a city with a district, and another city), an initiative of the
REKO ring the ``activist`` persona maintains, and a catalogue of opportunities."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from portaat.initiatives import services
from portaat.initiatives.models import Initiative, Opportunity
from portaat.ladders.models import Ladder
from tests.factories import AreaFactory


@pytest.fixture
def places(db: None) -> dict[str, Any]:
    helsinki = AreaFactory(key="helsinki", name="Helsinki", name_sv="Helsingfors", kind="city")
    kallio = AreaFactory(key="kallio", name="Kallio", name_sv="Berghäll", parent=helsinki)
    espoo = AreaFactory(
        key="espoo", name="Espoo", name_sv="Esbo", kind="city", municipality="Espoo"
    )
    return {"helsinki": helsinki, "kallio": kallio, "espoo": espoo}


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def make_initiative(activism: Any, *, domains: list[str], areas: list[Any], **fields: Any) -> Any:
    defaults: dict[str, Any] = {
        "title": "Kallion kierrätyskeskus",
        "description": "Lainaamo ja korjauspaja kerhotilaan.",
        "missed_grant": "Osallistuva budjetointi 2026",
        "amount_sought": 4000,
    }
    return services.save_initiative(
        Initiative(activism=activism, **{**defaults, **fields}),
        domains=list(Ladder.objects.filter(slug__in=domains)),
        areas=areas,
    )


def make_opportunity(*, domains: list[str] = (), areas: list[Any] = (), **fields: Any) -> Any:  # type: ignore[assignment]
    defaults: dict[str, Any] = {"kind": "grant", "title": "Avustus", "provider": "Säätiö"}
    return services.save_opportunity(
        Opportunity(**{**defaults, **fields}),
        domains=list(Ladder.objects.filter(slug__in=domains)),
        areas=list(areas),
    )


@pytest.fixture
def initiative(reko_case: Any, places: dict[str, Any]) -> Any:
    """The activist's REKO ring's initiative in Kallio, for the REKO domain, 4,000 €."""
    return make_initiative(reko_case.activism, domains=["reko"], areas=[places["kallio"]])


@pytest.fixture
def catalogue(builtin: Any, places: dict[str, Any]) -> dict[str, Any]:
    """Opportunities that fit the initiative in different ways, and some that cannot."""
    return {
        # fits on all four: REKO domain, Helsinki covers Kallio, 1,000–5,000 €, deadline ahead
        "reko_grant": make_opportunity(
            title="Lähiruoka-avustus",
            domains=["reko"],
            areas=[places["helsinki"]],
            amount_min=1000,
            amount_max=5000,
            deadline=in_days(30),
        ),
        # open to all domains and areas, rolling: fits, but less specifically
        "crowdfunding": make_opportunity(kind="crowdfunding", title="Joukkorahoitusalusta"),
        # covers only part of the amount
        "small_grant": make_opportunity(
            title="Pienavustus", domains=["reko"], amount_max=1000, deadline=in_days(5)
        ),
        # cannot fit: deadline passed, other domain, other city, minimum above the need
        "expired": make_opportunity(title="Vanha avustus", deadline=in_days(-1)),
        "other_domain": make_opportunity(title="Kaavoitusavustus", domains=["city-planning"]),
        "other_city": make_opportunity(title="Espoon avustus", areas=[places["espoo"]]),
        "too_big": make_opportunity(title="Suuravustus", amount_min=50000),
        "hidden": make_opportunity(title="Piilotettu tila", kind="premises", is_active=False),
    }


def in_english(client: Any) -> Any:
    """The client, with English chosen (messages are asserted in English)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
