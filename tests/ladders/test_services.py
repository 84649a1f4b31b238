from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portaat.ladders.models import Ladder, Stage, Step
from portaat.ladders.services import (
    BUILTIN_DATA,
    StepTexts,
    load_builtin,
    save_custom_ladder,
    texts_of,
)
from tests.factories import LadderFactory

pytestmark = pytest.mark.django_db

CORRECTED = {
    4: {
        "fi": "Viranhaltijat keskustelevat aktivistien someryhmissä",
        "sv": "Tjänsteinnehavarna diskuterar inom aktivisternas socialmediagrupper",
    },
    5: {
        "fi": "Vaihtoehtoisen kaupunkisuunnittelun tukipalvelu",
        "sv": "Stödservice för alternativ stadsplanering",
    },
}


def _steps(n: int = 8) -> list[StepTexts]:
    return [StepTexts(title={"fi": f"Porras {i}"}, description={}) for i in range(1, n + 1)]


def _texts(ladder: Ladder) -> list[dict[str, str]]:
    return [texts_of(ladder, "name")] + [texts_of(s, "title") for s in ladder.steps.all()]


# --- load_builtin ---------------------------------------------------------------------------


def test_it_loads_five_ladders_of_eight_steps_and_five_stages(db):
    report = load_builtin()
    assert report.created == {"ladders": 5, "steps": 40, "stages": 5}
    assert report.changed
    assert Ladder.objects.filter(is_builtin=True).count() == 5
    for ladder in Ladder.objects.all():
        assert sorted(ladder.steps.values_list("level", flat=True)) == list(range(1, 9))
    assert list(Stage.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_every_builtin_text_exists_in_three_languages(builtin):
    for ladder in Ladder.objects.all():
        for name in ("name", "domain"):
            assert all(texts_of(ladder, name).values()), (ladder.slug, name)
        for step in ladder.steps.all():
            assert all(texts_of(step, "title").values()), (ladder.slug, step.level)
    for stage in Stage.objects.all():
        assert all(texts_of(stage, "title").values()), stage.number


def test_the_second_load_changes_nothing(builtin):
    stamps = dict(Ladder.objects.values_list("slug", "updated_at"))
    with CaptureQueriesContext(connection) as ctx:
        report = load_builtin()
    assert not report.changed
    assert report.summary() == "built-in ladders and stages are up to date"
    assert dict(Ladder.objects.values_list("slug", "updated_at")) == stamps
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


@pytest.mark.parametrize("level", [4, 5])
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_city_planning_has_the_corrected_levels(builtin, level, lang):
    step = Step.objects.get(ladder__slug="city-planning", level=level)
    assert getattr(step, f"title_{lang}") == CORRECTED[level][lang]


def test_city_planning_levels_3_and_4_differ_in_every_language(builtin):
    three = Step.objects.get(ladder__slug="city-planning", level=3)
    four = Step.objects.get(ladder__slug="city-planning", level=4)
    five = Step.objects.get(ladder__slug="city-planning", level=5)
    for lang in ("fi", "sv", "en"):
        texts = {getattr(s, f"title_{lang}") for s in (three, four, five)}
        assert len(texts) == 3, lang


def test_city_planning_in_english(builtin):
    titles = dict(
        Step.objects.filter(ladder__slug="city-planning").values_list("level", "title_en")
    )
    assert titles[4] == "Officials join discussions in activists' social-media groups"
    assert titles[5] == "Support service for alternative city planning"


def test_it_restores_an_edited_builtin_text(builtin):
    Step.objects.filter(ladder__slug="city-planning", level=4).update(
        title_fi="Vaihtoehtoisen kaupunkisuunnittelun tukipalvelu"  # the seed's copy error
    )
    Ladder.objects.filter(slug="reko").update(name_sv="Fel namn")
    report = load_builtin()
    assert report.updated == {"ladders": 1, "steps": 1}
    assert report.created == {}
    assert "updated 1 steps" in report.summary()
    step = Step.objects.get(ladder__slug="city-planning", level=4)
    assert step.title_fi == CORRECTED[4]["fi"]
    assert Ladder.objects.get(slug="reko").name_sv == "REKO-ringarnas trappa"


def test_it_restores_a_deleted_step_and_stage(builtin):
    Step.objects.filter(ladder__slug="reko", level=8).delete()
    Stage.objects.filter(number=3).delete()
    report = load_builtin()
    assert report.created == {"steps": 1, "stages": 1}
    assert Step.objects.filter(ladder__slug="reko").count() == 8
    assert Stage.objects.count() == 5


def test_it_leaves_custom_ladders_alone(custom_ladder):
    before = _texts(custom_ladder)
    load_builtin()
    custom_ladder.refresh_from_db()
    assert _texts(custom_ladder) == before
    assert not custom_ladder.is_builtin


def test_it_moves_a_custom_ladder_off_a_slug_a_release_claims(db):
    squatter = LadderFactory(slug="reko", name_fi="Oma REKO")
    load_builtin()
    squatter.refresh_from_db()
    assert squatter.slug == "reko-custom"
    assert not squatter.is_builtin
    assert squatter.name_fi == "Oma REKO"
    assert Ladder.objects.get(slug="reko").is_builtin


def test_it_upgrades_from_a_new_release(builtin, tmp_path):
    data = json.loads(BUILTIN_DATA.read_text(encoding="utf-8"))
    data["ladders"][0]["steps"][0]["title"]["en"] = "Apart (revised)"
    release = tmp_path / "builtin.json"
    release.write_text(json.dumps(data), encoding="utf-8")
    report = load_builtin(release)
    assert report.updated == {"steps": 1}
    assert Step.objects.get(ladder__slug="generic", level=1).title_en == "Apart (revised)"


# --- save_custom_ladder ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English, so these tests do not depend on the translations."""
    with translation.override("en"):
        yield


def test_it_creates_a_custom_ladder(builtin, coordinator):
    generic = Ladder.objects.get(slug="generic")
    ladder = save_custom_ladder(
        name={"fi": "  Kirjastot  "},
        domain={"fi": "Kirjastot"},
        description={},
        steps=_steps(),
        based_on=generic,
        user=coordinator,
    )
    assert ladder.slug == "kirjastot"
    assert ladder.name_fi == "Kirjastot"  # trimmed
    assert ladder.name_sv == ""
    assert ladder.based_on == generic
    assert ladder.created_by == coordinator
    assert not ladder.is_builtin
    assert list(ladder.steps.values_list("title_fi", flat=True)) == [
        f"Porras {i}" for i in range(1, 9)
    ]


@pytest.mark.parametrize("count", [0, 7, 9])
def test_it_rejects_a_ladder_without_eight_steps(builtin, count):
    with pytest.raises(ValidationError, match=f"{count} were given"):
        save_custom_ladder(
            name={"fi": "Kirjastot"},
            domain={"fi": "Kirjastot"},
            description={},
            steps=_steps(count),
        )
    assert Ladder.objects.count() == 5
    assert Step.objects.count() == 40


@pytest.mark.parametrize("count", [7, 9])
def test_it_keeps_an_edited_ladder_at_eight_steps(custom_ladder, count):
    before = _texts(custom_ladder)
    with pytest.raises(ValidationError):
        save_custom_ladder(
            ladder=custom_ladder,
            name={"fi": "Muutettu"},
            domain={"fi": "Muutettu"},
            description={},
            steps=_steps(count),
        )
    assert _texts(Ladder.objects.get(pk=custom_ladder.pk)) == before


def test_it_refuses_to_change_a_builtin_ladder(builtin):
    ladder = Ladder.objects.get(slug="city-planning")
    before = _texts(ladder)
    with pytest.raises(ValidationError, match="Built-in ladders cannot be changed"):
        save_custom_ladder(
            ladder=ladder,
            name={"fi": "Muutettu"},
            domain={"fi": "Muutettu"},
            description={},
            steps=_steps(),
        )
    assert _texts(Ladder.objects.get(pk=ladder.pk)) == before


@pytest.mark.parametrize("name", [{}, {"fi": ""}, {"fi": "   ", "sv": "\n", "en": ""}])
def test_it_rejects_an_empty_name(builtin, name):
    with pytest.raises(ValidationError, match="The name needs a text"):
        save_custom_ladder(name=name, domain={"fi": "x"}, description={}, steps=_steps())
    assert Ladder.objects.count() == 5


def test_it_rejects_an_empty_domain(builtin):
    with pytest.raises(ValidationError, match="The domain needs a text"):
        save_custom_ladder(name={"fi": "x"}, domain={}, description={}, steps=_steps())
    assert Ladder.objects.count() == 5


def test_it_rejects_a_step_without_a_title(builtin):
    steps = _steps()
    steps[5] = StepTexts(title={"fi": " ", "sv": ""}, description={"fi": "kuvaus"})
    with pytest.raises(ValidationError, match="The title of step 6"):
        save_custom_ladder(name={"fi": "x"}, domain={"fi": "x"}, description={}, steps=steps)
    assert Ladder.objects.count() == 5
    assert Step.objects.count() == 40


def test_it_rejects_too_long_a_text(builtin):
    with pytest.raises(ValidationError, match="longer than 200"):
        save_custom_ladder(
            name={"sv": "x" * 201}, domain={"fi": "x"}, description={}, steps=_steps()
        )
    assert Ladder.objects.count() == 5


def test_an_edit_keeps_the_slug_and_replaces_texts(custom_ladder):
    steps = _steps()
    save_custom_ladder(
        ladder=custom_ladder,
        name={"fi": "Uusi nimi", "en": "New name"},
        domain={"fi": "Viljely"},
        description={},
        steps=steps,
    )
    ladder = Ladder.objects.get(pk=custom_ladder.pk)
    assert ladder.slug == "urban-gardening"
    assert texts_of(ladder, "name") == {"fi": "Uusi nimi", "sv": "", "en": "New name"}
    assert ladder.steps.count() == 8
    assert Step.objects.get(ladder=ladder, level=2).title_sv == ""
