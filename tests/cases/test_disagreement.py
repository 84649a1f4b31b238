"""The disagreement rule: a pure function of each perspective's latest (current, target)."""

from __future__ import annotations

import pytest
from django.utils import translation

from portaat.cases.queries import Disagreement, disagreements


def test_it_finds_no_disagreement_without_assessments():
    assert disagreements([]) == []


def test_one_perspective_never_disagrees():
    assert disagreements([("official", 2, 5)]) == []


def test_it_finds_no_disagreement_when_the_views_match():
    assert disagreements([("official", 2, 5), ("activist", 2, 5), ("workshop", 2, 5)]) == []


def test_it_finds_a_disagreement_on_the_target():
    found = disagreements([("official", 2, 5), ("activist", 2, 7)])
    assert found == [Disagreement("target", (("official", 5), ("activist", 7)))]
    assert found[0].spread == 2


def test_it_finds_a_disagreement_on_the_current_level():
    found = disagreements([("official", 3, 5), ("activist", 2, 5)])
    assert [d.aspect for d in found] == ["current"]
    assert found[0].positions == (("official", 3), ("activist", 2))


def test_it_finds_both_aspects_current_first():
    found = disagreements([("official", 3, 5), ("activist", 2, 7)])
    assert [d.aspect for d in found] == ["current", "target"]


def test_it_keeps_every_perspective_when_only_one_differs():
    found = disagreements([("official", 2, 5), ("activist", 2, 5), ("researcher", 2, 6)])
    assert found == [Disagreement("target", (("official", 5), ("activist", 5), ("researcher", 6)))]
    assert found[0].spread == 1


def test_a_lower_target_is_compared_like_any_other():
    found = disagreements([("official", 6, 4), ("activist", 6, 6)])
    assert found == [Disagreement("target", (("official", 4), ("activist", 6)))]


def test_it_accepts_any_iterable():
    rows = iter([("official", 2, 5), ("activist", 2, 7)])
    assert len(disagreements(rows)) == 1


@pytest.mark.parametrize(
    ("aspect", "expected"),
    [
        ("target", "Officials and activists disagree on the target level: 5 vs 7."),
        ("current", "Officials and activists disagree on the current level: 5 vs 7."),
    ],
)
def test_it_says_who_disagrees_in_one_sentence(aspect, expected):
    with translation.override("en"):
        text = Disagreement(aspect, (("official", 5), ("activist", 7))).message()
    assert text == expected


def test_it_lists_three_or_more_perspectives():
    d = Disagreement("target", (("official", 5), ("activist", 7), ("workshop", 6)))
    with translation.override("en"):
        text = d.message()
    assert text == (
        "The perspectives disagree on the target level: officials 5, activists 7, the workshop 6."
    )


def test_the_message_starts_with_a_capital_letter_in_every_language():
    d = Disagreement("target", (("activist", 7), ("official", 5)))
    for lang in ("fi", "sv", "en"):
        with translation.override(lang):
            text = d.message()
        assert text[0].isupper(), (lang, text)
        assert "7" in text and "5" in text
