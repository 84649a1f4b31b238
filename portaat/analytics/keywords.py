"""Keywords per post: the lemmas that say most about *this* post against the whole set.

TF-IDF over lemmas (stop words are already gone, see lemmas.py): a lemma frequent in one post
but rare across the set ranks high, so "ratikka" beats "kaupunki". Within a post a compound's
parts are skipped once the compound itself is chosen (raitiovaunulinja, then not linja), since
lemmas.py emits them for the topic model, not for people to read twice.
"""

from __future__ import annotations

import math
from collections import Counter


def keywords(docs: list[list[str]], top: int = 5) -> list[list[str]]:
    """Per document, its ``top`` lemmas by TF-IDF over the corpus ``docs``.

    Smoothed IDF (``log((1 + n) / (1 + df)) + 1``) keeps terms that occur in every document
    in play, so a single document falls back to plain term frequency. Ties break by first
    occurrence in the document, which keeps the output deterministic and readable.
    """
    n = len(docs)
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    idf = {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}
    out: list[list[str]] = []
    for doc in docs:
        if not doc:
            out.append([])
            continue
        tf = Counter(doc)
        first: dict[str, int] = {}
        for i, term in enumerate(doc):
            first.setdefault(term, i)
        ranked = sorted(tf, key=lambda t: (-tf[t] * idf[t], first[t]))
        chosen: list[str] = []
        for term in ranked:
            if len(chosen) == top:
                break
            if any(term in longer or longer in term for longer in chosen):
                continue
            chosen.append(term)
        out.append(chosen)
    return out
