"""TF-IDF keywords over lemmas."""

from portaat.analytics.keywords import keywords
from portaat.analytics.lemmas import lemmatise


def test_rare_terms_beat_terms_every_document_has():
    docs = [
        ["kaupunki", "ratikka", "ratikka", "pysäkki"],
        ["kaupunki", "puisto", "puu"],
        ["kaupunki", "koulu", "opettaja"],
    ]
    out = keywords(docs, top=2)
    assert out[0] == ["ratikka", "pysäkki"]
    assert "kaupunki" not in out[1] and "kaupunki" not in out[2]


def test_single_document_falls_back_to_term_frequency():
    assert keywords([["bussi", "metro", "bussi", "juna", "bussi", "metro"]], top=2) == [
        ["bussi", "metro"]
    ]


def test_compound_parts_are_not_repeated_after_the_compound():
    doc = lemmatise("Raitiovaunulinjalla ruuhkaa, raitiovaunulinja myöhässä", "fi")
    other = lemmatise("Linja-autot kulkevat, linja toimii", "fi")
    top = keywords([doc, other], top=3)[0]
    assert top[0] == "raitiovaunulinja"
    assert "linja" not in top and "raitiovaunu" not in top


def test_empty_documents_and_ties_are_stable():
    assert keywords([[], ["a1", "b1"]], top=5) == [[], ["a1", "b1"]]
    assert keywords([], top=3) == []
