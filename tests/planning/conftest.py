"""Shared data of the planning tests: areas, a source, posts with stored analyses.

Most tests store analyses directly (``analysed``), so they test the app's rules and pages, not
the quality of ``portaat/analytics/`` (which has its own tests and benchmarks);
``test_background.py`` runs the real pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from portaat.planning.models import PlaceMention, PostAnalysis
from portaat.planning.services import load_builtin_themes
from tests.factories import AreaFactory, PostFactory, SourceFactory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def areas(db: None) -> dict[str, Any]:
    return {
        "kallio": AreaFactory(
            key="helsinki-kallio", name="Kallio", name_sv="Berghäll", lat=60.184, lon=24.95
        ),
        "toolo": AreaFactory(
            key="helsinki-etu-toolo", name="Etu-Töölö", name_sv="Främre Tölö", lat=60.174, lon=24.92
        ),
        "pasila": AreaFactory(
            key="helsinki-pasila", name="Pasila", name_sv="Böle", lat=60.199, lon=24.934
        ),
    }


@pytest.fixture
def themes(db: None) -> int:
    return load_builtin_themes()


@pytest.fixture
def source(db: None) -> Any:
    return SourceFactory(name="#kallio Mastodonissa", target="kallio")


def store_analysis(
    post: Any,
    *,
    lang: str = "fi",
    areas: Iterable[Any] = (),
    theme: str = "",
    keywords: Iterable[str] = (),
) -> PostAnalysis:
    areas = list(areas)
    analysis = PostAnalysis.objects.create(
        post=post,
        lang=lang,
        places=[a.name for a in areas],
        theme=theme,
        keywords=list(keywords),
        posted_at=post.created_at,
        analysed_at=timezone.now(),
    )
    for area in areas:
        PlaceMention.objects.create(post=post, area=area, posted_at=post.created_at)
    return analysis


@pytest.fixture
def analysed(db: None) -> Callable[..., Any]:
    """``analysed(text=..., created_at=..., source=..., areas=[...], theme=..., keywords=[...])``:
    a post with its stored analysis."""

    def make(
        *,
        areas: Iterable[Any] = (),
        lang: str = "fi",
        theme: str = "",
        keywords: Iterable[str] = (),
        **post_fields: Any,
    ) -> Any:
        post_fields.setdefault("created_at", timezone.now() - timedelta(hours=1))
        post = PostFactory(**post_fields)
        store_analysis(post, lang=lang, areas=areas, theme=theme, keywords=keywords)
        return post

    return make
