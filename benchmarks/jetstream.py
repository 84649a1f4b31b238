"""Benchmark: the Jetstream filter over a synthetic capture of 300,000 events.

The capture is generated in memory (nothing is downloaded) in Jetstream's own serialisation:
compact JSON, ``did``/``time_us``/``kind`` first, records with sorted keys. Since the client
subscribes with ``wantedCollections=app.bsky.feed.post``, the stream is posts (about 93 %, in
many languages, a third of them replies, with facets and embeds as real posts have them), post
deletions (about 5 %) and identity/account events (about 2 %), from 500,000 accounts whose
activity is skewed (a few post a lot); 1,000 of them are followed.

Two streams are replayed through ``JetstreamFilter.process``, the very function the WebSocket
client calls per message:

- *client-side*: every account's posts, as when more than 10,000 DIDs are followed and Jetstream
  cannot filter for us; nearly every event is rejected by the cheap check;
- *server-side*: only followed accounts' events, as Jetstream sends them with ``wantedDids``;
  every event is parsed and the Finnish and Swedish posts are mapped to ``RemotePost``.

Baseline in the same run: a bare ``json.loads`` over the same lines, so the ratio says what the
filter costs (or saves) against merely parsing each message. Rates are the median of ``--runs``.

    .venv/bin/python benchmarks/jetstream.py
    .venv/bin/python benchmarks/jetstream.py --events 100000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portaat.listening.connectors.bluesky.jetstream import JetstreamFilter

GOAL = 20_000  # events per second
B32 = "abcdefghijklmnopqrstuvwxyz234567"
POST = "app.bsky.feed.post"

# (langs, weight): the network at large, and the followed Finnish civic accounts
LANGS_ALL = [
    (["en"], 42),
    (["ja"], 18),
    (["pt"], 10),
    (["de"], 4),
    (["es"], 4),
    (["fr"], 3),
    (["ko"], 3),
    (["nl"], 2),
    (["fi"], 2),
    (["sv"], 1),
    (None, 6),
    (["en", "fi"], 1),
    (["pt", "en"], 4),
]
LANGS_FOLLOWED = [
    (["fi"], 58),
    (["sv"], 12),
    (["sv-FI"], 3),
    (["en"], 14),
    (["fi", "en"], 6),
    (None, 7),
]
WORDS = {
    "fi": [
        "kaupunginosa",
        "raitiovaunu",
        "puisto",
        "yhteisöpuutarha",
        "asukasilta",
        "kirjasto",
        "talkoot",
        "palsta",
        "Kallio",
        "Vallila",
        "Hakaniemi",
        "Kumpula",
        "lähiö",
        "pyörätie",
        "liikenne",
        "korjaamo",
        "kevät",
        "tervetuloa",
    ],
    "sv": [
        "stadsdel",
        "spårvagn",
        "park",
        "gemenskapsträdgård",
        "invånarmöte",
        "bibliotek",
        "talko",
        "Berghäll",
        "Hagnäs",
        "Tölö",
        "cykelväg",
        "välkommen",
        "vår",
    ],
    "en": [
        "the",
        "city",
        "park",
        "tonight",
        "stream",
        "community",
        "garden",
        "new",
        "post",
        "thread",
        "photo",
        "music",
        "game",
        "weekend",
        "coffee",
        "vote",
        "news",
    ],
    "ja": ["今日", "桜", "猫", "写真", "ゲーム", "音楽", "東京", "ありがとう", "新しい", "配信"],
}


def tid(rng: random.Random) -> str:
    return "3l" + "".join(rng.choices(B32, k=11))


def cid(rng: random.Random, prefix: str = "bafyrei") -> str:
    return prefix + "".join(rng.choices(B32, k=52))


def text_for(rng: random.Random, langs: list[str] | None) -> str:
    words = WORDS.get((langs or ["en"])[0].partition("-")[0], WORDS["en"])
    return " ".join(rng.choices(words, k=rng.randint(4, 40)))[:300]


def iso(time_us: int) -> str:
    moment = datetime.fromtimestamp(time_us / 1e6, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time_us // 1000 % 1000:03d}Z"


def record(
    rng: random.Random, did: str, langs: list[str] | None, time_us: int
) -> dict[str, object]:
    text = text_for(rng, langs)
    body: dict[str, object] = {"$type": POST, "createdAt": iso(time_us - 350_000), "text": text}
    if langs:
        body["langs"] = langs
    if rng.random() < 0.35:
        parent = {"cid": cid(rng), "uri": f"at://{did}/{POST}/{tid(rng)}"}
        body["reply"] = {"parent": parent, "root": parent if rng.random() < 0.6 else dict(parent)}
    if rng.random() < 0.2:
        body["facets"] = [
            {
                "features": [
                    {"$type": "app.bsky.richtext.facet#tag", "tag": rng.choice(text.split())}
                ],
                "index": {"byteEnd": 9, "byteStart": 0},
            },
            {
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                "index": {"byteEnd": 30, "byteStart": 12},
            },
        ]
    roll = rng.random()
    if roll < 0.15:
        images = [
            {
                "alt": "",
                "aspectRatio": {"height": 1536, "width": 2048},
                "image": {
                    "$type": "blob",
                    "ref": {"$link": cid(rng, "bafkrei")},
                    "mimeType": "image/jpeg",
                    "size": rng.randint(50_000, 900_000),
                },
            }
            for _ in range(rng.randint(1, 4))
        ]
        body["embed"] = {"$type": "app.bsky.embed.images", "images": images}
    elif roll < 0.23:
        body["embed"] = {
            "$type": "app.bsky.embed.external",
            "external": {
                "description": text[:80],
                "title": text[:40],
                "uri": f"https://example.org/{tid(rng)}",
            },
        }
    elif roll < 0.28:
        quoted = {"cid": cid(rng), "uri": f"at://{did}/{POST}/{tid(rng)}"}
        body["embed"] = {"$type": "app.bsky.embed.record", "record": quoted}
    return dict(sorted(body.items()))


def capture(
    rng: random.Random, events: int, authors: list[str], followed: list[str], only_followed: bool
) -> list[str]:
    """``events`` lines of Jetstream JSON; ``only_followed`` as Jetstream sends with wantedDids."""
    followed_set = set(followed)
    lines: list[str] = []
    time_us = 1_741_957_200_000_000
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    seq = 7_531_249_000
    for _ in range(events):
        time_us += rng.randint(50, 400)
        seq += 1
        if only_followed:
            did = rng.choice(followed)
        else:  # skewed activity: low indices post a lot
            did = authors[int(len(authors) * rng.random() ** 3)]
        roll = rng.random()
        event: dict[str, object] = {"did": did, "time_us": time_us}
        if roll < 0.01:
            event["kind"] = "identity"
            event["identity"] = {"did": did, "handle": f"u{seq}.bsky.social", "seq": seq}
            event["identity"]["time"] = iso(time_us - 200_000)  # type: ignore[index]
        elif roll < 0.02:
            event["kind"] = "account"
            event["account"] = {"active": True, "did": did, "seq": seq, "time": iso(time_us)}
        elif roll < 0.07:
            event["kind"] = "commit"
            event["commit"] = {
                "rev": tid(rng),
                "operation": "delete",
                "collection": POST,
                "rkey": tid(rng),
            }
        else:
            table = LANGS_FOLLOWED if did in followed_set else LANGS_ALL
            langs = rng.choices([t[0] for t in table], [t[1] for t in table])[0]
            event["kind"] = "commit"
            event["commit"] = {
                "rev": tid(rng),
                "operation": "create",
                "collection": POST,
                "rkey": tid(rng),
                "record": record(rng, did, langs, time_us),
                "cid": cid(rng),
            }
        lines.append(dumps(event).replace("&", "\\u0026"))
    return lines


class _Counting(JetstreamFilter):
    """Counts the messages that needed a full parse (not used for the timings)."""

    parsed = 0

    def process_parsed(self, message: str | bytes) -> object:  # type: ignore[override]
        self.parsed += 1
        return super().process_parsed(message)


def rate(run: Callable[[], object], events: int, runs: int) -> float:
    """Median events per second over ``runs`` runs."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append(events / (time.perf_counter() - start))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--accounts", type=int, default=500_000)
    parser.add_argument("--followed", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20250314)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    started = time.perf_counter()
    authors = ["did:plc:" + "".join(rng.choices(B32, k=24)) for _ in range(args.accounts)]
    followed = rng.sample(authors, args.followed)
    streams = {
        "client-side (all accounts)": capture(rng, args.events, authors, followed, False),
        "server-side (wantedDids)": capture(rng, args.events, authors, followed, True),
    }
    built = time.perf_counter() - started
    size = sum(len(line.encode()) for line in streams["client-side (all accounts)"])
    print(
        f"events={args.events:,} per stream, accounts={args.accounts:,}, "
        f"followed={args.followed:,}, runs={args.runs} (median), "
        f"mean event {size / args.events:.0f} B, built in {built:.1f} s"
    )
    print(
        f"{'stream':28s} {'json.loads/s':>13s} {'filter/s':>11s} {'ratio':>6s}"
        f" {'kept':>7s} {'deleted':>8s} {'parsed':>7s}  goal {GOAL:,}/s"
    )
    for label, lines in streams.items():

        def bare(lines: list[str] = lines) -> None:
            loads = json.loads
            for line in lines:
                loads(line)

        def filtered(lines: list[str] = lines) -> None:
            process = JetstreamFilter(followed).process  # a fresh filter per run
            for line in lines:
                process(line)

        baseline = rate(bare, len(lines), args.runs)
        measured = rate(filtered, len(lines), args.runs)
        probe = _Counting(followed)
        for line in lines:
            probe.process(line)
        parsed = probe.parsed
        print(
            f"{label:28s} {baseline:13,.0f} {measured:11,.0f} {measured / baseline:5.2f}x"
            f" {probe.kept / len(lines):7.2%} {probe.deletions / len(lines):8.2%}"
            f" {parsed / len(lines):7.1%}  {'met' if measured >= GOAL else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
