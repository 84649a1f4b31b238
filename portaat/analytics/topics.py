"""Cross-lingual topics for fi/sv/en posts, guided by an editable municipal theme taxonomy.

Why not a plain topic model: on short posts in three languages, TF-IDF + NMF or BERTopic split
first by language and then by surface form, so a Finnish and a Swedish post about the same tram
line land in different topics. Lemmatising fixes the surface forms; the language split needs a
bridge between vocabularies. We build that bridge from the taxonomy (data/themes.json):

1. **Language-neutral features.** Each lemma is looked up in the taxonomy: a term that belongs
   to a cross-lingual *concept* (ratikka / spårvagn / tram -> ``c:tram``) becomes that concept;
   another seed term becomes a theme-tagged term; anything else stays a language-tagged lemma.
   Finnish and Swedish compounds the taxonomy does not list match by their head or modifier
   (spårvagnshållplats -> hållplats, spårvagn). Canonical place names from places.py are extra
   features shared by all languages.
2. **Taxonomy first.** Every post is scored against every theme (exact seed hits count 1,
   compound-part hits 0.5, each weighted by the IDF of its feature in the corpus, so a rare,
   specific word outweighs a common setting word). A post with at least one exact hit and one
   clear best theme gets it.
3. **Bootstrapped centroids.** Posts with tied or no theme hits are compared (cosine over
   TF-IDF of the features) with the centroids of the confidently themed posts; this carries
   words the taxonomy lacks but the corpus pairs with a theme (a line name, a local slang word).
   Ties pick the closest theme; posts without hits need a minimum similarity.
4. **Unsupervised rest.** What is left is clustered by NMF (scikit-learn, deterministic
   ``nndsvda`` init) into extra topics with ``theme=None``: the number is the requested ``k``
   minus the themes present, or chosen automatically by the silhouette of the clustering
   (one "other" topic when no split is convincing).

Labels are the heaviest features of a topic, read in each reader language through the concept
table where possible (c:tram -> fi "raitiovaunu", sv "spårvagn", en "tram"), else the original
lemma. Everything is deterministic for a given ``seed``.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

THEMES_PATH = Path(__file__).resolve().parent / "data" / "themes.json"
LANGS = ("fi", "sv", "en")

#: Cosine similarity to a theme centroid that a post without any seed term needs to join it.
CENTROID_MIN_SIMILARITY = 0.12
#: Weight of a seed term matched only as a compound's head or modifier.
PARTIAL_WEIGHT = 0.5
#: Weight of a place feature: places link languages but say little about the theme.
PLACE_WEIGHT = 0.5
#: Largest number of extra (unsupervised) topics chosen automatically.
MAX_EXTRA_TOPICS = 8
#: Smallest number of posts worth an automatically chosen extra topic.
MIN_TOPIC_SIZE = 3
#: Below this silhouette, the rest stays one "other" topic instead of being split.
MIN_SILHOUETTE = 0.05
LABEL_TERMS = 8
EXAMPLES = 5


# --- the taxonomy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    id: str
    labels: dict[str, str]
    terms: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Concept:
    id: str
    theme: str | None
    terms: dict[str, tuple[str, ...]]


@dataclass
class Taxonomy:
    """Themes with fi/sv/en seed lemmas, and concepts joining the same word across languages."""

    themes: list[Theme]
    concepts: list[Concept] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._exact: dict[tuple[str, str], tuple[str, str | None]] = {}
        self._any: dict[str, tuple[str, str | None]] = {}
        self.concept_by_id = {c.id: c for c in self.concepts}
        known = {t.id for t in self.themes}
        for concept in self.concepts:
            if concept.theme is not None and concept.theme not in known:
                raise ValueError(f"concept {concept.id!r}: unknown theme {concept.theme!r}")
        # Concepts first so that a term in both a concept and a theme list maps to the concept.
        for concept in self.concepts:
            for lang, terms in concept.terms.items():
                for term in terms:
                    value = (concept.theme or "", concept.id)
                    self._exact.setdefault((lang, term), value)
                    self._any.setdefault(term, value)
        for theme in self.themes:
            for lang, terms in theme.terms.items():
                for term in terms:
                    self._exact.setdefault((lang, term), (theme.id, None))
                    self._any.setdefault(term, (theme.id, None))
        self._cache: dict[tuple[str, str], tuple[tuple[str, str | None, str, float], ...]] = {}
        # (lang, lemma) -> ((feature name, theme, weight), ...), filled by find_topics
        self._features: dict[tuple[str, str], tuple[tuple[str, str, float], ...]] = {}

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def match(self, lang: str, lemma: str) -> tuple[tuple[str, str | None, str, float], ...]:
        """(theme, concept, matched term, weight) for each taxonomy entry ``lemma`` hits.

        An empty theme id means a concept without a theme. Exact matches in the post's language
        come first, then in any language (a short post's language may be misdetected), then
        fi/sv compound heads and modifiers.
        """
        key = (lang, lemma)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        hit = self._exact.get(key) or self._any.get(lemma)
        found: tuple[tuple[str, str | None, str, float], ...]
        if hit is not None:
            found = ((hit[0], hit[1], lemma, 1.0),)
        elif lang in ("fi", "sv") and len(lemma) >= 7:
            found = self._compound(lang, lemma)
        else:
            found = ()
        if len(self._cache) < 500_000:
            self._cache[key] = found
        return found

    def _compound(self, lang: str, lemma: str) -> tuple[tuple[str, str | None, str, float], ...]:
        out = []
        for i in range(1, len(lemma) - 3):  # longest head of at least four letters
            hit = self._exact.get((lang, lemma[i:]))
            if hit is not None:
                out.append((hit[0], hit[1], lemma[i:], PARTIAL_WEIGHT))
                break
        for j in range(len(lemma) - 2, 4, -1):  # longest modifier of at least five letters
            hit = self._exact.get((lang, lemma[:j]))
            if hit is not None:
                if not out or out[0][2] != lemma[:j]:
                    out.append((hit[0], hit[1], lemma[:j], PARTIAL_WEIGHT))
                break
        return tuple(out)

    def term(self, concept_id: str, lang: str) -> str | None:
        """The concept's word in ``lang`` (its first term), if it has one."""
        concept = self.concept_by_id.get(concept_id)
        if concept is None:
            return None
        terms = concept.terms.get(lang) or ()
        return terms[0] if terms else None


def _terms(raw: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(str(t).lower() for t in raw.get(lang) or ()) for lang in LANGS}


def taxonomy_from_dict(data: Mapping[str, Any]) -> Taxonomy:
    """A taxonomy from the themes.json structure (the app passes its edited copy this way)."""
    themes = []
    seen = set()
    for item in data.get("themes") or ():
        theme_id = str(item["id"])
        if theme_id in seen:
            raise ValueError(f"duplicate theme id {theme_id!r}")
        seen.add(theme_id)
        labels = {lang: str(v) for lang, v in (item.get("labels") or {}).items()}
        themes.append(Theme(theme_id, labels, _terms(item.get("terms") or {})))
    concepts = []
    for item in data.get("concepts") or ():
        theme = item.get("theme")
        concepts.append(Concept(str(item["id"]), str(theme) if theme else None, _terms(item)))
    # Concept terms are seed terms of their theme, so editors need not list them twice.
    merged = []
    for theme in themes:
        terms = {lang: list(theme.terms.get(lang, ())) for lang in LANGS}
        for concept in concepts:
            if concept.theme == theme.id:
                for lang in LANGS:
                    terms[lang].extend(t for t in concept.terms[lang] if t not in terms[lang])
        merged.append(Theme(theme.id, theme.labels, {k: tuple(v) for k, v in terms.items()}))
    return Taxonomy(merged, concepts)


def load_taxonomy(source: str | Path | Mapping[str, Any] | None = None) -> Taxonomy:
    """The built-in taxonomy (``None``), one from a JSON file path, or one from a dict."""
    if isinstance(source, Mapping):
        return taxonomy_from_dict(source)
    path = Path(source) if source is not None else THEMES_PATH
    return taxonomy_from_dict(json.loads(path.read_text(encoding="utf-8")))


_DEFAULT: list[Taxonomy] = []


def default_taxonomy() -> Taxonomy:
    if not _DEFAULT:
        _DEFAULT.append(load_taxonomy())
    return _DEFAULT[0]


# --- the result ----------------------------------------------------------------------------------


@dataclass
class Topic:
    id: int
    theme: str | None  # taxonomy id when the topic is a theme, else None
    labels: dict[str, list[str]]  # reader language -> top terms in that language
    size: int
    examples: list[int]  # indexes of example docs, most typical first (up to 5)


@dataclass
class TopicResult:
    assignments: list[int | None]  # per doc: topic id or None (no content words)
    topics: list[Topic]


# --- the model -------------------------------------------------------------------------------------


def _features(
    doc: Sequence[str], lang: str, places: Sequence[str], taxonomy: Taxonomy
) -> tuple[dict[str, float], dict[str, float]]:
    """(feature counts, theme scores) of one document."""
    feats: dict[str, float] = defaultdict(float)
    scores: dict[str, float] = defaultdict(float)
    cache = taxonomy._features
    for lemma in doc:
        found = cache.get((lang, lemma))
        if found is None:
            hits = taxonomy.match(lang, lemma)
            found = tuple(
                (f"c:{concept}" if concept else f"t:{theme}:{term}", theme, weight)
                for theme, concept, term, weight in hits
            ) or ((f"w:{lang}:{lemma}", "", 1.0),)
            if len(cache) < 500_000:
                cache[(lang, lemma)] = found
        for name, theme, weight in found:
            feats[name] += weight
            if theme:
                scores[theme] += weight
    for place in places:
        feats[f"p:{place}"] += PLACE_WEIGHT
    return dict(feats), dict(scores)


def _vectorise(feats: list[dict[str, float]]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sparse counts with columns in first-seen order (sklearn's DictVectorizer is ~10x slower
    on 100,000 posts because it validates every value)."""
    vocab: dict[str, int] = {}
    indices: list[int] = []
    data: list[float] = []
    indptr = [0]
    for f in feats:
        for name, value in f.items():
            indices.append(vocab.setdefault(name, len(vocab)))
            data.append(value)
        indptr.append(len(indices))
    counts = sparse.csr_matrix(
        (np.array(data, dtype=float), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(feats), len(vocab)),
    )
    return counts, np.array(list(vocab), dtype=object)


def _cosine_to(x: sparse.csr_matrix, centroids: np.ndarray) -> np.ndarray:
    sims = x @ centroids.T
    return np.asarray(sims)


def _centroids(x: sparse.csr_matrix, labels: np.ndarray, n: int) -> np.ndarray:
    """L2-normalised mean row per label 0..n-1 (zero rows for empty labels)."""
    rows = np.flatnonzero(labels >= 0)
    onehot = sparse.csr_matrix((np.ones(len(rows)), (labels[rows], rows)), shape=(n, x.shape[0]))
    sums = np.asarray((onehot @ x).todense())
    return np.asarray(normalize(sums))


def _cluster_rest(x: sparse.csr_matrix, k: int | None, seed: int) -> np.ndarray:
    """Cluster labels 0..m-1 for the rows of ``x`` (the posts no theme took)."""
    n = x.shape[0]
    if n == 0:
        return np.zeros(0, dtype=int)
    if k is not None:
        k = min(k, n)
        if k <= 1:
            return np.zeros(n, dtype=int)
        return _nmf_labels(x, k, seed)
    if n < 2 * MIN_TOPIC_SIZE:
        return np.zeros(n, dtype=int)
    best, best_score = np.zeros(n, dtype=int), MIN_SILHOUETTE
    for m in range(2, min(MAX_EXTRA_TOPICS, n // MIN_TOPIC_SIZE) + 1):
        labels = _nmf_labels(x, m, seed)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(
            silhouette_score(
                x, labels, metric="cosine", sample_size=min(n, 2000), random_state=seed
            )
        )
        if score > best_score + 0.01:  # a bigger model must earn its extra topic
            best, best_score = labels, score
    return best


def _nmf_labels(x: sparse.csr_matrix, m: int, seed: int) -> np.ndarray:
    model = NMF(n_components=m, init="nndsvda", random_state=seed, max_iter=300)
    with warnings.catch_warnings():
        # Only the argmax per post is used, which settles long before NMF's own tolerance;
        # the warning would reach the stderr of `portaat analyze` and of the worker.
        warnings.simplefilter("ignore", ConvergenceWarning)
        w = model.fit_transform(x)
    labels = np.asarray(w.argmax(axis=1))
    # Renumber by first appearance so the labels do not depend on NMF's component order.
    order = {int(v): i for i, v in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([order[int(v)] for v in labels], dtype=int)


def _weighted_scores(
    counts: sparse.csr_matrix,
    names: np.ndarray,
    raw: np.ndarray,
    col: dict[str, int],
    tax: Taxonomy,
) -> np.ndarray:
    """Theme scores with each hit weighted by how rare its feature is in the corpus."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + n) / (1 + df)) + 1.0
    theme_of = np.full(len(names), -1)
    for j, name in enumerate(names.tolist()):
        if name.startswith("t:"):
            theme_of[j] = col.get(name.split(":", 2)[1], -1)
        elif name.startswith("c:"):
            concept = tax.concept_by_id.get(name[2:])
            if concept is not None and concept.theme:
                theme_of[j] = col.get(concept.theme, -1)
    out = np.zeros_like(raw)
    coo = counts.tocoo()
    keep = theme_of[coo.col] >= 0
    np.add.at(out, (coo.row[keep], theme_of[coo.col[keep]]), coo.data[keep] * idf[coo.col[keep]])
    return out


def find_topics(
    docs: list[list[str]],
    langs: list[str],
    *,
    k: int | None = None,
    places: list[list[str]] | None = None,
    taxonomy: Taxonomy | None = None,
    seed: int = 0,
) -> TopicResult:
    """Cross-lingual topics of lemmatised ``docs`` (see the module docstring for the method).

    ``langs`` gives each doc's language; ``places`` each doc's canonical place names;
    ``k`` the number of topics wanted (``None``: the themes present plus as many extra topics
    as the rest supports). When more themes are present than ``k``, the ``k`` largest stay
    and the others' posts join the nearest of them. Docs without content words get ``None``.
    """
    if len(langs) != len(docs) or (places is not None and len(places) != len(docs)):
        raise ValueError("docs, langs and places must have the same length")
    if k is not None and k < 1:
        raise ValueError("k must be at least 1")
    tax = taxonomy or default_taxonomy()
    n = len(docs)
    place_lists = places or [[] for _ in docs]
    feats, scores = [], []
    for doc, lang, where in zip(docs, langs, place_lists, strict=True):
        f, s = _features(doc, lang, where, tax)
        feats.append(f)
        scores.append(s)
    content = np.array([bool(f) for f in feats])
    if not content.any():
        return TopicResult([None] * n, [])

    counts, names = _vectorise(feats)
    # Sublinear weights that stay positive for fractional counts (a compound part is half a
    # hit): TfidfTransformer's sublinear_tf would make 1 + log(0.25) negative.
    counts = counts.tocsr(copy=True)
    counts.data = np.log1p(counts.data)
    x = normalize(TfidfTransformer().fit_transform(counts)).tocsr()

    theme_ids = tax.ids
    col = {t: i for i, t in enumerate(theme_ids)}
    raw_m = np.zeros((n, len(theme_ids)))
    for i, s in enumerate(scores):
        for theme, value in s.items():
            raw_m[i, col[theme]] = value
    # A hit on a word most posts share (street, metro, park) says less about a post's theme
    # than a rare one (fight, sanding, eviction): hits are weighted by the feature's IDF. The
    # confidence rule stays on raw hits: at least one exact seed term.
    score_m = _weighted_scores(counts, names, raw_m, col, tax)
    top = score_m.max(axis=1) if theme_ids else np.zeros(n)
    n_top = (score_m == top[:, None]).sum(axis=1) if theme_ids else np.zeros(n)
    label = np.full(n, -1, dtype=int)
    confident = (raw_m.max(axis=1) >= 1.0) & (n_top == 1) if theme_ids else np.zeros(n, bool)
    label[confident] = score_m[confident].argmax(axis=1)

    # Bootstrapped centroids settle ties and pull in posts the seeds missed.
    if confident.any():
        cents = _centroids(x, label, len(theme_ids))
        sims = _cosine_to(x, cents)
        for i in np.flatnonzero(~confident & content).tolist():
            if top[i] > 0:
                tied = np.flatnonzero(score_m[i] == top[i])
                label[i] = int(tied[np.argmax(sims[i, tied])])
            else:
                best = int(np.argmax(sims[i]))
                if sims[i, best] >= CENTROID_MIN_SIMILARITY:
                    label[i] = best
    elif theme_ids:
        for i in np.flatnonzero(content & (top > 0)).tolist():
            label[i] = int(np.argmax(score_m[i]))  # first of the tied themes

    present = [t for t in range(len(theme_ids)) if (label == t).any()]
    if k is not None and len(present) > k:
        sizes = {t: int((label == t).sum()) for t in present}
        keep = sorted(present, key=lambda t: (-sizes[t], t))[:k]
        cents = _centroids(x, np.where(np.isin(label, keep), label, -1), len(theme_ids))
        sims = _cosine_to(x, cents[keep])
        move = np.flatnonzero(content & ~np.isin(label, keep))
        for i in move.tolist():
            label[i] = keep[int(np.argmax(sims[i]))]
        present = keep

    # Groups: one per theme present, then the unsupervised clusters of the rest.
    groups: list[tuple[str | None, np.ndarray]] = [
        (theme_ids[t], np.flatnonzero(label == t)) for t in present
    ]
    rest = np.flatnonzero(content & (label < 0))
    if len(rest):
        extra = None if k is None else max(k - len(present), 0)
        if extra == 0:  # no room left: the rest joins the nearest theme
            cents = _centroids(x, label, len(theme_ids))
            sims = _cosine_to(x[rest], cents[present])
            for j, i in enumerate(rest.tolist()):
                groups_index = int(np.argmax(sims[j]))
                t = present[groups_index]
                groups[groups_index] = (theme_ids[t], np.append(groups[groups_index][1], i))
        else:
            sub = _cluster_rest(x[rest], extra, seed)
            for c in range(int(sub.max()) + 1):
                members = rest[sub == c]
                if len(members):
                    groups.append((None, members))

    groups.sort(key=lambda g: (-len(g[1]), g[0] is None, g[0] or "", int(g[1].min())))
    assignments: list[int | None] = [None] * n
    topics = []
    for topic_id, (group_theme, members) in enumerate(groups):
        members = np.sort(members)
        for i in members.tolist():
            assignments[i] = topic_id
        topics.append(_describe(topic_id, group_theme, members, x, names, tax))
    return TopicResult(assignments, topics)


def _describe(
    topic_id: int,
    theme: str | None,
    members: np.ndarray,
    x: sparse.csr_matrix,
    names: np.ndarray,
    tax: Taxonomy,
) -> Topic:
    sub = x[members]
    weight = np.asarray(sub.sum(axis=0)).ravel()
    centroid = weight / (np.linalg.norm(weight) or 1.0)
    typical = np.asarray(sub @ centroid).ravel()
    order = sorted(range(len(members)), key=lambda j: (-typical[j], int(members[j])))
    examples = [int(members[j]) for j in order[:EXAMPLES]]
    ranked = [int(j) for j in np.argsort(-weight, kind="stable") if weight[j] > 0][:60]
    labels: dict[str, list[str]] = {}
    for reader in LANGS:
        words: list[str] = []
        for j in ranked:
            word = _read(str(names[j]), reader, tax)
            if word and word not in words:
                words.append(word)
            if len(words) == LABEL_TERMS:
                break
        labels[reader] = words
    return Topic(topic_id, theme, labels, len(members), examples)


def _read(feature: str, reader: str, tax: Taxonomy) -> str | None:
    """A feature as a word for a reader of ``reader``'s language."""
    kind, _, rest = feature.partition(":")
    if kind == "c":
        return tax.term(rest, reader) or next(
            (tax.term(rest, other) for other in LANGS if tax.term(rest, other)), None
        )
    if kind == "t":
        return rest.partition(":")[2]
    if kind == "w":
        return rest.partition(":")[2]
    return rest  # a place name


def theme_counts(result: TopicResult) -> Counter[str]:
    """Posts per taxonomy theme in a result (themes only; for summaries and tests)."""
    counts: Counter[str] = Counter()
    for topic in result.topics:
        if topic.theme:
            counts[topic.theme] += topic.size
    return counts
