"""``portaat gazetteer export`` and ``portaat gazetteer import``, run in-process."""

from __future__ import annotations

import json

import pytest

from portaat.cli import main
from portaat.registry.models import Area
from portaat.registry.services import load_gazetteer

pytestmark = pytest.mark.django_db

GOOD_CSV = """id,name,name_sv,aliases,kind,municipality,parent,lat,lon
turku,Turku,Åbo,Åbo|Turun kaupunki,municipality,Turku,,60.4518,22.2666
turku-port-arthur,Port Arthur,Port Arthur,Portsa,district,Turku,turku,60.4440,22.2500
"""


def test_export_lists_places_with_both_names_and_parent(capsys):
    load_gazetteer()
    assert main(["gazetteer", "export"]) == 0
    places = json.loads(capsys.readouterr().out)
    assert places, "the shipped gazetteer is empty"
    for place in places:
        for key in ("name", "name_sv", "aliases", "municipality", "lat", "lon", "kind"):
            assert key in place
    by_id = {p["id"]: p for p in places}
    districts = [p for p in places if p["kind"] in ("district", "sub_district")]
    assert all(p["parent"] in by_id for p in districts)


def test_import_of_a_valid_csv_loads_every_row(tmp_path, capsys):
    path = tmp_path / "turku.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    assert main(["gazetteer", "import", str(path)]) == 0
    port = Area.objects.get(key="turku-port-arthur")
    assert port.parent.key == "turku"
    assert port.aliases == ["Portsa"]
    assert Area.objects.get(key="turku").name_sv == "Åbo"
    assert "2 new" in capsys.readouterr().out


def test_import_twice_changes_nothing_the_second_time(tmp_path, capsys):
    path = tmp_path / "turku.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    main(["gazetteer", "import", str(path)])
    capsys.readouterr()
    assert main(["gazetteer", "import", str(path)]) == 0
    assert "0 new, 0 updated" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("turku-x,X,X,,district,Turku,turku,north,22.2", "lat must be a number"),
        ("turku-x,X,X,,village,Turku,turku,60.4,22.2", "kind must be one of"),
        ("turku-x,X,X,,district,Turku,nowhere,60.4,22.2", "the parent nowhere does not exist"),
        ("turku,X,X,,district,Turku,,60.4,22.2", "the id is used twice"),
        ("turku-x,X,X,,district,Turku,turku,95,22.2", "lat is out of range"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_the_row(tmp_path, capsys, bad_row, message):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD_CSV + bad_row + "\n", encoding="utf-8")
    assert main(["gazetteer", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err
    assert message in err
    assert "portaat: error: Nothing was imported" in err
    assert not Area.objects.filter(municipality="Turku").exists()


def test_json_import_and_messages_in_finnish(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PORTAAT_LANGUAGE", "fi")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"places": [{"id": "x", "kind": "district"}]}), encoding="utf-8")
    assert main(["gazetteer", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "rivi 1" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "is not valid JSON"), ('{"places": 3}', "must hold a list of places")],
)
def test_unreadable_files_get_one_clear_line(tmp_path, capsys, content, message):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    assert main(["gazetteer", "import", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file(tmp_path, capsys):
    assert main(["gazetteer", "import", str(tmp_path / "none.csv")]) == 2
    assert "Cannot read" in capsys.readouterr().err


def test_the_shipped_gazetteer_covers_the_helsinki_region(capsys):
    load_gazetteer()
    main(["gazetteer", "export"])
    places = json.loads(capsys.readouterr().out)
    count: dict[tuple[str, str], int] = {}
    for place in places:
        key = (place["municipality"], place["kind"])
        count[key] = count.get(key, 0) + 1
        assert place["name"] and place["name_sv"], place
        assert 60.0 < place["lat"] < 60.5 and 24.4 < place["lon"] < 25.4, place
    assert count[("Helsinki", "district")] == 59  # kaupunginosat
    assert count[("Helsinki", "sub_district")] == 148  # osa-alueet
    assert count[("Vantaa", "district")] == 61
    assert count[("Espoo", "district")] >= 50
    assert count[("Kauniainen", "municipality")] == 1
    by_name = {p["name"]: p for p in places}
    assert by_name["Tapaninvainio"]["parent_name"] == "Tapaninkylä"
    assert by_name["Kallahti"]["name_sv"] == "Kallvik"
