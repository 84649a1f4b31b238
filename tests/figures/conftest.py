"""Figures fixtures: the built-in kinds and figures, a REKO ring in the planning unit's case and a
personal link for its members."""

from __future__ import annotations

from typing import Any

import pytest

from portaat.figures import services
from portaat.registry.models import ActivismKind
from portaat.registry.services import load_builtin_kinds
from tests.factories import ActivismFactory, CaseFactory


@pytest.fixture
def metrics(db: None) -> None:
    load_builtin_kinds()
    services.load_builtin_metrics()


@pytest.fixture
def ring(metrics: None, builtin: Any, unit: Any) -> Any:
    """A REKO ring (the built-in kind) with a case in the planning unit."""
    from portaat.ladders.models import Ladder

    activism = ActivismFactory(name="Kallion REKO", kind=ActivismKind.objects.get(slug="reko-ring"))
    CaseFactory(activism=activism, unit=unit, ladder=Ladder.objects.get(slug="reko"))
    return activism


@pytest.fixture
def link(ring: Any, official: Any) -> Any:
    return services.create_link(ring, label="REKO Kallio – coordinator", by=official)


def last_month() -> str:
    import datetime as dt

    from django.utils import timezone

    first = timezone.localdate().replace(day=1)
    return f"{first - dt.timedelta(days=1):%Y-%m}"


def in_english(client: Any) -> Any:
    """The client, with English chosen (messages are asserted in English)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
