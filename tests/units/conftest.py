"""Data for the unit pages: cases with assessments at dates relative to today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.utils import timezone

from portaat.cases.maturity import months_before
from portaat.ladders.models import Ladder
from tests.factories import ActivismFactory, AssessmentFactory, CaseFactory


def ago(months: int = 0, days: int = 0) -> dt.date:
    """A date ``months`` calendar months and ``days`` days before today."""
    return months_before(timezone.localdate(), months) - dt.timedelta(days=days)


@pytest.fixture
def ladder(builtin: Any) -> Callable[[str], Ladder]:
    cache: dict[str, Ladder] = {}

    def get(slug: str = "reko") -> Ladder:
        if slug not in cache:
            cache[slug] = Ladder.objects.get(slug=slug)
        return cache[slug]

    return get


@pytest.fixture
def make_case(ladder: Callable[[str], Ladder]) -> Callable[..., Any]:
    """``make_case(unit, "reko", [(ago(2), 2, 5)], name=…, areas=[…], status=…, kind=…)``."""

    def make(
        unit: Any,
        ladder_slug: str = "reko",
        assessments: Sequence[tuple[dt.date, int, int]] = (),
        *,
        perspective: str = "official",
        activism: Any = None,
        **activism_fields: Any,
    ) -> Any:
        activism = activism or ActivismFactory(**activism_fields)
        case = CaseFactory(activism=activism, unit=unit, ladder=ladder(ladder_slug))
        for day, current, target in assessments:
            AssessmentFactory(
                case=case,
                assessed_on=day,
                current_level=current,
                target_level=target,
                perspective=perspective,
                rationale="" if target >= current else "Syy",
            )
        return case

    return make


def in_english(client: Any) -> Any:
    """The client asks for English pages, so tests can read the source texts."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(response: Any) -> str:
    """The response's visible text, tags removed and white space collapsed."""
    import html
    import re

    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()
