"""Facebook's "Download your information" group files: mapping, mojibake, ids, problems."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portaat.listening.importers import importer_for
from portaat.listening.importers.base import Problem, RemotePost
from portaat.listening.importers.facebook import FacebookImporter, fix_mojibake, parse_title

FIXTURES = Path(__file__).resolve().parents[3] / "portaat/listening/importers/fixtures"
POSTS = FIXTURES / "group_posts_and_comments.json"
COMMENTS = FIXTURES / "your_comments_in_groups.json"


def read(path: Path, **options: Any) -> tuple[list[RemotePost], list[Problem]]:
    posts: list[RemotePost] = []
    problems: list[Problem] = []
    for item in FacebookImporter().read(path, options):
        (problems if isinstance(item, Problem) else posts).append(item)
    return posts, problems


def mojibake(text: str) -> str:
    """What Facebook writes: each UTF-8 byte as its own code point."""
    return text.encode("utf-8").decode("latin-1")


def facebook_json(document: Any) -> str:
    """A document as Facebook writes it: indented, ASCII, mojibake strings."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return mojibake(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return json.dumps(walk(document), indent=2, ensure_ascii=True)


def post(timestamp: Any, text: str, title: str = "Liisa Virtanen posted in Kallio.") -> Any:
    return {"timestamp": timestamp, "data": [{"post": text}], "title": title}


def test_the_fixtures_are_written_as_facebook_writes() -> None:
    raw = POSTS.read_text(encoding="ascii")  # Facebook escapes everything to ASCII
    assert "pys\\u00c3\\u00a4kki" in raw  # "pysäkki", one escape per UTF-8 byte
    assert "ä" not in raw


def test_group_posts_map_every_field_and_repair_mojibake() -> None:
    posts, problems = read(POSTS)
    assert problems == []
    assert len(posts) == 4
    tram, garden, reko, library = posts
    assert tram.text == (
        "Ratikka 3 ei taaskaan pysähtynyt Helsinginkadun pysäkillä. "
        "Onko muilla sama kokemus? #hsl #kallio"
    )
    assert tram.created_at == datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
    assert tram.author_handle == "Matti Meikäläinen"
    assert tram.groups == ["Kallion asukkaat"]
    assert tram.tags == ["hsl", "kallio"]
    assert tram.media_urls == [
        "your_facebook_activity/posts/media/Kallionasukkaat_7Hk2Lx9QwA/"
        "439121736_10161234567890123_4817761209873363412_n.jpg"
    ]
    assert (tram.url, tram.title, tram.language, tram.reply_to, tram.thread) == ("",) * 5
    assert tram.counts == {}
    assert tram.platform == ""  # the source's: facebook
    # Finnish title; an emoji (four escaped bytes) and a shared link
    assert garden.text.startswith("Yhteisöpuutarhan kevättalkoot lauantaina klo 10 🌳")
    assert garden.groups == ["Vallilan yhteisöpuutarha"]
    assert garden.tags == ["yhteisöpuutarha"]
    assert garden.media_urls == ["https://www.hel.fi/fi/uutiset/vallilan-siirtolapuutarha-talkoot"]
    # Swedish title; an en dash in the group name; a tagged person
    assert reko.text.startswith("Beställningar till REKO-utdelningen på torsdag vid Brändö")
    assert reko.groups == ["REKO Brändö–Kulosaari"]
    assert reko.mentions == ["Liisa Virtanen"]
    # wording we do not know: no guessed group or author
    assert (library.groups, library.author_handle) == ([], "")
    assert library.text == "Kirjaston aukioloajat muuttuvat kesäksi, katso tiedote."


def test_group_comments_take_author_and_group_from_the_comment() -> None:
    posts, problems = read(COMMENTS)
    assert problems == []
    first, second, picture = posts
    assert first.text == "Sama juttu eilen illalla, kuljettaja ei edes hidastanut."
    assert first.author_handle == "Matti Meikäläinen"
    assert first.groups == ["Kallion asukkaat"]
    assert first.created_at == datetime(2024, 5, 1, 7, 53, 20, tzinfo=UTC)
    assert second.text == "Tack! Jag hämtar ägg och rågbröd från Östersundom gård."
    assert second.groups == ["REKO Brändö–Kulosaari"]
    # a comment that is only a picture
    assert picture.text == ""
    assert picture.media_urls[0].endswith("439877001_1187654321098765_2233445566778899_n.jpg")
    assert picture.groups == ["Vallilan yhteisöpuutarha"]


