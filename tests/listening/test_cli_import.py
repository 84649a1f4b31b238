"""``portaat import FILE --format F``, run in-process through the real command line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from portaat.cli import main
from portaat.listening.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_output(monkeypatch: Any) -> None:
    monkeypatch.setenv("PORTAAT_LANGUAGE", "en")


def write_ndjson(path: Any, rows: list[dict[str, Any]]) -> Any:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


ROWS = [
    {"post_id": f"t{n}", "body": f"Töölönlahden puisto {n}", "time": 1767225600 + n, "who": "anna"}
    for n in range(5)
]
MAPPING = [
    "--map",
    "id=post_id",
    "--map",
    "text=body",
    "--map",
    "created=time",
    "--map",
    "author=who",
]


def test_import_with_a_column_mapping_prints_progress_and_is_idempotent(
    tmp_path: Any, capsys: Any
) -> None:
    path = write_ndjson(tmp_path / "posts.ndjson", ROWS)
    assert main(["import", str(path), "--format", "ndjson", *MAPPING]) == 0
    out = capsys.readouterr().out
    assert "5 posts stored" in out
    assert "Imported 5 new posts" in out
    assert Post.objects.count() == 5
    assert main(["import", str(path), "--format", "ndjson", *MAPPING]) == 0
    assert "Imported 0 new posts" in capsys.readouterr().out
    assert Post.objects.count() == 5


def test_a_bad_line_is_reported_with_its_number_and_nothing_is_imported(
    tmp_path: Any, capsys: Any
) -> None:
    path = tmp_path / "posts.ndjson"
    path.write_text(
        "\n".join([json.dumps(ROWS[0]), "{broken", json.dumps(ROWS[1])]) + "\n", "utf-8"
    )
    assert main(["import", str(path), "--format", "ndjson", *MAPPING]) == 2
    err = capsys.readouterr().err
    assert "Line 2:" in err
    assert "Nothing was imported" in err
    assert not Post.objects.exists()


def test_a_bad_last_line_after_thousands_of_good_ones_leaves_nothing_stored(
    tmp_path: Any, capsys: Any
) -> None:
    # the good lines are stored batch by batch as they are read; the bad one rolls them back
    good = [dict(ROWS[0], post_id=f"big{n}") for n in range(5000)]
    path = tmp_path / "posts.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in good) + "\n{broken\n", "utf-8")
    assert main(["import", str(path), "--format", "ndjson", *MAPPING]) == 2
    err = capsys.readouterr().err
    assert "Line 5001:" in err
    assert "Nothing was imported" in err
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "/no/such/file.csv", "--format", "csv"],
        ["import", "x.csv", "--format", "csv", "--map", "nonsense"],
        ["import", "x.csv", "--format", "csv", "--source", "no such source"],
    ],
)
def test_usage_errors_are_one_clear_line(
    argv: list[str], capsys: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("id,text,created\n", "utf-8")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("portaat: error: ")
    assert "Traceback" not in err
    assert not Post.objects.exists()


def test_an_unknown_format_is_refused_by_the_parser(capsys: Any) -> None:
    with pytest.raises(SystemExit):
        main(["import", "x", "--format", "exe"])
