"""The acceptance journey over HTTP: an official and an activist place a REKO case on the
stairs, and the case page shows both views and where they disagree."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape

from portaat.cases.models import Assessment, Case
from portaat.cases.queries import Disagreement
from portaat.ladders.models import Ladder
from tests.factories import ActivismFactory
from tests.helpers import html_lang

pytestmark = pytest.mark.django_db


def legend(body: bytes) -> str:
    svg = body.decode().split('<svg xmlns="http://www.w3.org/2000/svg"', 1)[1]
    return svg.split('<g class="legend">', 1)[1].split("</g>", 1)[0]


def expected_labels(lang: str) -> list[str]:
    """The legend lines the page should draw, in ``lang``."""
    with translation.override(lang):
        level = translation.gettext("level {level}")
        officials = str(translation.gettext("Officials"))
        activists = str(translation.gettext("Activists"))
        now = translation.gettext("%(perspective)s – now")
        target = translation.gettext("%(perspective)s – target")
        return [
            f"{now % {'perspective': officials}}: {level.format(level=2)}",
            f"{target % {'perspective': officials}}: {level.format(level=5)}",
            f"{now % {'perspective': activists}}: {level.format(level=2)}",
            f"{target % {'perspective': activists}}: {level.format(level=7)}",
        ]


def test_an_official_and_an_activist_place_a_reko_ring_on_the_stairs(login, people, builtin, unit):
    official, activist = people["member"], people["maintainer"]
    reko = Ladder.objects.get(slug="reko")
    ring = ActivismFactory(name="Kallion REKO", maintainers=[activist])
    ring.domains.set([reko])

    # the official opens the case on the REKO ladder …
    as_official = login(official)
    r = as_official.post(f"/cases/new/?activism={ring.pk}", {"unit": unit.pk, "ladder": reko.pk})
    assert r.status_code == 302
    case = Case.objects.get(activism=ring)
    page = f"/cases/{case.pk}/"
    assert r["Location"] == page

    # … and records current 2, target 5, with a rationale
    r = as_official.post(
        f"{page}assess/",
        {
            "perspective": "official",
            "current_level": "2",
            "target_level": "5",
            "rationale": "Lähiruokastrategia tukee säännöllistä jakopaikkaa",
            "assessed_on": "2026-03-02",
        },
    )
    assert r.status_code == 302
    as_official.post(
        f"{page}edit/", {"internal_notes": "Jakopaikan lupa-asia kesken", "positions_public": ""}
    )

    # the ring's maintainer sees the case, may record only the activists' view …
    as_activist = login(activist)
    r = as_activist.get(f"{page}assess/")
    assert r.status_code == 200
    assert 'value="official"' not in r.content.decode()
    r = as_activist.post(
        f"{page}assess/",
        {
            "perspective": "activist",
            "current_level": "2",
            "target_level": "7",
            "rationale": "Haluamme olla mukana päätöksissä",
            "assessed_on": "2026-03-09",
        },
    )
    assert r.status_code == 302
    assert r["Location"] == page
    # … and cannot log interactions
    assert as_activist.get(f"{page}interactions/new/").status_code == 403

    assert list(
        Assessment.objects.order_by("assessed_on").values_list(
            "perspective", "current_level", "target_level"
        )
    ) == [("official", 2, 5), ("activist", 2, 7)]

    # the case page shows both on the stairs and the disagreement on the target, fi and sv
    for lang in ("fi", "sv"):
        for client in (as_official, as_activist):
            r = client.get(page, HTTP_ACCEPT_LANGUAGE=lang)
            assert r.status_code == 200
            assert html_lang(r.content) == lang
            drawn = legend(r.content)
            for line in expected_labels(lang):
                assert line in drawn, (lang, line)
            body = r.content.decode()
            with translation.override(lang):
                message = Disagreement("target", (("official", 5), ("activist", 7))).message()
            assert escape(message) in body
            assert 'data-aspect="current"' not in body  # both say 2 now
            assert "Lähiruokastrategia tukee säännöllistä jakopaikkaa" in body
            assert "Haluamme olla mukana päätöksissä" in body

    # the unit keeps its internal notes to itself
    assert "Jakopaikan lupa-asia kesken" in as_official.get(page).content.decode()
    assert "Jakopaikan lupa-asia kesken" not in as_activist.get(page).content.decode()
