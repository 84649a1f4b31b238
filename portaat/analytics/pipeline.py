"""One analysis of a set of posts: language, places, keywords and topics for each.

This is what ``portaat analyze`` and the app's background analyses call. It is plain Python
(no Django), so a researcher can run it on a file without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from portaat.analytics.gazetteer import places as gazetteer_places
from portaat.analytics.keywords import keywords as tfidf_keywords
from portaat.analytics.language import detect
from portaat.analytics.lemmas import lemmatise
from portaat.analytics.places import extract_places
from portaat.analytics.topics import Taxonomy, Topic, find_topics

#: Keywords listed per post.
KEYWORDS = 5


@cache
def _place_words() -> frozenset[str]:
    """Lower-case names of gazetteer places: a post's places are listed in ``places``, so
    they are left out of its keywords ("malm", "berghäll" would repeat Malmi and Kallio)."""
    words: set[str] = set()
    for place in gazetteer_places():
        for name in (place["name"], place.get("name_sv") or "", *place.get("aliases", ())):
            if name:
                words.add(name.lower())
    return frozenset(words)


@dataclass
class Analysis:
    """``posts``: one dict per input record, in input order —
    ``{"id", "lang", "places", "topic", "keywords"}``; ``topics``: the topics found."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)


def analyze(
    records: Iterable[Mapping[str, Any]],
    topics: int | None = None,
    *,
    taxonomy: Taxonomy | None = None,
) -> Analysis:
    """Analyse records of ``{"id": ..., "text": ...}`` (other fields are ignored).

    ``topics`` is the number of topics wanted; ``None`` lets the topic model choose.
    ``taxonomy`` replaces the built-in municipal themes (the app passes its edited copy).
    """
    ids: list[Any] = []
    langs: list[str] = []
    places: list[list[str]] = []
    docs: list[list[str]] = []
    for record in records:
        text = str(record.get("text") or "")
        lang = detect(text)
        ids.append(record.get("id"))
        langs.append(lang)
        places.append(extract_places(text, lang))
        docs.append(lemmatise(text, lang) if lang != "other" else [])
    if not ids:
        return Analysis()
    named = _place_words()
    words = tfidf_keywords([[w for w in doc if w not in named] for doc in docs], top=KEYWORDS)
    found = find_topics(docs, langs, k=topics, places=places, taxonomy=taxonomy)
    posts = [
        {
            "id": ids[i],
            "lang": langs[i],
            "places": places[i],
            "topic": found.assignments[i],
            "keywords": words[i],
        }
        for i in range(len(ids))
    ]
    return Analysis(posts=posts, topics=found.topics)
