"""Full-text search of posts (SQLite FTS5 here, PostgreSQL text search in CI's second stage)
and the filters by source, activism, area, language and date."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from portaat.listening.ingest import Ingestor
from portaat.listening.models import Post
from portaat.listening.search import PostFilters, filtered_posts, fts5_expression
from tests.factories import ActivismFactory, AreaFactory, SourceFactory
from tests.listening.conftest import remote_post

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def posts(source: Any) -> Any:
    ingestor = Ingestor(source, "mastodon")
    ingestor.add(
        [
            remote_post(1, text="Kalliossa avattiin uusi yhteisöpuutarha.", language="fi"),
            remote_post(2, text="Raitiovaunu 9 ei kulje Pasilaan huomenna.", language="fi"),
            remote_post(3, text="Spårvagnen till Berghäll är försenad igen.", language="sv"),
            remote_post(4, text="Community garden volunteers meet in Kallio.", language="en"),
            remote_post(5, text="Puistotalkoot Töölössä lauantaina.", language="fi"),
        ]
    )
    return source


def texts(filters: PostFilters) -> set[str]:
    return {post.text.split()[0] for post in filtered_posts(filters)}


def test_finnish_inflected_forms_are_found_by_the_base_form(posts: Any) -> None:
    assert texts(PostFilters(q="kallio")) == {"Kalliossa", "Community"}


def test_search_folds_case_including_finnish_letters(posts: Any) -> None:
    assert texts(PostFilters(q="TÖÖLÖSSÄ")) == {"Puistotalkoot"}


def test_swedish_words_are_found(posts: Any) -> None:
    assert texts(PostFilters(q="spårvagnen")) == {"Spårvagnen"}


def test_several_words_must_all_match_and_minus_excludes(posts: Any) -> None:
    assert texts(PostFilters(q="raitiovaunu pasilaan")) == {"Raitiovaunu"}
    assert texts(PostFilters(q="garden -volunteers")) == set()


def test_query_syntax_cannot_break_the_search(posts: Any) -> None:
    for query in ['"', "NEAR(", "*", "AND OR NOT", "kallio\"'", "-", '""', "(", "^x"]:
        list(filtered_posts(PostFilters(q=query)))  # no error
    assert fts5_expression('a" OR b') == '"a"* AND "OR"* AND "b"*'


def test_removed_texts_are_no_longer_found(posts: Any) -> None:
    Post.objects.filter(text__startswith="Kalliossa").update(text="")
    assert texts(PostFilters(q="kallio")) == {"Community"}


def test_filters_by_language_source_activism_area_and_date(posts: Any) -> None:
    kallio = AreaFactory(name="Kallio")
    activism = ActivismFactory(name="Kallio-liike")
    activism.areas.add(kallio)
    other = SourceFactory(name="Muu lähde")
    other.activisms.add(activism)
    Ingestor(other, "mastodon").add(
        [
            remote_post(
                10,
                text="Kallio-liikkeen kokous.",
                created_at=datetime(2026, 1, 5, 12, tzinfo=HELSINKI),
            )
        ]
    )
    assert texts(PostFilters(language="sv")) == {"Spårvagnen"}
    assert texts(PostFilters(source=other.pk)) == {"Kallio-liikkeen"}
    assert texts(PostFilters(activism=activism.pk)) == {"Kallio-liikkeen"}
    assert texts(PostFilters(area=kallio.pk)) == {"Kallio-liikkeen"}
    assert texts(PostFilters(since=date(2026, 1, 5), until=date(2026, 1, 5))) == {"Kallio-liikkeen"}
    assert texts(PostFilters(until=date(2026, 1, 4))) == set()
    assert texts(PostFilters(q="kokous", language="fi")) == {"Kallio-liikkeen"}