def test_both_kinds_in_one_file(tmp_path: Path) -> None:
    document = {
        "group_posts_v2": [post(1714543200, "Kävelykatu kesäksi?")],
        "group_comments_v2": [
            {
                "timestamp": 1714550000,
                "data": [
                    {
                        "comment": {
                            "timestamp": 1714550000,
                            "comment": "Kyllä!",
                            "author": "Liisa Virtanen",
                            "group": "Kallio",
                        }
                    }
                ],
                "title": "Liisa Virtanen commented on Matti Meikäläinen's post.",
            }
        ],
    }
    path = tmp_path / "both.json"
    path.write_text(facebook_json(document))
    posts, problems = read(path)
    assert problems == []
    assert [p.text for p in posts] == ["Kävelykatu kesäksi?", "Kyllä!"]


@pytest.mark.parametrize(
    ("title", "actor", "group"),
    [
        ("Matti Meikäläinen posted in Kallion asukkaat.", "Matti Meikäläinen", "Kallion asukkaat"),
        ("Matti shared a link to the group: Pasila ry..", "Matti", "Pasila ry."),
        ("Matti kirjoitti ryhmään Vallilan yhteisöpuutarha.", "Matti", "Vallilan yhteisöpuutarha"),
        ("Matti julkaisi ryhmässä Töölö-Seura.", "Matti", "Töölö-Seura"),
        ("Matti publicerade i REKO Brändö.", "Matti", "REKO Brändö"),
        ("Matti gjorde ett inlägg i gruppen Hagalund.", "Matti", "Hagalund"),
        ("Matti hat in Kallio gepostet.", "", ""),
        ("Matti updated his status.", "", ""),
    ],
)
def test_titles_in_english_finnish_and_swedish(title: str, actor: str, group: str) -> None:
    assert parse_title(title) == (actor, group)


def test_mojibake_repair_only_where_the_round_trip_proves_it() -> None:
    assert fix_mojibake(mojibake("Töölö – Brändö 🌳")) == "Töölö – Brändö 🌳"
    assert fix_mojibake("Töölö") == "Töölö"  # already right: not valid as bytes
    assert fix_mojibake("Kallio") == "Kallio"
    assert fix_mojibake("🌳 ok") == "🌳 ok"  # not Latin-1 at all


def test_ids_are_deterministic_and_distinct() -> None:
    first = [p.remote_id for p in read(POSTS)[0] + read(COMMENTS)[0]]
    second = [p.remote_id for p in read(POSTS)[0] + read(COMMENTS)[0]]
    assert first == second
    assert len(set(first)) == len(first)


def test_id_survives_another_export_language_but_not_an_edit(tmp_path: Path) -> None:
    def one_id(title: str, text: str) -> str:
        path = tmp_path / "one.json"
        path.write_text(facebook_json({"group_posts_v2": [post(1714543200, text, title)]}))
        posts, _ = read(path)
        return posts[0].remote_id

    english = one_id("Matti posted in Kallio.", "Puisto on siivottu.")
    finnish = one_id("Matti kirjoitti ryhmään Kallio.", "Puisto on siivottu.")
    edited = one_id("Matti posted in Kallio.", "Puisto on siivottu!")
    assert english == finnish
    assert edited != english


def test_bad_records_among_good_ones_get_their_line(tmp_path: Path) -> None:
    document = {
        "group_posts_v2": [
            post(1714543200, "Hyvä ensimmäinen"),
            {"data": [{"post": "Ei aikaa"}], "title": "x"},
            post("eilen", "Huono aika"),
            post(0, "Tuntematon aika"),
            "not a record",
            {"timestamp": 1714543300, "data": [{"update_timestamp": 1714543300}], "title": "x"},
            post(1714543400, "Hyvä viimeinen"),
        ]
    }
    text = facebook_json(document)
    path = tmp_path / "mixed.json"
    path.write_text(text)
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        """The line of the "{" opening the record that contains ``fragment``."""
        index = next(i for i, line in enumerate(lines) if fragment in line)
        while lines[index] != "    {":  # records sit at the list's indentation
            index -= 1
        return index + 1

    posts, problems = read(path)
    assert [p.text for p in posts] == ["Hyvä ensimmäinen", "Hyvä viimeinen"]
    not_a_record = next(i for i, line in enumerate(lines) if "not a record" in line) + 1
    assert [(p.line, p.code, p.detail) for p in problems] == [
        (line_of("Ei aikaa"), "missing_field", "timestamp"),
        (line_of("Huono aika"), "bad_time", "timestamp"),
        (line_of("Tuntematon aika"), "bad_time", "timestamp"),
        (not_a_record, "bad_value", "post"),
        (line_of('"update_timestamp": 1714543300'), "missing_field", "data"),
    ]


