"""The case page: who may see it, the stairs with every perspective, history, notes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portaat.access import Role
from portaat.cases import services
from portaat.cases.models import Interaction
from portaat.ladders.models import Ladder
from tests.factories import ActivismFactory, AssessmentFactory, CaseFactory, UserFactory
from tests.helpers import html_lang

pytestmark = pytest.mark.django_db


def url(case):
    return f"/cases/{case.pk}/"


def interaction(case, day=dt.date(2026, 5, 2), note="Tavattiin torilla", **kw):
    return Interaction.objects.create(
        case=case, happened_on=day, kind=kw.pop("kind", "event"), note=note, **kw
    )


# --- who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("maintainer", 200),
        ("member", 200),
        ("outsider", 200),  # the administration sees cases across units
        ("division_official", 200),
        ("coordinator", 200),
        ("other_activist", 404),  # may not even learn that the case exists
        ("researcher", 404),
    ],
)
def test_it_shows_the_case_to_whom_it_may(login, people, reko_case, who, status):
    r = login(people[who]).get(url(reko_case))
    assert r.status_code == status


def test_it_sends_anonymous_visitors_to_log_in(client, reko_case):
    r = client.get(url(reko_case))
    assert r.status_code == 302
    assert r["Location"] == f"/accounts/login/?next=/cases/{reko_case.pk}/"


def test_a_site_coordinator_outside_the_unit_sees_it(login, reko_case, roles):
    r = login(UserFactory(role=Role.COORDINATOR)).get(url(reko_case))
    assert r.status_code == 200


def test_it_answers_404_for_a_missing_case(login, people, reko_case):
    assert login(people["member"]).get("/cases/999999/").status_code == 404


def test_it_hides_an_internal_activisms_case_from_activists(login, people, unit, builtin):
    reko = Ladder.objects.get(slug="reko")
    hidden = CaseFactory(activism=ActivismFactory(visibility="internal"), unit=unit, ladder=reko)
    assert login(people["other_activist"]).get(url(hidden)).status_code == 404
    assert login(people["member"]).get(url(hidden)).status_code == 200


def test_it_only_answers_get(login, people, reko_case):
    assert login(people["member"]).post(url(reko_case)).status_code == 405


# --- internal notes --------------------------------------------------------------------------

NOTE = "Yhteyshenkilö vaihtuu syksyllä"


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("member", True),
        ("coordinator", True),
        ("division_official", True),  # a division sees its services' notes
        ("outsider", False),  # another unit's official
        ("maintainer", False),  # activists never see them
    ],
)
def test_internal_notes_stay_inside_the_unit(login, people, reko_case, who, sees):
    services.update_case(reko_case, positions_public=False, internal_notes=NOTE)
    body = login(people[who]).get(url(reko_case)).content.decode()
    assert (NOTE in body) is sees
    assert ('id="notes"' in body) is sees


# --- positions on the stairs -----------------------------------------------------------------


@pytest.fixture
def assessed(reko_case, official, activist):
    AssessmentFactory(
        case=reko_case,
        perspective="official",
        current_level=1,
        target_level=3,
        assessed_on=dt.date(2025, 1, 10),
        author=official,
    )
    AssessmentFactory(
        case=reko_case,
        perspective="official",
        current_level=2,
        target_level=5,
        rationale="Torikauppa tukee lähiruokastrategiaa",
        assessed_on=dt.date(2026, 3, 1),
        author=official,
    )
    AssessmentFactory(
        case=reko_case,
        perspective="activist",
        current_level=2,
        target_level=7,
        rationale="Haluamme yhteisen palvelun",
        assessed_on=dt.date(2026, 4, 1),
        author=activist,
    )
    return reko_case


def stairs_svg(body: bytes) -> str:
    """The stairs picture of a page (not the logo)."""
    return (
        "<svg"
        + body.decode().split('<svg xmlns="http://www.w3.org/2000/svg"', 1)[1].split("</svg>", 1)[0]
    )


def badges(svg: str) -> list[tuple[str, str, str]]:
    """(marker kind, shape fill, label) of every badge drawn on the steps."""
    found = re.findall(
        r'<g class="marker marker-(\w+)">.*?(?:fill="(#[0-9a-f]{6})"|stroke="(#[0-9a-f]{6})")'
        r"[^>]*/>(?:</g>)?<text[^>]*>([^<]*)</text>",
        svg.replace('fill="#ffffff" stroke="#1a1a1a"', ""),
    )
    return [(kind, fill or stroke, label) for kind, fill, stroke, label in found]


def test_it_draws_the_latest_view_of_each_perspective(login, people, assessed):
    with translation.override("en"):
        r = login(people["member"]).get(url(assessed), HTTP_ACCEPT_LANGUAGE="en")
    svg = stairs_svg(r.content)
    # officials: the usual circle (now) and flag (target), named as theirs
    legend = svg.split('<g class="legend">', 1)[1]
    assert "Officials – now: level 2" in legend
    assert "Officials – target: level 5" in legend
    # activists: two badges in one shape of their own
    assert "Activists – now: level 2" in legend
    assert "Activists – target: level 7" in legend
    drawn = badges(svg)
    kinds = {label: kind for kind, _fill, label in drawn}
    assert kinds == {
        "Officials – now": "current",
        "Officials – target": "target",
        "Activists – now": "perspective",
        "Activists – target": "perspective",
    }
    fills = {fill for kind, fill, _label in drawn if kind == "perspective"}
    assert len(fills) == 1
    # the older official view (1 → 3) is history, not a position
    assert "level 3" not in legend and "level 1" not in legend


def test_it_lists_the_positions_as_a_table(login, people, assessed, official):
    body = login(people["member"]).get(url(assessed)).content.decode()
    table = body.split('id="positions"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr data-perspective=")[1:]
    assert [row.split('"', 2)[1] for row in rows] == ["official", "activist"]
    assert "Torikauppa tukee lähiruokastrategiaa" in rows[0]
    assert official.username in rows[0]
    # the step titles of the REKO ladder, in Finnish
    assert "REKot uuden ajan torikaupakonseptina" in rows[0]


def test_it_highlights_the_disagreement(login, people, assessed):
    body = login(people["maintainer"]).get(url(assessed)).content.decode()
    assert 'class="hds-notification hds-notification--alert case-disagreement"' in body
    assert 'data-aspect="target"' in body
    assert 'data-aspect="current"' not in body


def test_it_shows_no_disagreement_when_views_agree(login, people, reko_case):
    AssessmentFactory(case=reko_case, perspective="official", current_level=2, target_level=5)
    AssessmentFactory(case=reko_case, perspective="activist", current_level=2, target_level=5)
    body = login(people["member"]).get(url(reko_case)).content.decode()
    assert "case-disagreement" not in body


def test_it_shows_the_history_newest_first(login, people, assessed):
    body = login(people["member"]).get(url(assessed)).content.decode()
    history = body.split('id="history"', 1)[1].split("</section>", 1)[0]
    dates = [part.split('"', 1)[0] for part in history.split('<time datetime="')[1:]]
    assert dates == ["2026-04-01", "2026-03-01", "2025-01-10"]
    assert "Haluamme yhteisen palvelun" in history


def test_it_says_when_nobody_has_assessed_the_case(login, people, reko_case):
    r = login(people["member"]).get(url(reko_case))
    assert r.status_code == 200
    assert "<svg" in r.content.decode()
    assert "case-disagreement" not in r.content.decode()


def test_it_shows_interactions_newest_first(login, people, reko_case, official):
    interaction(reko_case, dt.date(2026, 1, 5), "Ensimmäinen tapaaminen", author=official)
    interaction(reko_case, dt.date(2026, 2, 5), "Toinen tapaaminen", kind="group")
    body = login(people["maintainer"]).get(url(reko_case)).content.decode()
    section = body.split('id="interactions"', 1)[1].split("</section>", 1)[0]
    assert section.index("Toinen tapaaminen") < section.index("Ensimmäinen tapaaminen")


@pytest.mark.parametrize(
    ("who", "assess", "log", "edit"),
    [
        ("maintainer", True, False, False),
        ("member", True, True, True),
        ("outsider", False, False, False),
        ("coordinator", True, True, True),
    ],
)
def test_it_offers_only_the_actions_the_person_may_take(
    login, people, reko_case, who, assess, log, edit
):
    body = login(people[who]).get(url(reko_case)).content.decode()
    assert (f"/cases/{reko_case.pk}/assess/" in body) is assess
    assert (f"/cases/{reko_case.pk}/interactions/new/" in body) is log
    assert (f"/cases/{reko_case.pk}/edit/" in body) is edit


def test_it_escapes_what_people_wrote(login, people, reko_case):
    AssessmentFactory(case=reko_case, perspective="official", rationale="<script>alert(1)</script>")
    body = login(people["member"]).get(url(reko_case)).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)" in body


# --- language --------------------------------------------------------------------------------


def test_it_renders_in_swedish(login, people, assessed):
    r = login(people["member"]).get(url(assessed), HTTP_ACCEPT_LANGUAGE="sv")
    assert r.status_code == 200
    assert html_lang(r.content) == "sv"
    body = r.content.decode()
    assert "Ringarna som ett nytt torgkoncept" in body  # REKO level 2 in Swedish
    assert "REKot uuden ajan" not in body


# --- no N+1 ----------------------------------------------------------------------------------


def _fill(case, n, author):
    for i in range(n):
        AssessmentFactory(
            case=case,
            perspective=("official", "activist", "researcher", "workshop")[i % 4],
            current_level=i % 8 + 1,
            target_level=8,
            assessed_on=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            author=author,
        )
        interaction(case, dt.date(2026, 1, 1) + dt.timedelta(days=i), f"n{i}", author=author)


def _queries(client, case):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url(case)).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["member", "maintainer"])
def test_its_query_count_does_not_grow_with_the_history(login, people, unit, builtin, who):
    reko = Ladder.objects.get(slug="reko")
    small = CaseFactory(
        activism=ActivismFactory(maintainers=[people["maintainer"]]), unit=unit, ladder=reko
    )
    large = CaseFactory(
        activism=ActivismFactory(maintainers=[people["maintainer"]]), unit=unit, ladder=reko
    )
    _fill(small, 2, people["member"])
    _fill(large, 20, UserFactory())
    client = login(people[who])
    client.get(url(small))  # warm up the session
    assert _queries(client, small) == _queries(client, large)


def test_it_links_the_unit_and_the_activism_for_the_administration(login, people, reko_case):
    body = login(people["member"]).get(url(reko_case)).content.decode()
    assert f'href="/units/{reko_case.unit.slug}/"' in body
    assert f'href="/activisms/{reko_case.activism.pk}/"' in body


def test_it_links_no_internal_unit_page_for_activists(login, people, reko_case):
    body = login(people["maintainer"]).get(url(reko_case)).content.decode()
    assert f'href="/units/{reko_case.unit.slug}/"' not in body
    assert 'href="/units/"' not in body
    assert f'href="/activisms/{reko_case.activism.pk}/"' in body  # their own activism's page
