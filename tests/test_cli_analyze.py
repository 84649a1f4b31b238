"""``portaat analyze``: the stable command-line contract other tools depend on (issue 7).

Run in-process through the real command line; it must not touch the database.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from portaat.cli import main

POSTS = [
    {"id": 1, "text": "Kalliossa ratikka 3 kulkee taas harvemmin, vuoroväli on liian pitkä."},
    {
        "id": "b",
        "text": "Spårvagnen till Berghäll går alldeles för sällan nu, turtätheten är usel.",
    },
    {
        "id": 3,
        "text": "The new bike lane on Mannerheimintie is great, cycling to Töölö is safe now.",
    },
    {"id": 4, "text": "Herttoniemen puistossa kaadettiin vanhoja puita, metsä katoaa.", "x": [1]},
    {"id": None, "text": "Vi behöver fler daghemsplatser i Vallgård och på Drumsö."},
]


@pytest.fixture(autouse=True)
def _no_database(monkeypatch: Any) -> None:
    monkeypatch.setenv("PORTAAT_LANGUAGE", "en")

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("portaat analyze touched the database")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.connect", refuse)


def ndjson(rows: list[Any]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def read_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_a_file_gives_one_line_per_post_in_input_order_to_stdout(
    tmp_path: Any, capsys: Any
) -> None:
    path = tmp_path / "posts.ndjson"
    path.write_text(ndjson(POSTS), "utf-8")
    assert main(["analyze", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    out = read_lines(captured.out)
    assert [row["id"] for row in out] == [1, "b", 3, 4, None]
    for row in out:
        assert set(row) == {"id", "lang", "places", "topic", "keywords"}
        assert row["topic"] is None or isinstance(row["topic"], int)
        assert isinstance(row["keywords"], list)
    assert [row["lang"] for row in out] == ["fi", "sv", "en", "fi", "sv"]
    assert out[0]["places"] == ["Kallio"]
    assert out[1]["places"] == ["Kallio"]  # Berghäll is Kallio's Swedish name
    assert out[3]["places"] == ["Herttoniemi"]
    assert out[4]["places"] == ["Vallila", "Lauttasaari"]
    # the Finnish and the Swedish tram post are about the same thing
    assert out[0]["topic"] is not None and out[0]["topic"] == out[1]["topic"]


def test_stdin_and_output_file(tmp_path: Any, monkeypatch: Any, capsys: Any) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(ndjson(POSTS[:3]).encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    out_path = tmp_path / "out.ndjson"
    assert main(["analyze", "--topics", "2", "--output", str(out_path)]) == 0
    assert capsys.readouterr().out == ""
    rows = read_lines(out_path.read_text("utf-8"))
    assert [row["id"] for row in rows] == [1, "b", 3]
    assert len({row["topic"] for row in rows if row["topic"] is not None}) <= 2


def test_malformed_lines_are_reported_with_numbers_skipped_and_the_exit_code_says_so(
    tmp_path: Any, capsys: Any
) -> None:
    good = ndjson(POSTS[:2]).splitlines()
    path = tmp_path / "posts.ndjson"
    path.write_bytes(
        "\n".join(
            [
                good[0],
                "{not json",
                "[1, 2]",
                '{"text": "no id"}',
                '{"id": 9, "text": 12}',
                "",
                good[1],
                '{"id": NaN, "text": "x"}',
                '{"id": 1e999, "text": "x"}',
            ]
        ).encode("utf-8")
        + b"\n\xff\xfe broken bytes\n"
    )
    assert main(["analyze", str(path)]) == 1
    captured = capsys.readouterr()
    assert [row["id"] for row in read_lines(captured.out)] == [1, "b"]
    for line in (2, 3, 4, 5, 8, 9, 10):
        assert f"Line {line}:" in captured.err
    assert "Line 6:" not in captured.err  # a blank line is not a record
    assert "7 malformed lines were skipped." in captured.err


def test_messages_follow_the_language(tmp_path: Any, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("PORTAAT_LANGUAGE", "fi")
    path = tmp_path / "posts.ndjson"
    path.write_text("{oops\n", "utf-8")
    assert main(["analyze", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Rivi 1:" in err
    assert "Line 1" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["analyze", "/no/such/posts.ndjson"], "Cannot read /no/such/posts.ndjson"),
        (["analyze", "--topics", "0", "-"], "--topics must be a positive number."),
        (["analyze", "IN", "--output", "/no/such/dir/out.ndjson"], "Cannot write /no/such/dir"),
    ],
)
def test_usage_errors_are_one_clear_line(
    argv: list[str], message: str, tmp_path: Any, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "IN").write_text(ndjson(POSTS[:1]), "utf-8")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("portaat: error: ")
    assert message in err
    assert "Traceback" not in err


def test_an_empty_input_gives_an_empty_output(tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "empty.ndjson"
    path.write_text("", "utf-8")
    assert main(["analyze", str(path)]) == 0
    assert capsys.readouterr().out == ""
