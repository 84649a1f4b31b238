"""4CAT data sets: CSV exports and NDJSON files of several data sources."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portaat.listening.importers import importer_for
from portaat.listening.importers.base import Problem, RemotePost
from portaat.listening.importers.fourcat import FourCatImporter, platform_key

FIXTURES = Path(__file__).resolve().parents[3] / "portaat/listening/importers/fixtures"


def read(path: Path, **options: Any) -> tuple[list[RemotePost], list[Problem]]:
    posts: list[RemotePost] = []
    problems: list[Problem] = []
    for item in FourCatImporter().read(path, options):
        (problems if isinstance(item, Problem) else posts).append(item)
    return posts, problems


def codes(problems: list[Problem]) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.code, p.detail) for p in problems]


def ndjson(tmp_path: Path, *items: Any) -> Path:
    path = tmp_path / "dataset.ndjson"
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def test_reddit_csv_export() -> None:
    posts, problems = read(FIXTURES / "4cat_reddit.csv")
    assert problems == []
    thread, comment, reply, link, swedish = posts
    assert thread.platform == "reddit"  # recognised by the data source's columns
    assert thread.remote_id == "1cf3k2a"
    assert thread.title == "Ratikka 9 Pasilassa taas myöhässä"
    assert thread.text.startswith("Onko muillakin ollut ongelmia ysin kanssa Pasilan asemalla?")
    assert thread.created_at == datetime(2024, 4, 28, 9, 15, 2, tzinfo=UTC)
    assert thread.author_handle == "kallio_dweller"
    assert thread.url.startswith("https://www.reddit.com/r/Helsinki/comments/1cf3k2a/")
    assert (thread.thread, thread.reply_to) == ("", "")
    assert thread.groups == ["Helsinki"]
    assert thread.counts == {"score": 42}
    # comments: parents are fullnames, the thread is the submission
    assert (comment.reply_to, comment.thread) == ("1cf3k2a", "1cf3k2a")
    assert comment.text == (
        "Sama täällä. HSL:n häiriötiedotteissa luki että syynä on ratatyöt Ilmalassa,\n"
        "mutta sitä ei kerrottu pysäkillä."
    )
    assert comment.url == "https://www.reddit.com/r/Helsinki/comments/1cf3k2a/_/l1q2w3e/"
    assert (reply.reply_to, reply.thread) == ("l1q2w3e", "1cf3k2a")
    # a link submission: the link is an attachment, the URL the thread's page
    assert link.text == ""
    assert link.url == "https://www.reddit.com/r/Helsinki/comments/1cg8x1m/"
    assert link.media_urls == [
        "https://www.hel.fi/fi/kulttuuri-ja-vapaa-aika/ulkoilu-puistot-ja-luontokohteet/viljelypalstat"
    ]
    assert swedish.text.startswith("Finns det lediga lotter i Brändö")


def test_telegram_csv_and_ndjson_agree() -> None:
    from_csv, problems_csv = read(FIXTURES / "4cat_telegram.csv")
    from_ndjson, problems_ndjson = read(FIXTURES / "4cat_telegram.ndjson")
    assert problems_csv == problems_ndjson == []
    # message ids count per chat, so they carry the chat
    ids = ["kalliontiedotteet/4512", "kalliontiedotteet/4513", "kalliontiedotteet/4519"]
    assert [p.remote_id for p in from_csv] == [p.remote_id for p in from_ndjson] == ids
    for a, b in zip(from_csv, from_ndjson, strict=True):
        assert (a.text, a.created_at, a.author_handle, a.url, a.reply_to, a.groups) == (
            b.text,
            b.created_at,
            b.author_handle,
            b.url,
            b.reply_to,
            b.groups,
        )
        assert a.platform == b.platform == "telegram"
    update = from_ndjson[2]
    assert update.reply_to == "kalliontiedotteet/4513"
    assert update.url == "https://t.me/kalliontiedotteet/4519"
    assert update.author_handle == "1436275819"  # the channel's id, not its changeable name
    assert update.thread == ""
    assert update.groups == ["kalliontiedotteet"]
    assert from_ndjson[0].counts == {"views": 1873, "reposts": 12, "replies": 4}
    assert from_csv[0].counts == {"views": 1873}
    assert from_ndjson[0].tags == ["kirjasto"]
    assert from_ndjson[0].created_at == datetime(2024, 5, 3, 6, 0, 12, tzinfo=UTC)


def test_tiktok_ndjson_from_zeeschuimer() -> None:
    posts, problems = read(FIXTURES / "4cat_tiktok.ndjson")
    assert problems == []
    picnic, bikes = posts
    assert picnic.platform == "tiktok"
    assert picnic.remote_id == "7364501234567890123"
    assert picnic.text.startswith("Vappupiknik Kaivopuistossa 🎈")
    assert picnic.created_at == datetime(2024, 5, 1, 11, 0, tzinfo=UTC)
    assert picnic.author_handle == "6890123456789012345"
    assert picnic.url == "https://www.tiktok.com/@stadinsiivoojat/video/7364501234567890123"
    assert picnic.tags == ["vappu", "helsinki", "kaivopuisto"]
    assert picnic.counts == {"likes": 1532, "replies": 87, "reposts": 41, "views": 28110}
    assert bikes.created_at == datetime(2024, 5, 2, 7, 0, tzinfo=UTC)  # createTime as a string
    assert bikes.tags == ["hämeentie", "pyöräily"]


def test_instagram_ndjson_in_both_forms() -> None:
    posts, problems = read(FIXTURES / "4cat_instagram.ndjson")
    assert problems == []
    item_list, graph = posts
    assert item_list.platform == graph.platform == "instagram"
    assert item_list.remote_id == "C6aBcDeFgHi"
    assert item_list.url == "https://www.instagram.com/p/C6aBcDeFgHi/"
    assert item_list.author_handle == "vallilanpalstat"
    assert item_list.created_at == datetime(2024, 5, 5, 10, 20, tzinfo=UTC)
    assert item_list.tags == ["kaupunkiviljely", "vallila"]
    assert item_list.counts == {"likes": 214, "replies": 11}
    assert item_list.media_urls[0].startswith("https://scontent-hel3-1.cdninstagram.com/")
    assert graph.remote_id == "C6ZzYxWvUtS"
    assert graph.text.startswith("Kumpulan kartanon palstoilla")
    assert graph.author_handle == "kumpulanviljelijat"
    assert graph.counts == {"likes": 96, "replies": 4}


def test_x_ndjson_from_zeeschuimer() -> None:
    posts, problems = read(FIXTURES / "4cat_x.ndjson")
    assert problems == []
    question, answer = posts
    assert question.platform == "twitter"
    assert question.remote_id == "1786543210987654321"
    assert question.created_at == datetime(2024, 5, 3, 5, 12, 44, tzinfo=UTC)
    assert question.url == "https://x.com/espoon_arki/status/1786543210987654321"
    assert question.author_handle == "987654321"
    assert question.language == "fi"
    assert question.tags == ["hsl", "länsimetro"]
    assert question.media_urls == ["https://pbs.twimg.com/media/GMabcDEFxyz.jpg"]
    assert question.counts == {"likes": 23, "replies": 6, "reposts": 4, "quotes": 1, "views": 4120}
    assert (question.thread, question.reply_to) == ("", "")
    assert (answer.reply_to, answer.thread) == ("1786543210987654321", "1786543210987654321")
    assert answer.mentions == ["espoon_arki"]


def test_zeeschuimer_envelope_is_unwrapped(tmp_path: Path) -> None:
    item = json.loads((FIXTURES / "4cat_tiktok.ndjson").read_text().splitlines()[0])
    meta = item.pop("__import_meta")
    envelope = {**meta, "data": item}
    posts, problems = read(ndjson(tmp_path, envelope))
    assert problems == []
    assert posts[0].remote_id == "7364501234567890123"
    assert posts[0].platform == "tiktok"


def test_platform_from_column_then_options(tmp_path: Path) -> None:
    path = tmp_path / "custom.csv"
    path.write_text(
        "id,thread_id,timestamp,body,author,datasource\n"
        "a1,a1,2024-05-01 10:00:00,Kumpulan maauimala aukeaa #uimala,kumpula,bsky\n"
        "a2,a1,2024-05-01 11:00:00,Hienoa!,naapuri,\n",
        encoding="utf-8",
    )
    posts, problems = read(path, platform="mastodon")
    assert problems == []
    assert [p.platform for p in posts] == ["bluesky", "mastodon"]
    # naive 4CAT times are UTC; hashtags from the text when there is no hashtags column
    assert posts[0].created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert posts[0].tags == ["uimala"]
    assert posts[1].thread == "a1"
    assert read(path)[0][1].platform == ""  # nobody says: the source's


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("twitter-import", "twitter"),
        ("x.com", "twitter"),
        ("bsky", "bluesky"),
        ("tiktok.com", "tiktok"),
        ("www.instagram.com", "instagram"),
        ("telegram", "telegram"),
        ("reddit", "reddit"),
        ("threads.net", "threads"),
        ("", ""),
        (None, ""),
    ],
)
def test_platform_names(name: Any, key: str) -> None:
    assert platform_key(name) == key


def test_bad_items_among_good_ones(tmp_path: Path) -> None:
    lines = (FIXTURES / "4cat_tiktok.ndjson").read_text().splitlines()
    good = json.loads(lines[0])
    no_time = {k: v for k, v in good.items() if k != "createTime"}
    no_time["desc"] = good["desc"]
    linkedin = {
        "urn": "urn:li:activity:7191234567890123456",
        "commentary": {"text": {"text": "Rekrytoimme"}},
        "__import_meta": {"source_platform": "linkedin.com", "item_id": "x"},
    }
    path = tmp_path / "mixed.ndjson"
    path.write_text(
        "\n".join(
            [
                lines[0],  # 1
                json.dumps({**good, "createTime": "eilen"}),  # 2 bad value
                json.dumps(linkedin),  # 3 a platform we do not read
                "{broken",  # 4
                json.dumps({"id": "f1", "body": "Litteä", "timestamp": "not a time"}),  # 5
                json.dumps({"id": "", "body": "x", "unix_timestamp": 1714566600}),  # 6
                lines[1],  # 7
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    posts, problems = read(path)
    assert [p.remote_id for p in posts] == ["7364501234567890123", "7364809876543210987"]
    assert codes(problems) == [
        (2, "bad_value", "tiktok"),
        (3, "unknown_format", "linkedin"),
        (4, "not_json", ""),
        (5, "bad_time", "timestamp"),
        (6, "missing_field", "id"),
    ]


def test_a_known_shape_missing_a_needed_key(tmp_path: Path) -> None:
    item = json.loads((FIXTURES / "4cat_x.ndjson").read_text().splitlines()[0])
    del item["legacy"]["full_text"]
    posts, problems = read(ndjson(tmp_path, item))
    assert posts == []
    assert codes(problems) == [(1, "missing_field", "full_text")]


def test_csv_bad_rows_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "id,timestamp,body,author\n"
        "1,2024-05-01 10:00:00,Hyvä,a\n"
        ",2024-05-01 10:00:00,Ei tunnistetta,b\n"
        "3,,Ei aikaa,c\n"
        "4,toissapäivänä,Huono aika,d\n"
        "5,2024-05-01 10:00:00,Liikaa,sarakkeita,e\n",
        encoding="utf-8",
    )
    posts, problems = read(path)
    assert [p.remote_id for p in posts] == ["1"]
    assert codes(problems) == [
        (3, "missing_field", "id"),
        (4, "missing_field", "timestamp"),
        (5, "bad_time", "timestamp"),
        (6, "not_csv", "5/4"),
    ]
    path.write_text("id,date,text\n1,2024-05-01,x\n", encoding="utf-8")
    assert codes(read(path)[1]) == [(1, "missing_column", "body")]
    path.write_text("id,date,body\n1,2024-05-01,x\n", encoding="utf-8")
    assert codes(read(path)[1]) == [(1, "missing_column", "timestamp")]


def test_counts_that_are_no_numbers_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(
        "id,timestamp,body,num_likes,num_comments,views\n1,2024-05-01 10:00:00,x,-1,monta,12.0\n",
        encoding="utf-8",
    )
    posts, problems = read(path)
    assert problems == []
    assert posts[0].counts == {"views": 12}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", (None, "empty", "")),
        (bytes(range(256)) * 8, (None, "not_csv", "binary")),
        (b"<!doctype html><html><body>4CAT</body></html>", (None, "not_csv", "html")),
        (b"PK\x03\x04\x14\x00\x08\x08" + b"\x00" * 40, (None, "not_csv", "zip")),
        (b"id,timestamp,body\n1,2024-05-01,K\xe4ll\xf6\n", None),
        (b'{\n  "group_posts_v2": []\n}\n', (1, "not_json", "")),  # a Facebook file
        (b"[1, 2]\n", (1, "missing_column", "id")),
        (b"\xef\xbb\xbf" + b'"just","a","table"\n1,2,3\n', (1, "missing_column", "id")),
    ],
)
def test_wrong_files_give_one_problem(
    tmp_path: Path, content: bytes, expected: tuple[Any, ...] | None
) -> None:
    path = tmp_path / "dataset.csv"
    path.write_bytes(content)
    posts, problems = read(path)
    assert posts == []
    if expected is None:  # Latin-1 inside a UTF-8 4CAT export: that row, not the file
        assert codes(problems) == [(2, "not_utf8", "")]
    else:
        assert codes(problems) == [expected]


def test_reading_twice_gives_the_same_ids() -> None:
    for name in ("4cat_reddit.csv", "4cat_telegram.ndjson", "4cat_x.ndjson"):
        first = [p.remote_id for p in read(FIXTURES / name)[0]]
        assert first == [p.remote_id for p in read(FIXTURES / name)[0]]
        assert len(set(first)) == len(first)


def test_registry() -> None:
    assert isinstance(importer_for("4cat"), FourCatImporter)
