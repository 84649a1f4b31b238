"""Benchmark: importing 1,000,000 posts from an NDJSON file through the real path (issue 6).

The file is generated (nothing is downloaded), deterministically from ``--seed``: civic posts in
Finnish, Swedish and English (about 60/20/20) of 40–600 characters, by about 20,000 authors
whose activity is skewed (a few post a lot), with hashtags (also in the ``tags`` field), some
mentions and links in the text, some replies, media and titles, and like/reply/repost counts.
The mentions are also in a ``mentions`` key, as exports have them, which the generic NDJSON
importer does not read.

Every variant runs in a subprocess of its own on a fresh copy of the migrated database (SQLite:
a throw-away file with the app's settings — WAL, ``synchronous=NORMAL``; PostgreSQL: a
throw-away database made from a migrated template), so each one's peak memory is its own
``getrusage(RUSAGE_SELF).ru_maxrss`` (the whole process: Python, Django, buffers), and the
process's resident size before the timed part is printed beside it.

- *import*: ``services.import_file(path, "ndjson")``, the real path (parsing, pseudonyms,
  lookups of what exists, inserts in batches of 2,000, discovery counters, all in one
  transaction), timed whole; then the same file again, which must add 0 posts, timed too.
- *raw* (the limit of this machine): the same rows, with the same column values (the same
  importer parses the file, the pseudonyms are the same HMACs, JSON and times adapted as Django
  stores them), precomputed batch by batch outside the timer, so only the insert is timed: a
  plain ``executemany`` INSERT on SQLite, ``COPY`` on PostgreSQL, into the same table with its
  indexes and full-text triggers or generated column, in one transaction.
- *naive*: what an import without bulk writes does — parse, pseudonymise and ``Post.save()``
  one post at a time (in one transaction, without looking for duplicates first, which favours
  it), timed on the first ``--naive`` posts (parsing included).

Goals: the import at least half the raw rate and 20 times the naive rate, peak memory at most
400 MB, and a second import adding nothing. Rates are medians of ``--runs`` runs.

    .venv/bin/python benchmarks/ingest.py                                  # 1,000,000 posts
    .venv/bin/python benchmarks/ingest.py --posts 20000 --db sqlite        # a quick look
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/ingest.py

PostgreSQL is measured when ``DATABASE_URL`` names a PostgreSQL server: the benchmark never uses
the database it names; it creates ``portaat_bench_ingest`` (and a template of it) on that
server through the ``postgres`` maintenance database, and drops them at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "portaat_bench_ingest"
TEMPLATE_DB = "portaat_bench_ingest_tpl"
MEMORY_GOAL_MB = 400
RAW_GOAL = 0.5  # of the raw insert rate
NAIVE_GOAL = 20  # times the naive rate
BATCH = 2000  # rows per executemany/COPY in the raw baseline, as import_file's batches

# -- the file ------------------------------------------------------------------------------------

PLACES = {
    "fi": [
        "Kalliossa",
        "Vallilassa",
        "Herttoniemessä",
        "Malmilla",
        "Kontulassa",
        "Pasilassa",
        "Käpylässä",
        "Vuosaaressa",
        "Lauttasaaressa",
        "Töölössä",
        "Kumpulassa",
        "Myllypurossa",
    ],
    "sv": [
        "i Berghäll",
        "i Vallgård",
        "i Hertonäs",
        "i Malm",
        "i Gårdsbacka",
        "i Böle",
        "i Kottby",
        "i Nordsjö",
        "på Drumsö",
        "i Tölö",
        "i Gumtäkt",
        "i Kvarnbäcken",
    ],
    "en": [
        "in Kallio",
        "in Vallila",
        "in Herttoniemi",
        "in Malmi",
        "in Kontula",
        "in Pasila",
        "in Käpylä",
        "in Vuosaari",
        "on Lauttasaari",
        "in Töölö",
        "in Kumpula",
        "in Myllypuro",
    ],
}
SENTENCES = {
    "fi": [
        "Yhteisöpuutarhan talkoot {place} lauantaina klo {hour}, ota omat hanskat mukaan.",
        "Raitiovaunu {tram} kulkee taas normaalisti, kiitos kärsivällisyydestä.",
        "Asukasilta {place} kirjastolla torstaina: puhutaan puiston kunnostuksesta.",
        "REKO-rengas jakaa tilaukset {place} tiistaina {hour}–{hour2}.",
        "Kaupunki pyytää palautetta uudesta pyörätiestä, vastaa kyselyyn ennen {day}.",
        "Lähiön kirpputori {place} keräsi yli {n} kävijää, ensi kerralla isompi sali!",
        "Palstaviljelijät etsivät uusia jäseniä, vapaita palstoja on {n}.",
        "Onko kukaan muu huomannut, että puiston valot ovat olleet rikki jo viikon?",
        "Koululaisten liikenneturvallisuus {place} huolettaa, suojatie puuttuu yhä.",
        "Kiitos kaikille, jotka tulivat siivoamaan rantaa {place}!",
        "Kaavaluonnos on nähtävillä {day} asti; mielipiteen voi jättää verkossa.",
        "Kahvila avaa ovensa taas, ja lounaalla on keittoa {n} eurolla.",
    ],
    "sv": [
        "Talko i gemenskapsträdgården {place} på lördag kl. {hour}, ta med egna handskar.",
        "Spårvagn {tram} går som vanligt igen, tack för tålamodet.",
        "Invånarkväll {place} på biblioteket på torsdag: vi pratar om parken.",
        "REKO-ringen delar ut beställningarna {place} på tisdag {hour}–{hour2}.",
        "Staden vill ha respons på den nya cykelvägen, svara före {day}.",
        "Loppisen {place} lockade över {n} besökare, nästa gång en större sal!",
        "Odlarna söker nya medlemmar, det finns {n} lediga lotter.",
        "Har någon annan märkt att lamporna i parken har varit trasiga i en vecka?",
        "Skolbarnens trafiksäkerhet {place} oroar, övergångsstället saknas fortfarande.",
        "Tack till alla som kom och städade stranden {place}!",
        "Planutkastet är framlagt till {day}; åsikter kan lämnas på nätet.",
    ],
    "en": [
        "Community garden work day {place} on Saturday at {hour}, bring your own gloves.",
        "Tram {tram} is running normally again, thanks for your patience.",
        "Residents' evening {place} at the library on Thursday: the park renovation.",
        "The REKO ring hands out orders {place} on Tuesday {hour}–{hour2}.",
        "The city wants feedback on the new cycle lane, answer the survey before {day}.",
        "The flea market {place} drew over {n} visitors, next time a bigger hall!",
        "The allotment association is looking for members, {n} plots are free.",
        "Has anyone else noticed the park lights have been broken for a week?",
        "Thank you to everyone who came to clean the shore {place}!",
        "The draft plan is on display until {day}; comments can be left online.",
    ],
}
TAGS = [
    "kallio",
    "vallila",
    "helsinki",
    "stadi",
    "reko",
    "yhteisöpuutarha",
    "kaupunkiviljely",
    "raitiovaunu",
    "pyöräily",
    "kaavoitus",
    "asukasilta",
    "talkoot",
    "lähiö",
    "berghäll",
    "helsingfors",
    "spårvagn",
    "gemenskapsträdgård",
    "cycling",
    "communitygarden",
    "urbanplanning",
]
TRAMS = ["1", "2", "3", "4", "6", "7", "8", "9", "10", "13", "15"]
INSTANCES = ["mastodon.example", "helsinki.example", "toot.example", "some.example"]
DAYS = ["15.3.", "1.4.", "30.4.", "12.5.", "31.5.", "14.6."]
LANGUAGES = ["fi"] * 6 + ["sv"] * 2 + ["en"] * 2


def generate(path: Path, posts: int, seed: int) -> tuple[int, int]:
    """Write ``posts`` NDJSON lines to ``path``; returns (bytes, distinct authors)."""
    rng = random.Random(seed)
    authors = [
        f"{rng.choice(['anna', 'mikko', 'aino', 'erik', 'liisa', 'seura', 'kylä', 'jonna'])}"
        f"{i}@{rng.choice(INSTANCES)}"
        for i in range(20_000)
    ]
    used: set[int] = set()
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    ids: list[str] = []
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(posts):
            moment += timedelta(seconds=rng.randint(1, 60))
            author_index = int(len(authors) * rng.random() ** 2)  # skewed: low indices post a lot
            used.add(author_index)
            author = authors[author_index]
            user, _, instance = author.partition("@")
            language = rng.choice(LANGUAGES)
            remote_id = str(113_000_000_000_000_000 + n * 1000 + rng.randint(0, 999))
            target = min(600, max(40, int(rng.lognormvariate(5.3, 0.6))))
            words: list[str] = []
            length = 0
            while length < target:
                sentence = rng.choice(SENTENCES[language]).format(
                    place=rng.choice(PLACES[language]),
                    tram=rng.choice(TRAMS),
                    hour=rng.randint(8, 18),
                    hour2=rng.randint(18, 20),
                    day=rng.choice(DAYS),
                    n=rng.randint(3, 400),
                )
                words.append(sentence)
                length += len(sentence) + 1
            tags = rng.sample(TAGS, rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4]))
            mentions = (
                [authors[int(len(authors) * rng.random() ** 3)]] if rng.random() < 0.15 else []
            )
            extra = [f"@{m}" for m in mentions] + [f"#{t}" for t in tags]
            if rng.random() < 0.1:
                extra.append(f"https://www.hel.fi/fi/uutiset/{rng.randint(1000, 99999)}")
            text = " ".join(words)
            room = target - sum(len(e) + 1 for e in extra)
            text = text[: max(20, room)].rsplit(" ", 1)[0]
            text = " ".join([text, *extra])[:600]
            record: dict[str, Any] = {
                "id": remote_id,
                "platform": "mastodon",
                "created": moment.strftime("%Y-%m-%dT%H:%M:%SZ")
                if rng.random() < 0.9
                else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                "author": author,
                "url": f"https://{instance}/@{user}/{remote_id}",
                "language": language,
                "text": text,
                "tags": tags,
                "mentions": mentions,
                "count_likes": int(rng.paretovariate(1.2)) - 1,
                "count_replies": int(rng.paretovariate(1.8)) - 1,
                "count_reposts": int(rng.paretovariate(1.6)) - 1,
            }
            if ids and rng.random() < 0.3:
                parent = ids[-rng.randint(1, min(len(ids), 500))]
                record["reply_to"] = parent
                record["thread"] = parent
            if rng.random() < 0.12:
                record["media"] = [
                    f"https://{instance}/media/{remote_id}-{k}.jpg"
                    for k in range(rng.randint(1, 3))
                ]
            if rng.random() < 0.05:
                record["title"] = words[0][:80]
            ids.append(remote_id)
            if len(ids) > 1000:
                del ids[:500]
            line = dumps(record) + "\n"
            size += len(line.encode())
            out.write(line)
    return size, len(used)


# -- the databases ---------------------------------------------------------------------------------


def _server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def _admin(server: str, sql: str) -> None:
    """CREATE/DROP DATABASE on the server's maintenance database (autocommit)."""
    import psycopg

    with psycopg.connect(_server_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


class Database:
    """A migrated template, and a fresh copy of it for each variant."""

    def __init__(self, kind: str, folder: Path, server: str) -> None:
        self.kind, self.folder, self.server = kind, folder, server
        self.template = folder / "template.sqlite3"
        self.file = folder / "bench.sqlite3"

    def url(self, template: bool = False) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.template if template else self.file}"
        return _server_url(self.server, TEMPLATE_DB if template else BENCH_DB)

    def prepare(self) -> None:
        if self.kind == "postgresql":
            self.drop()
            _admin(self.server, f'CREATE DATABASE "{TEMPLATE_DB}"')
        child("migrate", self.url(template=True), [])

    def fresh(self) -> str:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.template, self.file)
        else:
            _admin(self.server, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            _admin(self.server, f'CREATE DATABASE "{BENCH_DB}" TEMPLATE "{TEMPLATE_DB}"')
            # write out what the previous variant left in the WAL, so that no variant pays for
            # another's checkpoint
            _admin(self.server, "CHECKPOINT")
        return self.url()

    def drop(self) -> None:
        if self.kind == "postgresql":
            for name in (BENCH_DB, TEMPLATE_DB):
                _admin(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child(variant: str, url: str, extra: list[str]) -> dict[str, Any]:
    """Run one variant in a new Python process; its last stdout line is its JSON result."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portaat.settings",
        "DEBUG": "false",  # Django would keep every query in memory
    }
    env.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnop")
    env.setdefault("PORTAAT_DATA_DIR", tempfile.mkdtemp(prefix="portaat-bench-ingest-data-"))
    done = subprocess.run(
        [sys.executable, __file__, "--child", variant, *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"variant {variant} failed ({done.returncode})")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# -- the variants, each in its own process -----------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_child(variant: str, path: Path, naive: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    if variant == "migrate":
        call_command("migrate", verbosity=0)
        return {}
    from django.db import connection, transaction

    from portaat.listening import services
    from portaat.listening.models import Post

    if variant == "import":
        before = _rss_mb()
        started = time.perf_counter()
        first = services.import_file(path, "ndjson")
        first_s = time.perf_counter() - started
        first_peak = _peak_mb()
        assert first.ok, first.problems
        started = time.perf_counter()
        second = services.import_file(path, "ndjson")
        second_s = time.perf_counter() - started
        return {
            "rss_before_mb": before,
            "records": first.records,
            "added": first.added,
            "seconds": first_s,
            "peak_mb": first_peak,
            "again_added": second.added,
            "again_updated": second.updated,
            "again_seconds": second_s,
            "again_peak_mb": _peak_mb(),
            "stored": Post.objects.count(),
        }
    if variant == "raw":
        before = _rss_mb()
        source = services.import_source("ndjson", "", None)
        seconds = 0.0
        count = 0
        with transaction.atomic():
            raw = connection.connection  # the driver's own connection, under Django's BEGIN
            for columns, rows in raw_batches(path, source.pk, connection):
                started = time.perf_counter()
                if connection.vendor == "sqlite":
                    marks = ", ".join("?" * len(columns))
                    raw.executemany(
                        f"INSERT INTO listening_post ({', '.join(columns)}) VALUES ({marks})",
                        rows,
                    )
                else:
                    with (
                        raw.cursor() as cursor,
                        cursor.copy(
                            f"COPY listening_post ({', '.join(columns)}) FROM STDIN"  # type: ignore[arg-type]
                        ) as copy,
                    ):
                        for row in rows:
                            copy.write_row(row)
                seconds += time.perf_counter() - started
                count += len(rows)
            started = time.perf_counter()
        seconds += time.perf_counter() - started  # the commit
        return {
            "rss_before_mb": before,
            "added": count,
            "seconds": seconds,
            "peak_mb": _peak_mb(),
            "stored": Post.objects.count(),
        }
    if variant == "naive":
        before = _rss_mb()
        started = time.perf_counter()
        count = naive_import(path, naive)
        return {
            "rss_before_mb": before,
            "added": count,
            "seconds": time.perf_counter() - started,
            "peak_mb": _peak_mb(),
            "stored": Post.objects.count(),
        }
    raise SystemExit(f"unknown variant {variant}")


def raw_batches(path: Path, source_id: int, connection: Any) -> Iterator[tuple[list[str], list]]:  # type: ignore[type-arg]
    """The rows the import stores, as column values, ``BATCH`` at a time (built untimed)."""
    from django.utils import timezone

    from portaat.listening.importers.tabular import NdjsonImporter
    from portaat.listening.ingest import COLUMNS
    from portaat.listening.privacy import normalise_handle, pseudonym_key, pseudonymise

    # the same columns the import writes, in its order (the row tuples below follow it)
    columns = list(COLUMNS)
    adapt = connection.ops.adapt_datetimefield_value
    key = pseudonym_key()
    now = adapt(timezone.now())
    rows = []
    for post in NdjsonImporter().read(path, {}):
        assert not hasattr(post, "code"), post
        handle = normalise_handle(post.author_handle)
        rows.append(
            (
                post.platform,
                post.remote_id,
                source_id,
                post.url,
                pseudonymise(post.platform, handle, key) if handle else "",
                "",
                post.title,
                post.text,
                post.language.lower(),
                adapt(post.created_at),
                now,
                post.reply_to,
                post.thread,
                json.dumps(post.counts),
                json.dumps(post.media_urls),
                json.dumps(post.tags),
                "[]",
                "[]",
            )
        )
        if len(rows) == BATCH:
            yield columns, rows
            rows = []
    if rows:
        yield columns, rows


def naive_import(path: Path, limit: int) -> int:
    """One ``save()`` per post, as a first version of an importer would do it."""
    from django.db import transaction

    from portaat.listening import services
    from portaat.listening.importers.tabular import NdjsonImporter
    from portaat.listening.models import Post
    from portaat.listening.privacy import pseudonymise

    count = 0
    with transaction.atomic():
        source = services.import_source("ndjson", "", None)
        for post in NdjsonImporter().read(path, {}):
            if count == limit:
                break
            assert not hasattr(post, "code"), post
            Post(
                platform=post.platform,
                remote_id=post.remote_id,
                source=source,
                url=post.url,
                author_pseudonym=pseudonymise(post.platform, post.author_handle),
                title=post.title,
                text=post.text,
                language=post.language.lower(),
                created_at=post.created_at,
                reply_to=post.reply_to,
                thread=post.thread,
                counts=post.counts,
                media_urls=post.media_urls,
                tags=post.tags,
            ).save()
            count += 1
    return count


# -- the parent: generate, run, print ------------------------------------------------------------


def measure(db: Database, args: argparse.Namespace, path: Path) -> dict[str, dict[str, Any]]:
    started = time.perf_counter()
    db.prepare()
    print(f"{db.kind}: migrated template in {time.perf_counter() - started:.1f} s", flush=True)
    results: dict[str, list[dict[str, Any]]] = {"import": [], "raw": [], "naive": []}
    extra = ["--file", str(path), "--naive", str(min(args.naive, args.posts))]
    for run in range(args.runs):
        for variant in results:
            result = child(variant, db.fresh(), extra)
            results[variant].append(result)
            print(
                f"  {db.kind} run {run + 1} {variant}: {result['added']:,} posts in "
                f"{result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB",
                flush=True,
            )
    out = {}
    for variant, runs in results.items():
        merged = dict(runs[0])
        merged["rate"] = statistics.median(r["added"] / r["seconds"] for r in runs)
        if variant == "import":
            merged["again_rate"] = statistics.median(
                r["records"] / r["again_seconds"] for r in runs
            )
            merged["again_added"] = max(r["again_added"] for r in runs)
        merged["peak_mb"] = max(r["peak_mb"] for r in runs)
        out[variant] = merged
    return out


def report(kind: str, posts: int, found: dict[str, dict[str, Any]]) -> None:
    imp, raw, naive = found["import"], found["raw"], found["naive"]
    raw_label = "COPY" if kind == "postgresql" else "executemany INSERT"
    rows = [
        (f"raw {raw_label}, precomputed rows (limit)", raw, raw["rate"] / raw["rate"]),
        (f"naive save() per post, {naive['added']:,} posts", naive, naive["rate"] / raw["rate"]),
        ("import_file (real path)", imp, imp["rate"] / raw["rate"]),
    ]
    print(f"\n{kind}, {posts:,} posts")
    print(
        f"{'what':44s} {'posts/s':>9s} {'seconds':>8s} {'of raw':>7s} {'RSS before':>11s}"
        f" {'peak RSS':>9s}"
    )
    for label, result, ratio in rows:
        print(
            f"{label:44s} {result['rate']:9,.0f} {result['seconds']:8.1f} {ratio:7.2f}"
            f" {result['rss_before_mb']:8.0f} MB {result['peak_mb']:6.0f} MB"
        )
    print(
        f"{'import_file again (same file)':44s} {imp['again_rate']:9,.0f}"
        f" {imp['again_seconds']:8.1f} {'':7s} {'':11s} {imp['again_peak_mb']:6.0f} MB"
        f"   added {imp['again_added']}, refreshed {imp['again_updated']}"
    )
    to_raw = imp["rate"] / raw["rate"]
    to_naive = imp["rate"] / naive["rate"]
    goals = [
        (f"import ≥ {RAW_GOAL:.0%} of raw", f"{to_raw:.0%}", to_raw >= RAW_GOAL),
        (f"import ≥ {NAIVE_GOAL}× naive", f"{to_naive:.1f}×", to_naive >= NAIVE_GOAL),
        (
            f"peak RSS ≤ {MEMORY_GOAL_MB} MB",
            f"{max(imp['peak_mb'], imp['again_peak_mb']):.0f} MB",
            max(imp["peak_mb"], imp["again_peak_mb"]) <= MEMORY_GOAL_MB,
        ),
        ("second import adds 0", str(imp["again_added"]), imp["again_added"] == 0),
        ("every post stored once", f"{imp['stored']:,}", imp["stored"] == posts),
    ]
    for label, value, met in goals:
        print(f"  {label:28s} {value:>12s}  {'met' if met else 'NOT MET'}")
    print(
        f"  (the raw insert alone is {raw['rate'] / naive['rate']:.1f}× the naive rate; "
        f"{NAIVE_GOAL}× naive would be {NAIVE_GOAL * naive['rate']:,.0f} posts/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--naive", type=int, default=20_000, help="posts for the naive baseline")
    parser.add_argument("--runs", type=int, default=1, help="runs of each variant (median)")
    parser.add_argument("--seed", type=int, default=20260601)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.file, args.naive)))
        return

    server = os.environ.get("DATABASE_URL", "")
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in kinds and not server.startswith(("postgres://", "postgresql://")):
        if args.db == "postgresql":
            raise SystemExit("--db postgresql needs DATABASE_URL=postgresql://… (a server)")
        print("PostgreSQL skipped: DATABASE_URL names no PostgreSQL server")
        kinds.remove("postgresql")
    folder = Path(tempfile.mkdtemp(prefix="portaat-bench-ingest-"))
    os.environ["PORTAAT_DATA_DIR"] = str(folder / "data")
    (folder / "data" / "static").mkdir(parents=True)
    try:
        path = folder / "posts.ndjson"
        started = time.perf_counter()
        size, authors = generate(path, args.posts, args.seed)
        print(
            f"generated {args.posts:,} posts, {size / 1e6:.0f} MB "
            f"({size / args.posts:.0f} B a line), {authors:,} authors, "
            f"in {time.perf_counter() - started:.0f} s; runs={args.runs}",
            flush=True,
        )
        found = {}
        for kind in kinds:
            db = Database(kind, folder, server)
            try:
                found[kind] = measure(db, args, path)
            finally:
                db.drop()
        for kind, results in found.items():
            report(kind, args.posts, results)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