def test_a_document_that_breaks_off_keeps_what_came_before(tmp_path: Path) -> None:
    text = facebook_json({"group_posts_v2": [post(1714543200, "Ehjä"), post(1714543300, "Kat")]})
    path = tmp_path / "truncated.json"
    path.write_text(text[: text.rindex("Kat")])
    posts, problems = read(path)
    assert [p.text for p in posts] == ["Ehjä"]
    assert [p.code for p in problems] == ["not_json"]
    assert problems[0].line == text[: text.rindex("Kat")].count("\n") + 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", (None, "empty", "")),
        (b"   \n", (None, "empty", "")),
        (b"id,text,created\n1,Kallio,2024-05-01\n", (1, "not_json", "")),
        (
            b"<!DOCTYPE html>\n<html lang=fi><title>Facebook</title></html>",
            (None, "not_json", "html"),
        ),
        (bytes(range(256)) * 8, (None, "not_json", "binary")),
        (b"PK\x03\x04\x14\x00\x08\x08" + b"\x00" * 40, (None, "not_json", "zip")),
        (b'{"group_posts_v2": [{"title": "K\xe4ll\xf6"}]}', (1, "not_utf8", "")),
        (b'[{"timestamp": 1714543200}]', (None, "unknown_format", "list")),
        (
            b'{"messages": [], "participants": []}',
            (None, "unknown_format", "messages,participants"),
        ),
        (b"{}", (None, "unknown_format", "")),
        (b'{"group_posts_v2": [] "x": 1}', (1, "not_json", "")),
        (b'{"group_posts_v2": []} trailing', (1, "not_json", "")),
        (b'{"group_posts_v2": [{"timestamp": 1,}]}', (1, "not_json", "")),
        (b"{1: []}", (1, "not_json", "")),
    ],
)
def test_wrong_files_give_one_problem_and_no_exception(
    tmp_path: Path, content: bytes, expected: tuple[Any, ...]
) -> None:
    path = tmp_path / "your_posts_in_groups.json"
    path.write_bytes(content)
    posts, problems = read(path)
    assert posts == []
    assert [(p.line, p.code, p.detail) for p in problems] == [expected]


def test_an_empty_list_is_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    path.write_text('{\n  "group_posts_v2": [\n\n  ]\n}\n')
    assert read(path) == ([], [])


def test_size_limit_and_missing_file(tmp_path: Path) -> None:
    assert [(p.code) for p in read(POSTS, max_bytes=100)[1]] == ["too_long"]
    problems = read(tmp_path / "missing.json")[1]
    assert [(p.line, p.code, p.detail) for p in problems] == [
        (None, "unreadable", "FileNotFoundError")
    ]


def test_registry() -> None:
    assert isinstance(importer_for("facebook"), FacebookImporter)
    assert FacebookImporter.platform == "facebook"


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_the_downloaded_zip_is_read_as_it_comes(tmp_path: Path) -> None:
    archive = _archive(
        tmp_path / "facebook-maija-2026-11-01.zip",
        {
            "your_facebook_activity/groups/group_posts_and_comments.json": POSTS.read_bytes(),
            "your_facebook_activity/groups/your_comments_in_groups.json": COMMENTS.read_bytes(),
            "your_facebook_activity/messages/inbox/x/message_1.json": b'{"messages": []}',
            "media/photo.jpg": b"\xff\xd8\xff",
        },
    )
    posts, problems = read(archive)
    assert problems == []
    assert {p.remote_id for p in posts} == (
        {p.remote_id for p in read(POSTS)[0]} | {p.remote_id for p in read(COMMENTS)[0]}
    )


def test_a_zip_without_group_files_or_with_a_broken_member_is_one_problem(tmp_path: Path) -> None:
    other = _archive(tmp_path / "other.zip", {"messages/message_1.json": b"{}"})
    assert [(p.code, p.detail) for p in read(other)[1]] == [("unknown_format", "zip")]
    broken = _archive(
        tmp_path / "broken.zip", {"groups/your_posts_in_groups.json": b'{"group_posts_v2": [}'}
    )
    posts, problems = read(broken)
    assert posts == []
    assert [(p.code, p.detail) for p in problems] == [
        ("not_json", "groups/your_posts_in_groups.json")
    ]
    big = _archive(tmp_path / "big.zip", {"groups/your_posts_in_groups.json": POSTS.read_bytes()})
    assert [p.code for p in read(big, max_bytes=10)[1]] == ["too_long"]
