"""Word tokens and lemmas for Finnish, Swedish and English posts, with stop words removed.

Keywords and topics compare *lemmas*, not surface forms: Finnish inflects a noun into a dozen
common forms (ratikka, ratikalla, ratikkaan …), so counting surface forms would scatter one
word over many features. Finnish goes through Voikko — libvoikko's own Python binding when the
system library and its dictionary are installed (it is the faster C++ engine), otherwise
``pyvoikko`` on top of ``kfst-rs`` (pure pip install). Swedish and English go through simplemma.

Finnish compounds: a compound lemma is emitted together with its *modifier* and its *head*::

    raitiovaunulinjalla -> raitiovaunulinja, raitiovaunu, linja
    bussipysäkillä      -> bussipysäkki, bussi, pysäkki

because social-media Finnish coins compounds freely (ratikkapysäkki, pyöräkaistahanke …) and
topic models only see the overlap between two posts when the parts are there too. The modifier
keeps every leading part (raitio + vaunu -> raitiovaunu), which is the unit a planner names.
Keywords de-duplicate parts against their whole (see keywords.py), so the extra lemmas cost
nothing there.

Lemmas are cached per (language, word) in a bounded LRU cache: posts repeat words so much that
after a few thousand posts nearly every lookup is a cache hit, which is what makes the
``portaat analyze`` speed goal reachable with a morphological analyser in the loop.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import simplemma

STOPWORDS_PATH = Path(__file__).resolve().parent / "data" / "stopwords.json"

#: Upper bound on cached (language, word) entries; ~100 bytes each, so tens of MB at most.
CACHE_SIZE = 200_000

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@[\w.]+")
# Letters (any script's, so åäö and accented names work) joined by inner hyphens or apostrophes:
# "Raide-Jokeri", "HSL-alueella", "don't". Digits and underscores never start or join a word.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

#: Voikko word classes, best first: nouns carry the topics; names and verbs next.
_CLASS_RANK = {
    "nimisana": 0,
    "nimisana_laatusana": 1,
    "paikannimi": 1,
    "laatusana": 1,
    "teonsana": 1,
    "lyhenne": 2,
    "etunimi": 2,
    "sukunimi": 2,
    "nimi": 2,
}


def tokens(text: str) -> list[str]:
    """Word tokens of ``text`` in their original case.

    URLs and @mentions are dropped (they are addresses, not words); hashtags keep their word
    (``#ratikka`` -> ``ratikka``) because people tag exactly the topic; hyphenated compounds
    stay one token so the lemmatiser can treat them as a whole.
    """
    text = _MENTION.sub(" ", _URL.sub(" ", text))
    return [m.group(0).strip("-'’") for m in _WORD.finditer(text)]


@cache
def stopwords(lang: str) -> frozenset[str]:
    """Stop words (surface forms and lemmas) for ``lang``; every language's for an unknown one."""
    data = json.loads(STOPWORDS_PATH.read_text(encoding="utf-8"))
    if lang in data and not lang.startswith("_"):
        return frozenset(data[lang])
    return frozenset(w for key, words in data.items() if not key.startswith("_") for w in words)


# --- Finnish -------------------------------------------------------------------------------


def _libvoikko_analyser() -> Callable[[str], list[dict[str, Any]]] | None:
    """libvoikko's analyser when the system library and a Finnish dictionary work, else None."""
    try:
        from libvoikko import Voikko  # type: ignore[import-not-found]

        voikko = Voikko("fi")
        if not voikko.analyze("kissa"):
            return None
    except Exception:
        return None

    def analyse(word: str) -> list[dict[str, Any]]:
        return [dict(a) for a in voikko.analyze(word)]

    return analyse


def _pyvoikko_analyser() -> Callable[[str], list[dict[str, Any]]] | None:
    try:
        import pyvoikko
    except ImportError:
        return None

    def analyse(word: str) -> list[dict[str, Any]]:
        out = []
        for a in pyvoikko.analyse(word):
            parts = [(p.FORM or "", p.BASEFORM or "") for p in a.COMPOUND_PARTS or []]
            out.append(
                {
                    "BASEFORM": a.BASEFORM,
                    "CLASS": a.CLASS,
                    "PARTICIPLE": a.PARTICIPLE,
                    "PARTS": parts,
                }
            )
        return out

    return analyse


@cache
def _finnish_analyser() -> Callable[[str], list[dict[str, Any]]] | None:
    return _libvoikko_analyser() or _pyvoikko_analyser()


def finnish_backend() -> str:
    """Which Voikko is in use: ``libvoikko``, ``pyvoikko`` or ``none`` (for reports)."""
    if _finnish_analyser() is None:
        return "none"
    return "libvoikko" if _libvoikko_analyser() is not None else "pyvoikko"


def _parts_from_wordbases(wordbases: str) -> list[tuple[str, str]]:
    # libvoikko: "+raitio(raitio)+vaunu(vaunu)+linja(linja)"; affixes carry no "+".
    parts = []
    for chunk in wordbases.split("+")[1:]:
        form, _, base = chunk.partition("(")
        parts.append((form, base.rstrip(")") or form))
    return parts


def _finnish_lemmas(word: str) -> tuple[str, ...]:
    analyser = _finnish_analyser()
    if analyser is None:
        return (word,)
    analyses = analyser(word)
    if not analyses:
        if "-" in word:
            return _hyphenated(word, _finnish_lemmas)
        return (word,)

    def rank(item: tuple[int, dict[str, Any]]) -> tuple[int, int, int, int, int]:
        # The reading whose lemma is the word itself first (purkaa is "purkaa", not a form of
        # "purra"; asua is not a form of "asu"), then nouns (they carry topics), then the
        # simplest compound.
        i, a = item
        parts = a.get("PARTS") or _parts_from_wordbases(str(a.get("WORDBASES") or ""))
        return (
            int(str(a.get("BASEFORM") or "").lower() != word),
            _CLASS_RANK.get(str(a.get("CLASS")), 3),
            int(bool(a.get("PARTICIPLE"))),
            len(parts),
            i,
        )

    best = min(enumerate(analyses), key=rank)[1]
    base = str(best.get("BASEFORM") or word).lower().replace("--", "-")
    parts = best.get("PARTS") or _parts_from_wordbases(str(best.get("WORDBASES") or ""))
    if not parts and "=" in base:
        parts = [(p, p) for p in base.split("=")]
    base = base.replace("=", "")
    if len(parts) < 2:
        return (base,)
    if "-" not in base:
        # pyvoikko lemmatises an inflected modifier too (sairaanhoitaja -> "sairashoitaja");
        # the modifiers' surface forms plus the head's lemma give the real compound lemma.
        base = ("".join(form for form, _ in parts[:-1]) + parts[-1][1]).lower()
    modifier = "".join(form for form, _ in parts[:-2]) + parts[-2][1]
    head = parts[-1][1]
    out = [base]
    for extra in (modifier.lower(), head.lower()):
        if len(extra) > 2 and extra not in out:
            out.append(extra)
    return tuple(out)


# --- Swedish and English --------------------------------------------------------------------


def _simplemma_lemmas(word: str, lang: str) -> tuple[str, ...]:
    if "-" in word:
        return _hyphenated(word, lambda w: _simplemma_lemmas(w, lang))
    lemma = simplemma.lemmatize(word, lang=lang).lower()
    if lang == "en" and word.endswith("ing") and len(word) > 5:
        # Gerunds are the nouns of planning talk: parking is not "park", housing not "house".
        return (word,)
    if lang == "sv" and (
        lemma == word + "a" or (word.endswith("er") and lemma == word[:-2] + "ra")
    ):
        # simplemma reads a bare noun as a verb's imperative or present (buss -> bussa,
        # snö -> snöa, buller -> bullra); in posts the noun is far more common.
        return (word,)
    return (lemma,)


def _hyphenated(word: str, lemmas: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    """``hsl-alueella`` -> ``hsl-alue``, ``hsl``, ``alue``: whole, then each part's lemma."""
    pieces = [p for p in word.split("-") if p]
    heads = [lemmas(p)[0] for p in pieces]
    out = ["-".join([*pieces[:-1], heads[-1]])]
    out.extend(h for h in heads if h not in out)
    return tuple(out)


# --- the public entry points -------------------------------------------------------------------


def _lemmas_uncached(lang: str, word: str) -> tuple[str, ...]:
    if lang == "fi":
        return _finnish_lemmas(word)
    if lang in ("sv", "en"):
        return _simplemma_lemmas(word, lang)
    return (word,)


_lemmas_cached = lru_cache(maxsize=CACHE_SIZE)(_lemmas_uncached)


def cache_info() -> Any:
    """Hit/miss statistics of the lemma cache (for benchmarks)."""
    return _lemmas_cached.cache_info()


def cache_clear() -> None:
    """Empty the lemma cache (benchmarks measure cold and warm runs)."""
    _lemmas_cached.cache_clear()


def lemmatise(text: str, lang: str, *, cache: bool = True) -> list[str]:
    """Lower-case lemmas of ``text`` in language ``lang`` ("fi", "sv", "en"), stop words removed.

    A word is dropped when either its lower-case surface form or its lemma is a stop word
    (the surface check catches function words whose lemma is a content word, such as Swedish
    *ska* -> *skola*). Finnish compounds add their modifier and head after the whole lemma.
    Any other ``lang`` gives lower-case tokens without the stop words of all three languages.
    ``cache=False`` bypasses the lemma cache (the speed benchmark's baseline).
    """
    stop = stopwords(lang)
    lookup = _lemmas_cached if cache else _lemmas_uncached
    out: list[str] = []
    for token in tokens(text):
        word = token.lower()
        if len(word) < 2 or word in stop:
            continue
        for lemma in lookup(lang, word):
            if len(lemma) > 1 and lemma not in stop:
                out.append(lemma)
    return out


def lemmatise_many(texts: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    """``lemmatise`` over parallel lists of texts and their languages."""
    return [lemmatise(text, lang) for text, lang in zip(texts, langs, strict=True)]
