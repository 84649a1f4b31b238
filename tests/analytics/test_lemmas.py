"""Tokens and lemmas for fi/sv/en posts (no database)."""

import json

from portaat.analytics import lemmas
from portaat.analytics.lemmas import lemmatise, stopwords, tokens


def test_tokens_drop_urls_and_mentions_keep_hashtag_words():
    text = (
        "Ratikka 7 myöhässä taas @HSL https://hsl.fi/uutiset #ratikka www.example.fi Raide-Jokeri"
    )
    assert tokens(text) == ["Ratikka", "myöhässä", "taas", "ratikka", "Raide-Jokeri"]


def test_tokens_keep_nordic_letters_and_apostrophes():
    assert tokens("Spårvagnen över Långbron, don't!") == ["Spårvagnen", "över", "Långbron", "don't"]


def test_finnish_inflections_reduce_to_one_lemma():
    assert lemmatise("ratikka ratikalla ratikkaan ratikoiden", "fi") == ["ratikka"] * 4


def test_capitalised_finnish_words_are_analysed():
    assert lemmatise("Puistossa", "fi") == ["puisto"]


def test_finnish_compound_emits_whole_modifier_and_head():
    assert lemmatise("Raitiovaunulinjalla", "fi") == ["raitiovaunulinja", "raitiovaunu", "linja"]


def test_finnish_compound_with_inflected_modifier_keeps_real_lemma():
    # pyvoikko's own BASEFORM would be "sairashoitaja"
    assert lemmatise("sairaanhoitajat", "fi")[0] == "sairaanhoitaja"


def test_finnish_hyphenated_unknown_word_keeps_parts():
    assert lemmatise("HSL-alueella", "fi") == ["hsl-alue", "hsl", "alue"]


def test_finnish_stop_words_and_olla_are_removed():
    out = lemmatise("Mä en tiiä miks bussit ei oo kulkenut ilman kuljettajaa, se on outoa", "fi")
    assert "olla" not in out and "ei" not in out and "ilma" not in out
    assert "bussi" in out and "kuljettaja" in out


def test_swedish_lemmas_and_bare_nouns_stay_nouns():
    out = lemmatise("Spårvagnarna och bussen är försenade, buss och snö överallt", "sv")
    assert out[:2] == ["spårvagn", "buss"]
    assert "bussa" not in out and "snöa" not in out and "snö" in out
    assert "vara" not in out


def test_swedish_ska_is_a_stop_word_not_a_school():
    assert "skola" not in lemmatise("Vi ska bygga mer", "sv")
    assert lemmatise("Skolan i Brunakärr", "sv")[0] == "skola"


def test_english_lemmas_keep_gerund_nouns():
    out = lemmatise("The parking near the trams is full and buses were late", "en")
    assert out[:3] == ["parking", "tram", "full"]
    assert "bus" in out and "park" not in out and "be" not in out


def test_other_language_falls_back_to_lower_case_tokens_without_any_stop_words():
    assert lemmatise("Tere Tallinn and the ja och", "et") == ["tere", "tallinn"]


def test_cache_is_used_and_can_be_bypassed():
    lemmas.cache_clear()
    lemmatise("ratikka ratikka", "fi")
    info = lemmas.cache_info()
    assert info.hits >= 1 and info.misses >= 1
    assert lemmatise("ratikalla", "fi", cache=False) == ["ratikka"]


def test_stopword_lists_have_provenance_and_no_content_words():
    data = json.loads(lemmas.STOPWORDS_PATH.read_text(encoding="utf-8"))
    assert "_source" in data
    for lang, content in (("fi", "ilma"), ("fi", "kausi"), ("sv", "skola"), ("en", "park")):
        assert content not in stopwords(lang)
