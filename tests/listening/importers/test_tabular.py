"""The generic CSV and NDJSON importers: mapping, times, encodings, and every Problem code."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portaat.listening.importers import IMPORTERS, importer_for
from portaat.listening.importers import base as importer_base
from portaat.listening.importers.base import Problem, RemotePost
from portaat.listening.importers.tabular import CsvImporter, NdjsonImporter

FIXTURES = Path(__file__).resolve().parents[3] / "portaat/listening/importers/fixtures"

EXCEL_MAPPING = {
    "id": "Tunniste",
    "text": "Teksti",
    "created": "Aika",
    "url": "Linkki",
    "author": "Kirjoittaja",
    "title": "Otsikko",
    "language": "Kieli",
    "reply_to": "Vastaus",
    "thread": "Ketju",
    "platform": "Alusta",
    "tags": "Aihetunnisteet",
    "media": "Kuvat",
    "count_likes": "Tykkäykset",
    "count_replies": "Kommentit",
}


def read(importer: Any, path: Path, **options: Any) -> tuple[list[RemotePost], list[Problem]]:
    posts: list[RemotePost] = []
    problems: list[Problem] = []
    for item in importer.read(path, options):
        (problems if isinstance(item, Problem) else posts).append(item)
    return posts, problems


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def codes(problems: list[Problem]) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.code, p.detail) for p in problems]


def test_registry_loads_both_formats() -> None:
    assert IMPORTERS["csv"].endswith(":CsvImporter")
    assert isinstance(importer_for("csv"), CsvImporter)
    assert isinstance(importer_for("ndjson"), NdjsonImporter)
    with pytest.raises(KeyError):
        importer_for("xlsx")


# -- CSV ---------------------------------------------------------------------------------------


def test_csv_maps_every_field_of_a_finnish_excel_export() -> None:
    posts, problems = read(CsvImporter(), FIXTURES / "tabular_excel_fi.csv", mapping=EXCEL_MAPPING)
    assert problems == []
    assert [p.remote_id for p in posts] == ["kp-1001", "kp-1002", "kp-1003"]
    first, second, third = posts
    assert first.text == ("Puistokummien kevätsiivous Sinebrychoffin puistossa, tervetuloa mukaan!")
    # naive local time: 10:00 in Helsinki in May (UTC+3)
    assert first.created_at == datetime(2024, 5, 4, 7, 0, tzinfo=UTC)
    assert first.url == "https://kaupunkipalaute.example/kp-1001"
    assert first.author_handle == "puistokummi_anna"
    assert first.title == "Kevätsiivous"
    assert first.language == "fi"
    assert first.platform == "forum"
    assert first.tags == ["puistot", "talkoot"]
    assert first.media_urls == [
        "https://kuvat.example/kp-1001a.jpg",
        "https://kuvat.example/kp-1001b.jpg",
    ]
    assert first.counts == {"likes": 12, "replies": 3}
    assert (first.reply_to, first.thread) == ("", "")
    assert (second.reply_to, second.thread) == ("kp-1001", "kp-1001")
    assert second.created_at == datetime(2024, 5, 4, 8, 15, 30, tzinfo=UTC)
    # a quoted newline stays in the text; an explicit offset is kept; a JSON list of tags
    assert third.text == "Ja, säckar och handskar finns vid ingången.\r\nVälkomna!"
    assert third.created_at == datetime(2024, 5, 4, 9, 5, tzinfo=UTC)
    assert third.tags == ["talkoot"]
    assert third.counts == {"likes": 4}  # an empty count cell is no count


def test_csv_default_mapping_reads_same_named_columns_and_count_columns(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "posts.csv",
        "id,text,created,author,count_likes,count_reposts,extra\n"
        "1,Hakaniemen tori avautuu,2024-06-01T06:00:00Z,torikauppias,5,1,x\n",
    )
    posts, problems = read(CsvImporter(), path)
    assert problems == []
    assert posts[0].author_handle == "torikauppias"
    assert posts[0].counts == {"likes": 5, "reposts": 1}
    assert posts[0].created_at == datetime(2024, 6, 1, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    lines = [
        ["id", "text", "created"],
        ["a1", "Kirjasto Oodi, Töölönlahti; avoinna", "2024-05-01 12:00"],
        ["a2", "Kesäkadut kävelykaduiksi", "2024-05-02 12:00"],
    ]
    content = "\n".join(
        delimiter.join(f'"{c}"' if "," in c or ";" in c else c for c in row) for row in lines
    )
    posts, problems = read(CsvImporter(), write(tmp_path, "d.csv", content + "\n"))
    assert problems == []
    assert [p.text for p in posts] == [
        "Kirjasto Oodi, Töölönlahti; avoinna",
        "Kesäkadut kävelykaduiksi",
    ]


def test_csv_delimiter_can_be_given(tmp_path: Path) -> None:
    path = write(tmp_path, "pipe.csv", "id|text|created\n1|Kallio|1714566600\n")
    posts, problems = read(CsvImporter(), path, delimiter="|")
    assert problems == []
    assert posts[0].created_at == datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def test_cp1252_is_read_only_when_asked() -> None:
    path = FIXTURES / "tabular_cp1252.csv"
    posts, problems = read(CsvImporter(), path)
    assert posts == []
    assert codes(problems) == [(2, "not_utf8", ""), (3, "not_utf8", "")]
    posts, problems = read(CsvImporter(), path, encoding="cp1252")
    assert problems == []
    assert [p.text for p in posts] == [
        "Äänestyspaikka Töölön kirjastossa",
        "Ehdokkaiden vaalipaneeli – Kallion lukio",
    ]
    posts, problems = read(CsvImporter(), path, encoding="latin-1")
    assert posts[0].text == "Äänestyspaikka Töölön kirjastossa"


def test_a_missing_mapped_column_stops_the_file() -> None:
    mapping = {**EXCEL_MAPPING, "language": "Kielikoodi"}
    posts, problems = read(CsvImporter(), FIXTURES / "tabular_excel_fi.csv", mapping=mapping)
    assert posts == []
    assert codes(problems) == [(1, "missing_column", "Kielikoodi")]


def test_a_missing_default_required_column_stops_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "no_time.csv", "id,text\n1,Ei aikaa\n")
    assert codes(read(CsvImporter(), path)[1]) == [(1, "missing_column", "created")]


def test_bad_rows_among_good_ones_each_get_their_line(tmp_path: Path) -> None:
    content = (
        b"id,text,created,count_likes\n"  # 1
        b"1,Hyv\xc3\xa4 rivi,2024-05-01 12:00,1\n"  # 2
        b",Ei tunnistetta,2024-05-01 12:00,1\n"  # 3 missing id
        b"3,Huono aika,eilen illalla,1\n"  # 4 bad time
        b'4,"Monirivinen\nteksti",2024-05-01 12:00,2\n'  # 5-6 good
        b"5,Huono luku,2024-05-01 12:00,paljon\n"  # 7 bad count
        b"6,Liikaa,sarakkeita,2024-05-01 12:00,1\n"  # 8 ragged
        b"7,Latin-1 \xe4,2024-05-01 12:00,1\n"  # 9 not UTF-8
        b"\n"  # 10 blank: skipped
        b"8,Ei aikaa,,1\n"  # 11 empty time
        b"9,Viimeinen hyv\xc3\xa4,1714566600,3\n"  # 12
    )
    posts, problems = read(CsvImporter(), write(tmp_path, "mixed.csv", content))
    assert [p.remote_id for p in posts] == ["1", "4", "9"]
    assert posts[1].text == "Monirivinen\nteksti"
    assert codes(problems) == [
        (3, "missing_field", "id"),
        (4, "bad_time", "created"),
        (7, "bad_value", "count_likes"),
        (8, "not_csv", "5/4"),
        (9, "not_utf8", ""),
        (11, "missing_field", "created"),
    ]


def test_times_in_every_accepted_spelling(tmp_path: Path) -> None:
    rows = [
        ("2024-01-15T10:00:00Z", datetime(2024, 1, 15, 10, 0, tzinfo=UTC)),
        ("2024-01-15T10:00:00+02:00", datetime(2024, 1, 15, 8, 0, tzinfo=UTC)),
        ("2024-01-15 10:00", datetime(2024, 1, 15, 8, 0, tzinfo=UTC)),  # winter: UTC+2
        ("2024-07-15 10:00:30", datetime(2024, 7, 15, 7, 0, 30, tzinfo=UTC)),  # summer: +3
        ("2024-07-15", datetime(2024, 7, 14, 21, 0, tzinfo=UTC)),
        ("1705312800", datetime(2024, 1, 15, 10, 0, tzinfo=UTC)),
        ("1705312800.5", datetime(2024, 1, 15, 10, 0, 0, 500000, tzinfo=UTC)),
        ("1705312800000", datetime(2024, 1, 15, 10, 0, tzinfo=UTC)),  # milliseconds
    ]
    content = "id,text,created\n" + "".join(f"{i},t,{v}\n" for i, (v, _) in enumerate(rows))
    posts, problems = read(CsvImporter(), write(tmp_path, "times.csv", content))
    assert problems == []
    assert [p.created_at for p in posts] == [expected for _, expected in rows]
    assert all(p.created_at.tzinfo is UTC for p in posts)


def test_list_cells_in_every_accepted_spelling(tmp_path: Path) -> None:
    content = (
        "id,text,created,tags,media\n"
        '1,t,2024-05-01,"#HSL #Ratikka, pasila","https://a.example/1.jpg,https://a.example/2.jpg"\n'
        '2,t,2024-05-01,"[""Kallio"", ""#Vappu""]","[""https://a.example/3.jpg""]"\n'
        "3,t,2024-05-01,,\n"
    )
    posts, _ = read(CsvImporter(), write(tmp_path, "lists.csv", content))
    assert [p.tags for p in posts] == [["hsl", "ratikka", "pasila"], ["kallio", "vappu"], []]
    assert [p.media_urls for p in posts] == [
        ["https://a.example/1.jpg", "https://a.example/2.jpg"],
        ["https://a.example/3.jpg"],
        [],
    ]


def test_csv_field_over_the_limit_is_too_long(tmp_path: Path) -> None:
    content = "id,text,created\n1," + "a" * 5000 + ",2024-05-01\n2,lyhyt,2024-05-01\n"
    old = csv.field_size_limit(1000)
    try:
        posts, problems = read(CsvImporter(), write(tmp_path, "long.csv", content))
    finally:
        csv.field_size_limit(old)
    assert [p.remote_id for p in posts] == ["2"]
    assert codes(problems) == [(2, "too_long", "")]


def test_csv_line_over_the_limit_is_too_long(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(importer_base, "MAX_LINE", 200)
    content = "id,text,created\n1," + "b" * 500 + ",2024-05-01\n2,lyhyt,2024-05-01\n"
    posts, problems = read(CsvImporter(), write(tmp_path, "line.csv", content))
    assert [p.remote_id for p in posts] == ["2"]
    assert codes(problems) == [(2, "too_long", "")]


# -- NDJSON ------------------------------------------------------------------------------------

NDJSON_MAPPING = {
    "id": "post_id",
    "text": "body",
    "created": "time",
    "url": "link",
    "author": "user.name",
    "title": "subject",
    "language": "user.lang",
    "reply_to": "parent",
    "thread": "topic",
    "platform": "network",
    "tags": "labels",
    "media": "images",
    "count_likes": "stats.likes",
    "count_replies": "stats.replies",
}


def test_ndjson_maps_every_field_with_nested_keys() -> None:
    posts, problems = read(
        NdjsonImporter(), FIXTURES / "tabular_posts.ndjson", mapping=NDJSON_MAPPING
    )
    assert problems == []  # the blank line 2 is skipped
    first, second = posts
    assert first.remote_id == "880001"
    assert first.text == "Lasten liikennepuisto Kivikossa aukeaa 15.5."
    assert first.created_at == datetime(2024, 5, 13, 10, 0, tzinfo=UTC)
    assert first.url == "https://foorumi.example/t/880001"
    assert first.author_handle == "itakeskus_isa"
    assert first.title == "Liikennepuisto aukeaa"
    assert first.language == "fi"
    assert first.reply_to == ""  # null
    assert first.thread == "880001"
    assert first.platform == "discourse"
    assert first.tags == ["liikennepuisto", "kivikko"]
    assert first.media_urls == ["https://foorumi.example/uploads/kivikko.jpg"]
    assert first.counts == {"likes": 8, "replies": 2}
    assert second.reply_to == "880001"
    assert second.created_at == datetime(2024, 5, 13, 14, 2, 11, tzinfo=UTC)
    assert second.counts == {"likes": 3, "replies": 0}


def test_ndjson_default_mapping_and_count_keys(tmp_path: Path) -> None:
    lines = [
        {"id": "m1", "text": "Töölönlahden puisto", "created": 1714566600, "count_likes": 4},
        {"id": "m2", "text": "Ei tykkäyksiä", "created": "2024-05-01 15:30"},
    ]
    path = write(tmp_path, "d.ndjson", "".join(json.dumps(line) + "\n" for line in lines))
    posts, problems = read(NdjsonImporter(), path)
    assert problems == []
    assert [p.counts for p in posts] == [{"likes": 4}, {}]
    assert posts[1].created_at == datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def test_ndjson_flat_keys_with_dots_win_over_nesting(tmp_path: Path) -> None:
    line = {"id": 1, "text": "t", "created": 1714566600, "user.name": "flat", "user": {"name": "n"}}
    path = write(tmp_path, "dots.ndjson", json.dumps(line) + "\n")
    posts, _ = read(NdjsonImporter(), path, mapping={"author": "user.name"})
    assert posts[0].author_handle == "flat"


def test_ndjson_bad_lines_among_good_ones(tmp_path: Path) -> None:
    good = {"id": "1", "text": "Hyvä", "created": "2024-05-01T10:00:00Z"}
    lines = [
        json.dumps(good),  # 1
        '{"id": "2", "text": "katkennut',  # 2 not JSON
        "[1, 2, 3]",  # 3 not an object
        json.dumps({**good, "id": None}),  # 4 missing id
        json.dumps({**good, "id": "5", "created": "huomenna"}),  # 5 bad time
        json.dumps({**good, "id": "6", "created": True}),  # 6 bad time
        json.dumps({**good, "id": "7", "text": {"fi": "x"}}),  # 7 bad value
        json.dumps({**good, "id": 8.5}),  # 8 a float id loses digits
        "",  # 9 blank
        json.dumps({**good, "id": "10"}),  # 10
    ]
    content = ("\n".join(lines) + "\n").encode() + b'{"id": "11", "text": "\xe4"}\n'
    posts, problems = read(NdjsonImporter(), write(tmp_path, "mixed.ndjson", content))
    assert [p.remote_id for p in posts] == ["1", "10"]
    assert codes(problems) == [
        (2, "not_json", ""),
        (3, "unknown_format", ""),
        (4, "missing_field", "id"),
        (5, "bad_time", "created"),
        (6, "bad_time", "created"),
        (7, "bad_value", "text"),
        (8, "bad_value", "id"),
        (11, "not_utf8", ""),
    ]


def test_ndjson_line_over_the_limit_is_too_long(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(importer_base, "MAX_LINE", 200)
    good = json.dumps({"id": "1", "text": "t", "created": 1714566600})
    long = json.dumps({"id": "2", "text": "x" * 1000, "created": 1714566600})
    path = write(tmp_path, "long.ndjson", f"{good}\n{long}\n{good}\n")
    posts, problems = read(NdjsonImporter(), path)
    assert len(posts) == 2
    assert codes(problems) == [(2, "too_long", "")]


def test_ndjson_first_record_without_a_required_key_stops(tmp_path: Path) -> None:
    line = json.dumps({"uuid": "1", "text": "t", "created": 1714566600})
    path = write(tmp_path, "wrongkey.ndjson", (line + "\n") * 3)
    posts, problems = read(NdjsonImporter(), path)
    assert posts == []
    assert codes(problems) == [(1, "missing_column", "id")]


# -- files that are not what they should be ----------------------------------------------------

WRONG_FILES: list[tuple[str, bytes, dict[str, Any], dict[str, Any]]] = [
    # name, content, expected (importer -> (line, code, detail))
    ("empty.csv", b"", {}, {"csv": (None, "empty"), "ndjson": (None, "empty")}),
    ("blank.csv", b"\n \n\t\n", {}, {"csv": (None, "empty"), "ndjson": (None, "empty")}),
    (
        "garbage.bin",
        bytes(range(256)) * 4,
        {},
        {"csv": (None, "not_csv", "binary"), "ndjson": (None, "not_json", "binary")},
    ),
    (
        "page.html",
        b"<!DOCTYPE html>\n<html><body>Kirjaudu sis\xc3\xa4\xc3\xa4n</body></html>\n",
        {},
        {"csv": (None, "not_csv", "html"), "ndjson": (None, "not_json", "html")},
    ),
    (
        "export.zip",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"x" * 50,
        {},
        {"csv": (None, "not_csv", "zip"), "ndjson": (None, "not_json", "zip")},
    ),
    (
        "utf16.csv",
        "id;text;created\n1;ä;2024-05-01\n".encode("utf-16"),
        {},
        {"csv": (None, "not_utf8", "utf-16"), "ndjson": (None, "not_utf8", "utf-16")},
    ),
    (
        "latin1.ndjson",
        '{"id": "1", "text": "Töölö", "created": 1}\n'.encode("latin-1") * 3,
        {},
        {"csv": (1, "not_utf8", "header"), "ndjson": (1, "not_utf8", "")},
    ),
    (
        "document.json",
        b'[\n  {"id": "1", "text": "t", "created": 1}\n]\n',
        {},
        {"csv": (1, "missing_column", "id"), "ndjson": (1, "not_json", "")},
    ),
    (
        "posts.csv",
        b"id,text,created\n1,Kallio,2024-05-01\n",
        {},
        {"ndjson": (1, "not_json", "")},
    ),
]


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
@pytest.mark.parametrize(("name", "content", "options", "expected"), WRONG_FILES)
def test_wrong_files_give_one_problem_and_nothing_else(
    tmp_path: Path,
    fmt: str,
    name: str,
    content: bytes,
    options: dict[str, Any],
    expected: dict[str, tuple[Any, ...]],
) -> None:
    if fmt not in expected:
        return
    posts, problems = read(importer_for(fmt), write(tmp_path, name, content), **options)
    assert posts == []
    want = expected[fmt]
    assert len(problems) == 1
    assert (problems[0].line, problems[0].code, problems[0].detail)[: len(want)] == want


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_a_missing_file_is_unreadable(tmp_path: Path, fmt: str) -> None:
    _, problems = read(importer_for(fmt), tmp_path / "missing.csv")
    assert codes(problems) == [(None, "unreadable", "FileNotFoundError")]


@pytest.mark.parametrize(
    ("options", "detail"),
    [
        ({"mapping": ["id"]}, "mapping"),
        ({"mapping": {"identifier": "id"}}, "mapping:identifier"),
        ({"mapping": {"id": ""}}, "mapping:id"),
        ({"encoding": "utf-16"}, "encoding"),
        ({"delimiter": ";;"}, "delimiter"),
    ],
)
def test_bad_options_are_a_problem_not_an_exception(
    tmp_path: Path, options: dict[str, Any], detail: str
) -> None:
    path = write(tmp_path, "ok.csv", "id,text,created\n1,t,2024-05-01\n")
    posts, problems = read(CsvImporter(), path, **options)
    assert posts == []
    assert codes(problems) == [(None, "bad_value", detail)]


def test_reading_twice_gives_the_same_ids() -> None:
    def ids() -> list[str]:
        posts, _ = read(NdjsonImporter(), FIXTURES / "tabular_posts.ndjson", mapping=NDJSON_MAPPING)
        return [p.remote_id for p in posts]

    assert ids() == ids() == ["880001", "880002"]
