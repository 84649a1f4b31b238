"""Benchmark: quality and run time of the analytics pipeline against BERTopic and TF-IDF + NMF.

Data: ``benchmarks/data/analytics_posts.ndjson``, the project's own labelled set of short
Helsinki-region posts in Finnish, Swedish, English and a few other languages (see
``benchmarks/data/README.md``). Every post has a gold language, the canonical gazetteer names of
the places it mentions and one of the 14 municipal themes. Only ``id`` and ``text`` are given to
the methods; the labels stay in this process.

Reported:

- *Portaat* (``portaat.analytics.pipeline.analyze``), with the number of topics chosen
  automatically and with ``topics`` = the number of themes: language accuracy (goal ≥ 0.98) with
  the confusions; place precision, recall and F1, micro-averaged over (post, place) pairs
  (goal F1 ≥ 0.95); topic agreement with the themes as adjusted mutual information
  (``sklearn.metrics.adjusted_mutual_info_score``) over all posts, across the languages
  (goal ≥ 0.6), and within Finnish, Swedish and English alone.
- the peers on the same texts: plain TF-IDF + NMF (scikit-learn defaults, k = number of themes,
  each post to its largest component) in this venv, and BERTopic in a venv of its own
  (``benchmarks/.venv-bertopic``, made by this script on first use: ``pip install --no-deps
  bertopic`` plus its real dependencies without torch and sentence-transformers, versions pinned
  below) with ``embedding_model=make_pipeline(TfidfVectorizer(), TruncatedSVD(100))``, offline,
  UMAP and TruncatedSVD seeded; once with its defaults (``min_topic_size=10``, ``nr_topics=None``:
  HDBSCAN decides) and once with smaller clusters allowed (``min_topic_size=5``) and reduced to
  ``nr_topics`` = number of themes (on this set ``min_topic_size=3`` finds the same 3 clusters). BERTopic's outliers (topic −1) count as one cluster of
  their own, as do posts to which the pipeline gives no topic (``None``).
- for every method: AMI against the *language* of the posts as well ("AMI vs lang"): high means
  the topics split the posts by language rather than by subject.
- run time: every run is a fresh subprocess (``--runs`` of them per method); *cold* is the first
  call in the process after the imports (models, lexicons and JIT compilation are loaded then),
  *warm* a second call on the same texts in the same process; medians over the runs. The import
  time and the process's peak memory (``ru_maxrss``) are given too.

    .venv/bin/python benchmarks/analytics.py                    # everything, 3 runs each
    .venv/bin/python benchmarks/analytics.py --skip-bertopic    # quick: Portaat and NMF only
    .venv/bin/python benchmarks/analytics.py --validate         # check the data set, print stats
    .venv/bin/python benchmarks/analytics.py --errors           # also list Portaat's misses

``--data FILE`` measures another labelled set of the same format, e.g. the held-out
``benchmarks/data/analytics_holdout.ndjson`` (see ``benchmarks/data/README.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: the workers (subprocesses) inherit the set chosen with --data through the environment
DATA = Path(
    os.environ.get("PORTAAT_BENCH_ANALYTICS_DATA")
    or ROOT / "benchmarks" / "data" / "analytics_posts.ndjson"
)
GAZETTEER = ROOT / "portaat" / "analytics" / "data" / "gazetteer.json"
BERTOPIC_VENV = ROOT / "benchmarks" / ".venv-bertopic"
THEMES = (
    "land_use",
    "housing",
    "traffic",
    "public_transport",
    "cycling_walking",
    "green_areas",
    "culture_events",
    "education",
    "social_health",
    "safety",
    "environment",
    "sports_recreation",
    "youth",
    "maintenance",
)
LANGS = ("fi", "sv", "en", "other")
SEED = 42

# BERTopic and the dependencies its import and fit need, without torch and
# sentence-transformers (its metadata requires sentence-transformers, which is only used for
# the default embedding model; it does not declare PyYAML, which ``bertopic._bertopic`` imports).
BERTOPIC = "bertopic==0.17.4"
BERTOPIC_DEPS = (
    "numpy==2.4.6",
    "scipy==1.17.1",
    "scikit-learn==1.9.1",
    "pandas==3.1.1",
    "hdbscan==0.8.44",
    "umap-learn==0.5.12",
    "pynndescent==0.7.0",
    "numba==0.68.1",
    "llvmlite==0.50.0",
    "tqdm==4.70.1",
    "plotly==7.1.0",
    "pyyaml==6.0.3",
)


# ---------------------------------------------------------------------------- data set


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def validate(path: Path) -> list[dict[str, Any]]:
    """Every line parses, ids unique, labels valid, places exist in the gazetteer."""
    gazetteer = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    names = {p["name"] for p in gazetteer["places"]}
    problems = []
    posts = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            try:
                post = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"line {number}: {exc}")
                continue
            if set(post) != {"id", "text", "lang", "places", "theme"}:
                problems.append(f"line {number}: keys {sorted(post)}")
            if post.get("id") in seen:
                problems.append(f"line {number}: duplicate id {post.get('id')}")
            seen.add(post.get("id"))
            if post.get("lang") not in LANGS:
                problems.append(f"line {number}: lang {post.get('lang')!r}")
            if post.get("theme") not in THEMES:
                problems.append(f"line {number}: theme {post.get('theme')!r}")
            places = post.get("places")
            if not isinstance(places, list) or len(set(places)) != len(places):
                problems.append(f"line {number}: places must be a list without repeats")
            else:
                problems += [
                    f"line {number}: unknown place {p!r}" for p in places if p not in names
                ]
            if not isinstance(post.get("text"), str) or not post["text"].strip():
                problems.append(f"line {number}: empty text")
            posts.append(post)
    if problems:
        sys.exit("invalid data set:\n  " + "\n  ".join(problems))
    return posts


def print_stats(posts: list[dict[str, Any]]) -> None:
    n = len(posts)
    langs = Counter(p["lang"] for p in posts)
    print(
        f"{n} posts; languages: "
        + ", ".join(f"{lang} {langs[lang]} ({langs[lang] / n:.0%})" for lang in LANGS)
    )
    lengths = sorted(len(p["text"]) for p in posts)
    print(
        f"length in characters: min {lengths[0]}, median {statistics.median(lengths):.0f}, "
        f"max {lengths[-1]}"
    )
    per = Counter(len(p["places"]) for p in posts)
    pairs = sum(len(p["places"]) for p in posts)
    distinct = Counter(name for p in posts for name in p["places"])
    print(
        "places per post: "
        + ", ".join(f"{k}: {per[k]}" for k in sorted(per))
        + f"; {pairs} (post, place) pairs, {len(distinct)} distinct places"
    )
    print("most frequent places: " + ", ".join(f"{k} {v}" for k, v in distinct.most_common(12)))
    print()
    print("| theme | fi | sv | en | other | all |")
    print("|---|---|---|---|---|---|")
    for theme in THEMES:
        row = Counter(p["lang"] for p in posts if p["theme"] == theme)
        print(
            f"| {theme} | "
            + " | ".join(str(row[lang]) for lang in LANGS)
            + f" | {sum(row.values())} |"
        )
    print("| all | " + " | ".join(str(langs[lang]) for lang in LANGS) + f" | {n} |")


# ---------------------------------------------------------------------------- workers
# Run in a fresh process each: ``analytics.py --worker NAME``; print one JSON object.
# Only standard-library imports at module level: the BERTopic worker runs under its own venv.


def _texts() -> tuple[list[dict[str, Any]], list[str]]:
    posts = load(DATA)
    return [{"id": p["id"], "text": p["text"]} for p in posts], [p["text"] for p in posts]


def worker_portaat(topics: int | None) -> dict[str, Any]:
    records, _ = _texts()
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from portaat.analytics.pipeline import analyze

    imported = time.perf_counter() - started
    runs = []
    for _ in range(2):
        t0 = time.perf_counter()
        result = analyze(iter([dict(r) for r in records]), topics=topics)
        posts = list(result.posts)
        n_topics = len(result.topics)
        seconds = time.perf_counter() - t0
        runs.append(
            {
                "seconds": seconds,
                "n_topics": n_topics,
                "ids": [p["id"] for p in posts],
                "lang": [p["lang"] for p in posts],
                "places": [list(p["places"]) for p in posts],
                "labels": [-1 if p["topic"] is None else p["topic"] for p in posts],
            }
        )
    return {"import_seconds": imported, "runs": runs}


def worker_nmf(k: int) -> dict[str, Any]:
    started = time.perf_counter()
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    imported = time.perf_counter() - started
    _, texts = _texts()
    runs = []
    for _ in range(2):
        t0 = time.perf_counter()
        matrix = TfidfVectorizer().fit_transform(texts)
        weights = NMF(n_components=k, random_state=SEED, max_iter=500).fit_transform(matrix)
        labels = [int(i) for i in weights.argmax(axis=1)]
        runs.append(
            {"seconds": time.perf_counter() - t0, "labels": labels, "n_topics": len(set(labels))}
        )
    return {"import_seconds": imported, "runs": runs}


def worker_bertopic(nr_topics: int | None, min_topic_size: int) -> dict[str, Any]:
    started = time.perf_counter()
    from bertopic import BERTopic
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from umap import UMAP

    imported = time.perf_counter() - started
    _, texts = _texts()
    runs = []
    for _ in range(2):
        t0 = time.perf_counter()
        model = BERTopic(
            embedding_model=make_pipeline(TfidfVectorizer(), TruncatedSVD(100, random_state=SEED)),
            # BERTopic's default UMAP, seeded
            umap_model=UMAP(
                n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=SEED
            ),
            min_topic_size=min_topic_size,
            nr_topics=nr_topics,
        )
        labels, _ = model.fit_transform(texts)
        labels = [int(x) for x in labels]
        runs.append(
            {
                "seconds": time.perf_counter() - t0,
                "labels": labels,
                "n_topics": len(set(labels) - {-1}),
                "outliers": sum(1 for x in labels if x == -1),
            }
        )
    import bertopic

    return {"import_seconds": imported, "runs": runs, "version": bertopic.__version__}


def run_worker(argv: list[str], python: str = sys.executable) -> dict[str, Any]:
    cmd = [python, str(Path(__file__).resolve()), *argv]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0", "TOKENIZERS_PARALLELISM": "false"},
    )
    if proc.returncode != 0:
        sys.exit(f"worker {' '.join(argv)} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def worker_main(args: argparse.Namespace) -> None:
    import resource

    if args.worker == "portaat":
        out = worker_portaat(args.topics)
    elif args.worker == "nmf":
        out = worker_nmf(args.topics)
    elif args.worker == "bertopic":
        out = worker_bertopic(args.topics, args.min_topic_size)
    else:
        sys.exit(f"unknown worker {args.worker}")
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


# ---------------------------------------------------------------------------- BERTopic venv


def ensure_bertopic(venv: Path) -> tuple[str, float | None]:
    """Make the BERTopic venv if it cannot import bertopic; return its python and install time."""
    python = venv / "bin" / "python"
    if (
        python.exists()
        and subprocess.run(
            [str(python), "-c", "import bertopic, umap, hdbscan"], capture_output=True
        ).returncode
        == 0
    ):
        return str(python), None
    print(f"installing BERTopic into {venv} ...", file=sys.stderr)
    started = time.perf_counter()
    # the base interpreter of this venv, so the BERTopic venv is independent of the project's
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--no-deps", BERTOPIC], check=True)
    subprocess.run([*pip, *BERTOPIC_DEPS], check=True)
    seconds = time.perf_counter() - started
    print(f"installed in {seconds:.0f} s", file=sys.stderr)
    return str(python), seconds


# ---------------------------------------------------------------------------- metrics


def ami(gold: list[Any], pred: list[Any]) -> float:
    from sklearn.metrics import adjusted_mutual_info_score

    return float(adjusted_mutual_info_score(gold, pred))


def topic_scores(posts: list[dict[str, Any]], labels: list[int]) -> dict[str, Any]:
    themes = [p["theme"] for p in posts]
    langs = [p["lang"] for p in posts]
    scores = {"all": ami(themes, labels), "vs_lang": ami(langs, labels)}
    for lang in ("fi", "sv", "en"):
        idx = [i for i, p in enumerate(posts) if p["lang"] == lang]
        scores[lang] = ami([themes[i] for i in idx], [labels[i] for i in idx])
    return scores


def place_scores(
    posts: list[dict[str, Any]], predicted: list[list[str]]
) -> tuple[float, float, float, list[Any], list[Any], int]:
    gold = {(p["id"], name) for p in posts for name in p["places"]}
    pred = {(p["id"], name) for p, names in zip(posts, predicted, strict=True) for name in names}
    tp = len(gold & pred)
    precision = tp / len(pred) if pred else 0.0
    recall = tp / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, sorted(pred - gold), sorted(gold - pred), len(pred)


def med(values: list[float]) -> float:
    return statistics.median(values)


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_ami(values: list[float]) -> str:
    lo, hi = min(values), max(values)
    return f"{med(values):.3f}" if hi - lo < 0.0005 else f"{med(values):.3f} ({lo:.3f}–{hi:.3f})"


# ---------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="fresh processes per method (default 3)"
    )
    parser.add_argument("--skip-bertopic", action="store_true", help="leave BERTopic out")
    parser.add_argument("--validate", action="store_true", help="only check the data set")
    parser.add_argument(
        "--errors", action="store_true", help="list Portaat's language and place errors"
    )
    parser.add_argument("--bertopic-venv", type=Path, default=BERTOPIC_VENV)
    parser.add_argument("--data", type=Path, help="another labelled set of the same format")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--topics", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--min-topic-size", type=int, default=10, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.data:
        global DATA
        DATA = args.data.resolve()
        os.environ["PORTAAT_BENCH_ANALYTICS_DATA"] = str(DATA)
    if args.worker:
        worker_main(args)
        return

    posts = validate(DATA)
    if args.validate:
        print_stats(posts)
        return
    k = len(THEMES)
    ids = [p["id"] for p in posts]
    print(
        f"Data: {DATA.relative_to(ROOT)}, {len(posts)} posts, {k} themes; "
        f"{args.runs} fresh processes per method; seed {SEED}.",
        file=sys.stderr,
        flush=True,
    )

    name = "Portaat"
    methods: list[tuple[str, list[dict[str, Any]]]] = []
    for label, topics in ((f"{name}, topics automatic", None), (f"{name}, topics = {k}", k)):
        argv = ["--worker", "portaat"] + ([] if topics is None else ["--topics", str(topics)])
        methods.append((label, [run_worker(argv) for _ in range(args.runs)]))
    methods.append(
        (
            f"TF-IDF + NMF, k = {k}",
            [run_worker(["--worker", "nmf", "--topics", str(k)]) for _ in range(args.runs)],
        )
    )
    install_seconds = None
    if not args.skip_bertopic:
        python, install_seconds = ensure_bertopic(args.bertopic_venv)
        for label, nr, size in (
            ("BERTopic defaults (min_topic_size = 10, nr_topics = None)", None, 10),
            (f"BERTopic, min_topic_size = 5, nr_topics = {k}", k, 5),
        ):
            argv = ["--worker", "bertopic", "--min-topic-size", str(size)]
            argv += [] if nr is None else ["--topics", str(nr)]
            methods.append((label, [run_worker(argv, python) for _ in range(args.runs)]))

    # --- Portaat: language and places (first cold run; the outputs must not vary)
    ours = methods[0][1]
    first = ours[0]["runs"][0]
    if first["ids"] != ids:
        sys.exit("the pipeline's posts are not the input posts in input order")
    for result in ours:
        for run in result["runs"]:
            if run["lang"] != first["lang"] or run["places"] != first["places"]:
                print("WARNING: language or places differ between runs", file=sys.stderr)
    gold_lang = [p["lang"] for p in posts]
    accuracy = sum(g == p for g, p in zip(gold_lang, first["lang"], strict=True)) / len(posts)
    confusion = Counter(zip(gold_lang, first["lang"], strict=True))
    precision, recall, f1, false_pos, false_neg, n_pred = place_scores(posts, first["places"])

    print(f"### Language and places ({name}, {len(posts)} posts)\n")
    print("| measure | value | goal |")
    print("|---|---|---|")
    print(
        f"| language accuracy | {accuracy:.3f} ({sum(confusion[(x, x)] for x in LANGS)}/{len(posts)}) | ≥ 0.98 |"
    )
    for lang in LANGS:
        n = sum(1 for g in gold_lang if g == lang)
        right = confusion[(lang, lang)]
        wrong = ", ".join(
            f"{cnt} as {p}" for (g, p), cnt in sorted(confusion.items()) if g == lang and p != lang
        )
        print(f"| … {lang} ({n} posts) | {right / n:.3f}{' — ' + wrong if wrong else ''} | |")
    gold_pairs = sum(len(p["places"]) for p in posts)
    print(f"| place precision (micro, {n_pred} predicted pairs) | {precision:.3f} | |")
    print(f"| place recall (micro, {gold_pairs} gold pairs) | {recall:.3f} | |")
    print(f"| place F1 (micro) | {f1:.3f} | ≥ 0.95 |")
    print()

    # --- topics and times
    print(f"### Topics against the {k} themes, and run time\n")
    print(
        "| method | topics | AMI all | AMI fi | AMI sv | AMI en | AMI vs lang | cold | warm | import | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for label, results in methods:
        runs = [run for result in results for run in result["runs"]]
        scores = [topic_scores(posts, run["labels"]) for run in runs]
        n_topics = sorted({run["n_topics"] for run in runs})
        topics_txt = "/".join(str(x) for x in n_topics)
        outliers = [run.get("outliers") for run in runs if run.get("outliers") is not None]
        if outliers:
            topics_txt += f" + {med(outliers):.0f} outliers"
        cold = med([r["runs"][0]["seconds"] for r in results])
        warm = med([r["runs"][1]["seconds"] for r in results])
        imp = med([r["import_seconds"] for r in results])
        rss = med([r["peak_rss_mb"] for r in results])
        print(
            f"| {label} | {topics_txt} | "
            + " | ".join(
                fmt_ami([s[key] for s in scores]) for key in ("all", "fi", "sv", "en", "vs_lang")
            )
            + f" | {fmt_s(cold)} | {fmt_s(warm)} | {fmt_s(imp)} | {rss:.0f} MB |"
        )
    print()
    print(
        "AMI: adjusted mutual information with the gold themes (1 = same partition, 0 = chance); "
        "'AMI vs lang': with the posts' languages (high = topics split by language). "
        "Outliers (BERTopic −1, Portaat topic None) count as one cluster. "
        "cold/warm/import/peak RSS: medians over fresh processes."
    )
    if install_seconds is not None:
        print(f"\nBERTopic venv installed by this run in {install_seconds:.0f} s.")

    if args.errors:
        print("\n### Portaat's errors\n")
        for p, got in zip(posts, first["lang"], strict=True):
            if got != p["lang"]:
                print(f"- lang {p['id']} gold {p['lang']} got {got}: {p['text']}")
        texts = {p["id"]: p["text"] for p in posts}
        for pid, place in false_pos:
            print(f"- extra place {pid} {place!r}: {texts[pid]}")
        for pid, place in false_neg:
            print(f"- missed place {pid} {place!r}: {texts[pid]}")


if __name__ == "__main__":
    main()
