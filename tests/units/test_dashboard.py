"""/units/<slug>/: every case of the unit (and the units below it), filtered, flagged, mapped."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portaat.cases import unit_views
from tests.factories import ActivismKindFactory, AreaFactory, MembershipFactory, UserFactory
from tests.units.conftest import ago, in_english, page_text

pytestmark = pytest.mark.django_db


def rows(response) -> list[str]:
    return [row.case.activism.name for row in response.context["rows"]]


# --- who may see it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("activist", 403),
        ("researcher", 403),
        ("official", 200),
        ("coordinator", 200),
        ("admin", 200),
    ],
)
def test_who_may_see_a_dashboard(client_for, city, persona, status):
    assert client_for(persona).get("/units/planning/").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client_for, city):
    r = client_for("anonymous").get("/units/planning/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/units/planning/"


def test_an_official_of_another_unit_may_see_it(client, city):
    member = UserFactory()
    MembershipFactory(unit=city["other"], user=member)
    client.force_login(member)
    assert client.get("/units/planning/").status_code == 200


def test_an_unknown_unit_is_404(client_for, city):
    assert client_for("official").get("/units/no-such-unit/").status_code == 404


def test_activists_cannot_see_it_even_for_their_own_activism(client_for, reko_case):
    assert client_for("activist").get("/units/planning/").status_code == 403


# --- what it shows --------------------------------------------------------------------------------


def test_a_row_per_case_with_levels_as_text(client_for, unit, make_case):
    make_case(unit, "reko", [(ago(3), 1, 2), (ago(1), 2, 5)], name="Lauttasaaren REKO")
    r = in_english(client_for("official")).get("/units/planning/")
    assert r.status_code == 200
    text = page_text(r)
    assert "Lauttasaaren REKO" in text
    assert "2 → 5" in text  # the latest official assessment, in words
    assert "+3" in text  # the open gap
    html = r.content.decode()
    assert html.count('class="unit-grid__level"') == 8  # a column per level
    assert 'is-current dir-up"><span class="visually-hidden">current</span>' in html
    assert 'is-target dir-up"><span class="visually-hidden">target</span>' in html
    assert html.count("is-between") == 2  # levels 3 and 4
    assert 'href="/cases/' in html


def test_a_lower_target_points_down(client_for, unit, make_case):
    make_case(unit, "reko", [(ago(1), 5, 3)], name="Down")
    r = in_english(client_for("official")).get("/units/planning/")
    assert "5 → 3" in page_text(r)
    assert "−2" in page_text(r)
    assert "is-target dir-down" in r.content.decode()


def test_only_the_officials_view_sets_the_levels(client_for, unit, make_case):
    case = make_case(unit, "reko", [(ago(1), 2, 7)], perspective="activist", name="Their view")
    r = in_english(client_for("official")).get("/units/planning/")
    (row,) = r.context["rows"]
    assert row.case == case
    assert row.latest is None
    assert "Never assessed" in page_text(r)


def test_a_city_sees_every_unit_below_it(client_for, city, unit, make_case):
    make_case(unit, name="In planning")
    make_case(city["other"], name="In culture")
    make_case(city["division"], name="In the division")
    client = in_english(client_for("official"))
    assert sorted(rows(client.get("/units/city/"))) == [
        "In culture",
        "In planning",
        "In the division",
    ]
    assert sorted(rows(client.get("/units/environment/"))) == ["In planning", "In the division"]
    assert rows(client.get("/units/planning/")) == ["In planning"]
    assert rows(client.get("/units/culture/")) == ["In culture"]
    city_page = client.get("/units/city/")
    assert "with the cases of 3 units below" in page_text(city_page)
    assert "Detailed planning" in page_text(city_page)  # the unit column
    assert 'href="/units/environment/"' in city_page.content.decode()  # units below


def test_flags_stale_and_never_assessed_cases(client_for, unit, make_case):
    make_case(unit, "reko", [(ago(2), 2, 5)], name="Fresh")
    make_case(unit, "reko", [(ago(12, days=1), 3, 4)], name="Stale")
    make_case(unit, "reko", [(ago(12), 3, 4)], name="Just in time")
    make_case(unit, "reko", [], name="Never")
    r = in_english(client_for("official")).get("/units/planning/")
    flagged = {row.case.activism.name: (row.stale, row.latest is None) for row in r.context["rows"]}
    assert flagged == {
        "Fresh": (False, False),
        "Stale": (True, False),
        "Just in time": (False, False),
        "Never": (False, True),
    }
    assert r.context["summary"] == {"total": 4, "assessed": 3, "never": 1, "stale": 1}
    text = page_text(r)
    assert "Not assessed for 12 months" in text
    assert "Never assessed" in text


def test_the_reassessment_period_is_a_setting(client_for, unit, make_case, settings):
    settings.PORTAAT_REASSESS_MONTHS = 3
    make_case(unit, "reko", [(ago(4), 2, 5)], name="Four months")
    r = in_english(client_for("official")).get("/units/planning/")
    (row,) = r.context["rows"]
    assert row.stale
    assert "Not assessed for 3 months" in page_text(r)


# --- filters --------------------------------------------------------------------------------------


@pytest.fixture
def varied(unit, make_case):
    kallio = AreaFactory(key="kallio", name="Kallio", name_sv="Berghäll", lat=60.18, lon=24.95)
    vuosaari = AreaFactory(key="vuosaari", name="Vuosaari", name_sv="Nordsjö", lat=60.2, lon=25.1)
    planners = ActivismKindFactory(slug="planning-group", name_fi="Suunnitteluryhmä")
    make_case(unit, "reko", [(ago(1), 2, 5)], name="Kallio REKO", areas=[kallio])
    make_case(
        unit,
        "city-planning",
        [(ago(1), 3, 4)],
        name="Kallio planners",
        areas=[kallio],
        kind=planners,
    )
    make_case(
        unit,
        "city-planning",
        [],
        name="Vuosaari planners",
        areas=[vuosaari, kallio],
        kind=planners,
        status="dormant",
    )
    make_case(unit, "reko", [], name="Nowhere")
    return {"kallio": kallio, "vuosaari": vuosaari}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Kallio REKO", "Kallio planners", "Nowhere", "Vuosaari planners"]),
        ("ladder=city-planning", ["Kallio planners", "Vuosaari planners"]),
        ("area=kallio", ["Kallio REKO", "Kallio planners", "Vuosaari planners"]),
        ("area=vuosaari", ["Vuosaari planners"]),
        ("kind=planning-group", ["Kallio planners", "Vuosaari planners"]),
        ("status=dormant", ["Vuosaari planners"]),
        ("status=active&ladder=reko", ["Kallio REKO", "Nowhere"]),
        ("ladder=city-planning&area=kallio&kind=planning-group&status=active", ["Kallio planners"]),
        ("status=ended", []),
    ],
)
def test_filters(client_for, varied, query, expected):
    r = in_english(client_for("official")).get(f"/units/planning/?{query}")
    assert r.status_code == 200
    assert sorted(rows(r)) == sorted(expected)
    assert r.context["summary"]["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ("ladder=no-such-ladder", "Domain (ladder)", 4),
        ("area=atlantis", "Area", 4),
        ("kind=%3Cscript%3E", "Kind of activism", 4),
        ("status=sleeping&ladder=reko", "Status of the activism", 2),
    ],
)
def test_a_bad_filter_is_ignored_with_a_message(client_for, varied, query, field, expected):
    r = in_english(client_for("official")).get(f"/units/planning/?{query}")
    assert r.status_code == 200
    assert len(rows(r)) == expected
    text = page_text(r)
    assert f"{field}: " in text
    assert "the filter was ignored" in text
    assert "<script>" not in r.content.decode().split("<main", 1)[1]


def test_an_area_outside_the_unit_is_not_a_choice(client_for, varied, city, make_case):
    elsewhere = AreaFactory(key="elsewhere")
    make_case(city["other"], areas=[elsewhere])
    r = in_english(client_for("official")).get("/units/planning/?area=elsewhere")
    assert "the filter was ignored" in page_text(r)
    assert len(rows(r)) == 4


def test_a_bad_page_number_shows_the_first_page(client_for, varied):
    r = in_english(client_for("official")).get("/units/planning/?page=abc")
    assert r.status_code == 200
    assert "is not a page number" in page_text(r)
    assert len(rows(r)) == 4
    assert in_english(client_for("official")).get("/units/planning/?page=99").status_code == 200


def test_filter_choices_and_selection_are_shown(client_for, varied):
    html = in_english(client_for("official")).get("/units/planning/?area=kallio").content.decode()
    assert '<option value="kallio" selected>Kallio</option>' in html
    assert '<option value="vuosaari">Vuosaari</option>' in html


# --- the map --------------------------------------------------------------------------------------


def test_map_points_count_activisms_per_area(client_for, varied):
    r = in_english(client_for("official")).get("/units/planning/")
    points = {p["label"]: p for p in r.context["map_points"]}
    assert set(points) == {"Kallio", "Vuosaari"}
    assert points["Kallio"]["count"] == 3
    assert points["Vuosaari"]["count"] == 1
    assert points["Kallio"]["lat"] == 60.18
    assert points["Kallio"]["url"] == "/units/planning/?area=kallio"
    assert r.context["without_area"] == 1
    assert "1 activism has no area" in page_text(r)


def test_map_follows_the_filters_and_swedish_names(client_for, varied):
    client = client_for("official")
    client.cookies["django_language"] = "sv"
    r = client.get("/units/planning/?kind=planning-group")
    points = {p["label"]: p for p in r.context["map_points"]}
    assert points["Berghäll"]["count"] == 2
    assert points["Berghäll"]["url"] == "/units/planning/?kind=planning-group&area=kallio"
    assert points["Nordsjö"]["count"] == 1


# --- scale ----------------------------------------------------------------------------------------


def _fill(unit, make_case, n: int, areas) -> None:
    for i in range(n):
        make_case(
            unit,
            ("reko", "city-planning")[i % 2],
            [(ago(14 + i % 3), 1, 3), (ago(i % 20), 2, 5)] if i % 4 else [],
            name=f"Activism {i:03d}",
            areas=[areas[i % len(areas)]],
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_cases(client_for, city, unit, make_case):
    areas = [AreaFactory(key=f"area-{i}") for i in range(3)]
    client = client_for("official")
    _fill(unit, make_case, 3, areas)
    small = _queries(client, "/units/planning/")
    small_city = _queries(client, "/units/city/?ladder=reko&area=area-2")
    _fill(city["other"], make_case, 10, areas)
    _fill(unit, make_case, 27, areas)
    large = _queries(client, "/units/planning/")
    large_city = _queries(client, "/units/city/?ladder=reko&area=area-2")
    assert small == large
    assert small_city == large_city
    assert large <= 16


def test_huge_units_are_shown_a_page_at_a_time(client_for, unit, make_case, monkeypatch):
    monkeypatch.setattr(unit_views, "PAGE_SIZE", 5)
    _fill(unit, make_case, 12, [AreaFactory(key="only")])
    client = in_english(client_for("official"))
    first = client.get("/units/planning/")
    assert len(first.context["rows"]) == 5
    assert "Showing cases 1–5 of 12" in page_text(first)
    assert "Page 1 of 3" in page_text(first)
    assert 'href="/units/planning/?page=2"' in first.content.decode()
    last = client.get("/units/planning/?page=3")
    assert rows(last) == ["Activism 010", "Activism 011"]
    assert last.context["summary"]["total"] == 12  # counts cover every page
    filtered = client.get("/units/planning/?ladder=reko&page=2")
    assert 'href="/units/planning/?ladder=reko&amp;page=1"' in filtered.content.decode()
