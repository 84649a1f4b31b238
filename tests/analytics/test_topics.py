"""Cross-lingual topics guided by the municipal theme taxonomy."""

import json

import pytest
from sklearn.metrics import adjusted_mutual_info_score

from portaat.analytics.lemmas import lemmatise
from portaat.analytics.topics import THEMES_PATH, find_topics, load_taxonomy, theme_counts

from .devset import HARD, POSTS

THEME_IDS = {
    "land_use", "housing", "traffic", "public_transport", "cycling_walking", "green_areas",
    "culture_events", "education", "social_health", "safety", "environment",
    "sports_recreation", "youth", "maintenance",
}  # fmt: skip


def prepare(posts):
    docs = [lemmatise(text, lang) for lang, _, text in posts]
    return docs, [lang for lang, _, _ in posts], [theme for _, theme, _ in posts]


def ami(gold, result):
    pred = [-1 if a is None else a for a in result.assignments]
    return adjusted_mutual_info_score(gold, pred)


def test_taxonomy_has_the_agreed_themes_and_lemma_terms():
    data = json.loads(THEMES_PATH.read_text(encoding="utf-8"))
    assert {t["id"] for t in data["themes"]} == THEME_IDS
    for theme in data["themes"]:
        assert set(theme["labels"]) == {"fi", "sv", "en"}
        for lang in ("fi", "sv", "en"):
            terms = theme["terms"][lang]
            assert 15 <= len(terms) <= 40, (theme["id"], lang, len(terms))
            for term in terms:  # terms are what the lemmatiser produces
                assert lemmatise(term, lang)[:1] == [term], (theme["id"], lang, term)


def test_swedish_and_finnish_tram_posts_share_a_topic_park_posts_do_not():
    posts = [
        ("fi", "", "Ratikkalinja 7 ei taas kulje, pysäkillä odotettu puoli tuntia"),
        ("sv", "", "Spårvagnen på linje 7 är försenad igen, hållplatsen full av folk"),
        ("en", "", "Tram 7 late again, the stop was packed"),
        ("fi", "", "Puistossa kaadetaan puita, lähimetsä katoaa"),
        ("sv", "", "Träden i parken fälls, grönområdena försvinner"),
    ]
    docs, langs, _ = prepare(posts)
    result = find_topics(docs, langs)
    a = result.assignments
    assert a[0] == a[1] == a[2]
    assert a[3] == a[4] != a[0]
    by_id = {t.id: t for t in result.topics}
    tram = by_id[a[0]]
    assert tram.theme == "public_transport"
    assert "raitiovaunu" in tram.labels["fi"]
    assert "spårvagn" in tram.labels["sv"]
    assert "tram" in tram.labels["en"]


def test_dev_set_agrees_with_hand_labelled_themes():
    docs, langs, gold = prepare(POSTS + HARD)
    result = find_topics(docs, langs)
    assert ami(gold, result) >= 0.6
    assert len(theme_counts(result)) >= 12


def test_hard_posts_alone_still_agree_with_themes():
    docs, langs, gold = prepare(HARD)
    assert ami(gold, find_topics(docs, langs)) >= 0.4


def test_deterministic_and_examples_are_members():
    docs, langs, _ = prepare(POSTS)
    first = find_topics(docs, langs, seed=3)
    assert first == find_topics(docs, langs, seed=3)
    for topic in first.topics:
        assert 1 <= len(topic.examples) <= 5
        assert all(first.assignments[i] == topic.id for i in topic.examples)
        assert topic.size == first.assignments.count(topic.id)


@pytest.mark.parametrize("k", [3, 10, 14])
def test_k_topics_when_asked(k):
    docs, langs, _ = prepare(POSTS)
    result = find_topics(docs, langs, k=k)
    assert len(result.topics) == k
    assert None not in result.assignments


def test_posts_outside_the_taxonomy_get_unsupervised_topics():
    posts = [
        ("fi", "", "Kuntavaalit lähestyy, ehdokkaat jakaa esitteitä Kampissa"),
        ("fi", "", "Vaaliehdokkaat väittelivät eilen, äänestysprosentti huolettaa"),
        ("sv", "", "Kommunalvalet närmar sig och kandidaterna debatterar"),
        ("en", "", "Municipal election debate tonight, candidates on TV"),
        ("en", "", "Election candidates should talk about real issues"),
        ("fi", "", "Ratikka myöhässä taas"),
        ("sv", "", "Spårvagnen är försenad igen"),
        ("en", "", ""),
    ]
    docs, langs, _ = prepare(posts)
    result = find_topics(docs, langs)
    assert result.assignments[7] is None
    assert result.assignments[5] == result.assignments[6]
    tram = next(t for t in result.topics if t.id == result.assignments[5])
    assert tram.theme == "public_transport"
    other = {result.assignments[i] for i in range(5)}
    assert tram.id not in other
    assert all(t.theme is None for t in result.topics if t.id in other)


def test_places_link_posts_across_languages():
    docs = [["kuntavaali", "ehdokas"], ["kommunalval", "kandidat"], ["vaali"], ["val"]]
    langs = ["fi", "sv", "fi", "sv"]
    places = [["Kallio"], ["Kallio"], ["Vuosaari"], ["Vuosaari"]]
    result = find_topics(docs, langs, places=places, k=2)
    a = result.assignments
    assert a[0] == a[1] and a[2] == a[3] and a[0] != a[2]


def test_an_edited_taxonomy_from_a_dict():
    data = json.loads(THEMES_PATH.read_text(encoding="utf-8"))
    data["themes"].append(
        {
            "id": "dogs",
            "labels": {"fi": "Koirat", "sv": "Hundar", "en": "Dogs"},
            "terms": {"fi": ["koira"], "sv": ["hund"], "en": ["dog"]},
        }
    )
    data["concepts"] = [c for c in data["concepts"] if c["id"] != "dog_park"]
    data["concepts"].append(
        {"id": "dog", "theme": "dogs", "fi": ["koira"], "sv": ["hund"], "en": ["dog"]}
    )
    for theme in data["themes"]:
        if theme["id"] == "green_areas":
            theme["terms"]["en"] = [t for t in theme["terms"]["en"] if t != "dog"]
    taxonomy = load_taxonomy(data)
    posts = [
        ("fi", "", "Koirat irti ja kakat korjaamatta"),
        ("sv", "", "Hundarna skäller hela natten"),
    ]
    docs, langs, _ = prepare(posts)
    result = find_topics(docs, langs, taxonomy=taxonomy)
    assert result.assignments[0] == result.assignments[1]
    assert result.topics[0].theme == "dogs"
    assert result.topics[0].labels["en"][0] == "dog"


def test_bad_arguments():
    with pytest.raises(ValueError):
        find_topics([["a"]], ["fi", "sv"])
    with pytest.raises(ValueError):
        find_topics([["a"]], ["fi"], k=0)
    with pytest.raises(ValueError, match="unknown theme"):
        load_taxonomy({"themes": [], "concepts": [{"id": "x", "theme": "nope"}]})
    assert find_topics([], []).topics == []
    assert find_topics([[]], ["fi"]).assignments == [None]
