"""The pipeline that ``portaat analyze`` and the app's background analyses call."""

from __future__ import annotations

from portaat.analytics.pipeline import analyze


def test_each_record_gets_language_places_topic_and_keywords_in_input_order() -> None:
    result = analyze(
        [
            {"id": "a", "text": "Ratikka 3 kulkee Kalliossa liian harvoin, vuoroväli on surkea."},
            {"id": "b", "text": "Spårvagnen i Berghäll går alldeles för sällan."},
            {"id": "c", "text": "", "extra": "ignored"},
        ]
    )
    assert [p["id"] for p in result.posts] == ["a", "b", "c"]
    assert [p["lang"] for p in result.posts] == ["fi", "sv", "other"]
    assert result.posts[0]["places"] == result.posts[1]["places"] == ["Kallio"]
    assert result.posts[0]["topic"] == result.posts[1]["topic"] is not None
    assert result.posts[2] == {
        "id": "c",
        "lang": "other",
        "places": [],
        "topic": None,
        "keywords": [],
    }


def test_place_names_are_listed_as_places_not_repeated_as_keywords() -> None:
    post = analyze([{"id": 1, "text": "REKO-ringen delar ut beställningarna i Malm på tisdag."}])
    first = post.posts[0]
    assert first["places"] == ["Malmi"]
    assert "malm" not in first["keywords"]
    assert "beställning" in first["keywords"]


def test_no_records_no_analysis() -> None:
    result = analyze([])
    assert result.posts == [] and result.topics == []
