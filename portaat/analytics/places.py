"""Places mentioned in a post, as canonical gazetteer names (the Finnish ``name`` field).

How: a table of surface forms is generated once from the gazetteer (``gazetteer.places()``)
and ``data/place_aliases.json``, then a post is tokenised and looked up word by word, longest
phrase first ("Malmin lentokentällä" is the airfield, not Malmi). Forms per name:

* Finnish names and aliases: the cases a place name is used in (nominative, genitive,
  partitive, essive, translative, the six locatives), with consonant gradation and the stem
  changes of the common name heads (Herttoniemi → Herttoniemen, Lauttasaari → Lauttasaaressa,
  Myyrmäki → Myyrmäessä, Tikkurila → Tikkurilaan, Sörnäinen → Sörnäisissä, Itäkeskus →
  Itäkeskuksessa), the clipped spoken locatives (Stadis, Vantaal) and clitics (-kin, -kaan …).
  In "Etu-Töölö" or "Malmin lentokenttä" only the last part inflects; "Vanha Munkkiniemi"
  agrees ("Vanhassa Munkkiniemessä").
* Swedish names: the base form and the genitive (Vallgårds, Östra centrums); English: the
  possessive (Espoo's). Estonian and Russian exonyms of the municipalities get their endings.

Why a table and not Voikko: measured here, ``pyvoikko.analyse`` returns nothing for capitalised
proper nouns ("Kalliossa", "Pasilan" → []), and lower-casing them first merges the district
with the rock; a dictionary lookup is also ~100 times faster than analysis and predictable.

Traps (see ``data/place_aliases.json`` for the list and the reason for each entry):
the common noun *kallio* ("kalliolla kiipeily"), the first name *Pasi* (never a form of
Pasila: only whole words are looked up), Swedish *hela*, airport codes (HEL, ARN are no
names), English words that equal a place name (a kilo of potatoes). An *ambiguous* name never
matches in lower case (but ``#kallio`` does — a hashtag is a deliberate tag); where its capital
proves nothing — sentence start or ALL-CAPS text — it matches only in a form the place takes
("Kallion lukio", "Kalliossa", "Kallio on kaunis" do; "Kalliolla kiipeily" does not); after a
capitalised mid-sentence word, which is usually a first name ("Pasi Kallio sanoi"), only in a
locative case.

Which place a name means:

* a district and its sub-district with the same name (32 in Helsinki) → the district;
* a name shared by sibling places (Töölö/Tölika/Tölö → Etu-Töölö *and* Taka-Töölö) → all of
  them, in gazetteer order: the colloquial name covers both areas, and a planner counting
  mentions per district wants both to count (the benchmark labels do the same).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from portaat.analytics import gazetteer

ALIASES_PATH = Path(__file__).resolve().parent / "data" / "place_aliases.json"

#: Locative cases: what a place is *in*, *to* or *from*.
LOCATIVES = frozenset({"ine", "ela", "ill", "ade", "abl", "all"})

# Finnish name heads whose stem changes are not covered by the general rules: weak stem,
# strong stem, partitive, front vowels (ä/ö/y) or not. Longest heads first when matching.
_HEADS: dict[str, tuple[str, str, str, bool]] = {
    "niemi": ("nieme", "nieme", "nientä", True),
    "saari": ("saare", "saare", "saarta", False),
    "mäki": ("mäe", "mäke", "mäkeä", True),
    "lahti": ("lahde", "lahte", "lahtea", False),
    "vuori": ("vuore", "vuore", "vuorta", False),
    "järvi": ("järve", "järve", "järveä", True),
    "salmi": ("salme", "salme", "salmea", False),
    "koski": ("koske", "koske", "koskea", False),
    "kaski": ("kaske", "kaske", "kaskea", False),
    "nummi": ("numme", "numme", "nummea", False),
    "varsi": ("varre", "varte", "vartta", False),
    "korpi": ("korve", "korpe", "korpea", False),
    "ranta": ("ranna", "ranta", "rantaa", False),
    "santa": ("sanna", "santa", "santaa", False),
    "kumpu": ("kummu", "kumpu", "kumpua", False),
    "kenttä": ("kentä", "kenttä", "kenttää", True),
    "haka": ("haa", "haka", "hakaa", False),
    "niitty": ("niity", "niitty", "niittyä", True),
    "pelto": ("pello", "pelto", "peltoa", False),
    "rinne": ("rintee", "rintee", "rinnettä", True),
    "mies": ("miehe", "miehe", "miestä", True),
    "keskus": ("keskukse", "keskukse", "keskusta", False),
    "kylä": ("kylä", "kylä", "kylää", True),
    "metsä": ("metsä", "metsä", "metsää", True),
    "piiri": ("piiri", "piiri", "piiriä", True),  # suurpiiri: harmony from the last part
}
# Plural heads: the whole paradigm (forms by case).
_PLURAL_HEADS: dict[str, dict[str, tuple[str, ...]]] = {
    "saaret": {
        "nom": ("saaret",),
        "gen": ("saarten", "saarien"),
        "par": ("saaria",),
        "ine": ("saarissa",),
        "ela": ("saarista",),
        "ill": ("saariin",),
        "ade": ("saarilla",),
        "abl": ("saarilta",),
        "all": ("saarille",),
    },
    "linjat": {
        "nom": ("linjat",),
        "gen": ("linjojen",),
        "par": ("linjoja",),
        "ine": ("linjoissa",),
        "ela": ("linjoista",),
        "ill": ("linjoihin",),
        "ade": ("linjoilla", "linjoil"),
        "abl": ("linjoilta",),
        "all": ("linjoille",),
    },
}
_GRADATION = (("kk", "k"), ("pp", "p"), ("tt", "t"), ("nk", "ng"), ("nt", "nn"), ("mp", "mm"))
_VOWELS = "aeiouyäö"
_CLITICS = ("kaan", "kään", "kin", "han", "hän", "pa", "pä", "ko", "kö")
_RU_ENDINGS = ("", "а", "е", "у", "ом")
_ET_ENDINGS = ("", "s", "st", "sse", "l", "le", "lt", "ga")

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@[\w.]+")
# Words of letters joined by inner hyphens or apostrophes ("Etu-Töölö", "Espoo's"); the en
# dash of "Helsinki–Espoo" separates.
_WORD = re.compile(r"[^\W\d_]+(?:[-‐'’][^\W\d_]+)*")
_BOUNDARY = frozenset(".!?…:;\n•|")


def _front(word: str) -> bool:
    """Vowel harmony of a simple word: the last non-neutral vowel decides (e, i are neutral)."""
    for char in reversed(word):
        if char in "aou":
            return False
        if char in "äöy":
            return True
    return True


def _weak(word: str) -> str:
    """Consonant gradation before the final vowel of a vowel-final word (Kamppi → Kampi-)."""
    stem, last = word[:-1], word[-1]
    for strong, weak in _GRADATION:
        if stem.endswith(strong):
            return stem[: -len(strong)] + weak + last
    return word


def finnish_forms(word: str) -> dict[str, tuple[str, ...]]:
    """Case forms of one lower-case Finnish word (a name or its last part), by case."""
    for head, forms in _PLURAL_HEADS.items():
        if word.endswith(head):
            prefix = word[: -len(head)]
            return {case: tuple(prefix + f for f in fs) for case, fs in forms.items()}
    for head in sorted(_HEADS, key=len, reverse=True):
        if word.endswith(head):
            weak, strong, partitive, front = _HEADS[head]
            prefix = word[: -len(head)]
            return _paradigm(word, prefix + weak, prefix + strong, prefix + partitive, front)
    front = _front(word)
    a = "ä" if front else "a"
    if word.endswith("inen"):
        stem = word[:-4] + "is"
        forms = _paradigm(word, stem + "e", stem + "e", stem + "t" + a, front)
        plural = {
            "gen": (stem + "ten",),
            "ine": (stem + "issa".replace("a", a),),
            "ela": (stem + "ista".replace("a", a),),
            "ill": (stem + "iin",),
            "ade": (stem + "illa".replace("a", a),),
            "abl": (stem + "ilta".replace("a", a),),
            "all": (stem + "ille",),
            "par": (stem + "i" + a,),
        }
        return {case: forms.get(case, ()) + plural.get(case, ()) for case in forms}
    if word.endswith("s"):
        # Itis → Itiksessä, Jollas → Jollaksessa; a Swedish name may also take -i (Högnäsissä).
        forms = _paradigm(word, word[:-1] + "kse", word[:-1] + "kse", word + "t" + a, front)
        loan = _paradigm(word, word + "i", word + "i", word + "i" + a, front)
        return {case: forms[case] + loan[case][1:] for case in forms}
    if word[-1] not in _VOWELS:
        return _paradigm(word, word + "i", word + "i", word + "i" + a, front)
    if len(word) > 1 and word[-2] in _VOWELS:
        return _paradigm(word, word, word, word + "t" + a, front)
    return _paradigm(word, _weak(word), word, word + a, front)


def _paradigm(
    nom: str, weak: str, strong: str, partitive: str, front: bool
) -> dict[str, tuple[str, ...]]:
    a = "ä" if front else "a"
    if len(strong) > 1 and strong[-1] == strong[-2] and strong[-1] in _VOWELS:
        illative: tuple[str, ...] = (f"{strong}h{strong[-1]}n", strong + "seen")
    elif len(strong) > 1 and strong[-1] in _VOWELS and strong[-2] in _VOWELS and strong[-2] != "i":
        illative = (f"{strong}h{strong[-1]}n",)  # suo → suohon, Espoo handled above
    else:
        illative = (strong + strong[-1] + "n",)
    return {
        "nom": (nom,),
        "gen": (weak + "n",),
        "par": (partitive,),
        "ess": (strong + "n" + a,),
        "tra": (weak + "ksi",),
        "ine": (weak + "ss" + a, weak + "s"),
        "ela": (weak + "st" + a, weak + "st"),
        "ill": illative,
        "ade": (weak + "ll" + a, weak + "l"),
        "abl": (weak + "lt" + a, weak + "lt"),
        "all": (weak + "lle",),
    }


def _demonyms(stem: str, front: bool) -> tuple[str, ...]:
    """Inhabitant words (vantaalaiset, helsinkiläisten, vuosaarelaisille) from a strong stem.

    People write about "vantaalaiset" when they write about Vantaa, and Finnish spells these
    adjectives in lower case, so they are counted as a mention of the place.
    """
    suffix = "läi" if front else "lai"
    a = suffix[-2]
    base = stem + suffix
    return (
        base + "nen",
        base + "sen",
        base + "set",
        base + "sten",
        base + "si" + a,
        base + "sille",
        base + "silla".replace("a", a),
        base + "sia".replace("a", a) + "n",
    )


def _agreeing(word: str) -> dict[str, tuple[str, ...]] | None:
    """Forms of an attribute that agrees with its noun ("vanha", "-inen" adjectives), if any."""
    if word == "vanha" or word.endswith("inen"):
        return finnish_forms(word)
    return None


def name_forms(name: str, lang: str) -> dict[str, tuple[str, ...]]:
    """Lower-case surface forms of a base name by case, for a name in language ``lang``."""
    low = name.lower()
    if lang == "sv":
        return {"nom": (low,), "gen": (low if low[-1] in "sxz" else low + "s",)}
    possessive = (low + "'s", low + "’s")
    if lang == "en":
        return {"nom": (low,), "gen": possessive}
    if lang == "ru":
        return {"nom": tuple(low + e for e in _RU_ENDINGS if e == "" or low[-1] not in "аеиоу")}
    if lang == "et":
        return {"nom": tuple(low + e for e in _ET_ENDINGS)}
    words = low.split(" ")
    head_prefix, _, last = words[-1].rpartition("-")
    head_prefix = head_prefix + "-" if head_prefix else ""
    forms = finnish_forms(last)
    first = _agreeing(words[0]) if len(words) == 2 else None
    out: dict[str, tuple[str, ...]] = {}
    for case, endings in forms.items():
        variants = [" ".join([*words[:-1], head_prefix + e]) for e in endings]
        if first is not None:
            variants += [f"{a} {head_prefix}{e}" for a in first.get(case, ()) for e in endings]
        out[case] = tuple(dict.fromkeys(variants))
    if len(words) == 1 and not head_prefix and last[-1] in _VOWELS and last not in _PLURAL_HEADS:
        essive = forms["ess"][0]
        out["dem"] = _demonyms(essive[:-2], essive.endswith("ä"))
    # English possessive and Swedish genitive of a Finnish name ("Espoo's", "Kallios").
    out["gen"] = (*out["gen"], *possessive, low + "s")
    return out


@dataclass(frozen=True)
class Form:
    """One surface form: the places it names, its case and the base name it inflects."""

    ids: tuple[str, ...]
    case: str
    base: str


@dataclass(frozen=True)
class _Token:
    text: str
    lower: str
    initial: bool  # nothing but sentence punctuation or the start of the text before it
    hashtag: bool


class PlaceMatcher:
    """Finds gazetteer places in text; built once (a few hundred ms), then ~20 µs a post."""

    def __init__(
        self,
        places: Sequence[Mapping[str, Any]] | None = None,
        aliases: Mapping[str, Any] | None = None,
    ) -> None:
        places = list(gazetteer.places() if places is None else places)
        aliases = _aliases_file() if aliases is None else aliases
        self._names = {p["id"]: p["name"] for p in places}
        self._order = {p["id"]: i for i, p in enumerate(places)}
        parents = {p["id"]: p.get("parent") for p in places}
        self._ambiguous: dict[str, frozenset[str]] = {
            base: frozenset(rule.get("start", ()))
            for base, rule in aliases.get("ambiguous", {}).items()
        }
        raw: dict[str, dict[tuple[str, str], set[str]]] = {}

        def add(name: str, lang: str, place_id: str) -> None:
            base = name.lower()
            for case, forms in name_forms(name, lang).items():
                for form in forms:
                    raw.setdefault(form, {}).setdefault((case, base), set()).add(place_id)

        for place in places:
            add(place["name"], "fi", place["id"])
            add(place["name_sv"], "sv", place["id"])
            for alias in place.get("aliases") or ():
                add(alias, "fi", place["id"])
        for entry in aliases.get("aliases", ()):
            if entry["id"] in self._names:
                for name in entry["names"]:
                    add(name, entry.get("lang", "fi"), entry["id"])
        self._forms: dict[str, list[Form]] = {}
        for surface, readings in raw.items():
            self._forms[surface] = [
                Form(self._resolve(ids, parents), case, base)
                for (case, base), ids in sorted(readings.items())
            ]
        for phrase in aliases.get("not_places", ()):
            self._forms[phrase.lower()] = []
        self._longest: dict[str, int] = {}
        for surface in self._forms:
            words = surface.split(" ")
            self._longest[words[0]] = max(self._longest.get(words[0], 1), len(words))

    def _resolve(self, ids: Iterable[str], parents: Mapping[str, str | None]) -> tuple[str, ...]:
        """Drop a place whose parent is named by the same form (district over sub-district)."""
        found = set(ids)
        kept = [i for i in found if parents.get(i) not in found]
        return tuple(sorted(kept, key=self._order.__getitem__))

    def forms(self, surface: str) -> list[Form]:
        """The readings of one lower-case surface form (for tests and diagnostics)."""
        return list(self._forms.get(surface, ()))

    def extract(self, text: str, lang: str | None = None) -> list[str]:
        """Canonical names of the places in ``text``, in order of first mention, no repeats.

        ``lang`` is accepted for the pipeline's sake; the forms of all three languages are
        looked up whatever it is, because posts mix them ("Asun Tölö:ssa", "i Kallio").
        """
        tokens = _tokens(text)
        found: dict[str, None] = {}
        i = 0
        while i < len(tokens):
            token = tokens[i]
            span = self._longest.get(token.lower, 0)
            matched = 0
            for n in range(min(span, len(tokens) - i), 0, -1):
                surface = token.lower if n == 1 else " ".join(t.lower for t in tokens[i : i + n])
                readings = self._forms.get(surface)
                if readings is None:
                    continue
                if not readings:  # a not_places phrase
                    matched = n
                    break
                ids = self._accept(readings, tokens, i)
                if ids is not None:
                    for place_id in ids:
                        found.setdefault(self._names[place_id])
                    matched = n
                    break
            if not matched:
                for ids in self._fallback(token, tokens, i):
                    for place_id in ids:
                        found.setdefault(self._names[place_id])
                matched = 1
            i += matched
        return list(found)

    def _fallback(self, token: _Token, tokens: Sequence[_Token], i: int) -> list[tuple[str, ...]]:
        """A word with a clitic (Stadissakin) or a hyphenated compound of names (Helsinki-Espoo)."""
        low = token.lower
        for clitic in _CLITICS:
            if low.endswith(clitic) and len(low) - len(clitic) >= 4:
                readings = self._forms.get(low[: -len(clitic)])
                if readings:
                    ids = self._accept(readings, tokens, i)
                    return [ids] if ids else []
        if "-" not in low:
            return []
        out = []
        for part in re.split(r"[-‐]", token.text):
            readings = self._forms.get(part.lower())
            if readings:
                piece = _Token(part, part.lower(), token.initial, token.hashtag)
                ids = self._accept(readings, [piece], 0)
                if ids:
                    out.append(ids)
        return out

    def _accept(
        self, readings: Sequence[Form], tokens: Sequence[_Token], i: int
    ) -> tuple[str, ...] | None:
        """The places of the first reading the context allows, or None (see module docstring)."""
        token = tokens[i]
        for reading in readings:
            start = self._ambiguous.get(reading.base)
            if start is None or token.hashtag:
                return reading.ids
            if not token.text[:1].isupper():
                continue
            uncertain = token.initial or (len(token.text) > 1 and token.text.isupper())
            if uncertain:
                if reading.case in start:
                    return reading.ids
                continue
            if i > 0 and _looks_like_first_name(tokens[i - 1], self._forms):
                if reading.case in start and reading.case in LOCATIVES:
                    return reading.ids
                continue
            return reading.ids
        return None


def _looks_like_first_name(token: _Token, forms: Mapping[str, list[Form]]) -> bool:
    """A capitalised mid-sentence word that is not itself a place: likely a first name."""
    return (
        not token.initial
        and not token.hashtag
        and token.text[:1].isupper()
        and not token.text.isupper()
        and token.lower not in forms
    )


def _tokens(text: str) -> list[_Token]:
    text = _MENTION.sub(" ", _URL.sub(" ", text))
    out: list[_Token] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        start = match.start()
        gap = text[previous_end:start]
        initial = not out or any(c in _BOUNDARY or ord(c) >= 0x2190 for c in gap)
        word = match.group(0).strip("-'’")
        out.append(_Token(word, word.lower(), initial, gap.endswith("#")))
        previous_end = match.end()
    return out


@cache
def _aliases_file() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ALIASES_PATH.read_text(encoding="utf-8"))
    return data


@cache
def default_matcher() -> PlaceMatcher:
    """The matcher over the shipped gazetteer and aliases, built on first use."""
    return PlaceMatcher()


def extract_places(text: str, lang: str | None = None) -> list[str]:
    """Canonical gazetteer names of the places in ``text`` (see ``PlaceMatcher.extract``)."""
    return default_matcher().extract(text, lang)
