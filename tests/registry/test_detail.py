from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from portaat.ladders.models import Ladder
from portaat.registry.models import Channel
from tests.factories import ActivismFactory, AssessmentFactory, CaseFactory, UnitFactory
from tests.registry.helpers import page_text, shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring(builtin, areas, activist):
    """A public REKO ring with everything its page shows, and consented contact details."""
    activism = ActivismFactory(
        name="Vuosaaren REKO",
        description="Lähiruokaa torstaisin.\n\nTervetuloa!",
        areas=[areas["vuosaari"], areas["tapiola"]],
        maintainers=[activist],
        contact_name="Maija Meikäläinen",
        contact_email="maija@example.org",
        contact_phone="040 123 4567",
        contact_consent_at=timezone.now(),
        contact_consent_text="…",
    )
    activism.domains.set([Ladder.objects.get(slug="reko")])
    for url, platform, handle in [
        ("https://www.facebook.com/groups/vuosaarenreko", "facebook_group", "vuosaarenreko"),
        ("https://mastodon.social/tags/vuosaarireko", "mastodon_hashtag", "#vuosaarireko"),
    ]:
        Channel.objects.create(activism=activism, url=url, platform=platform, handle=handle)
    return activism


def test_the_public_page_shows_what_the_activism_is(client_for, ring):
    r = client_for("anonymous").get(f"/activisms/{ring.pk}/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "<h1>Vuosaaren REKO</h1>" in text
    assert "<p>Lähiruokaa torstaisin.</p>" in text
    assert "REKO-rengas" in text
    assert shown("No legal person needed") in text
    assert "Vuosaari (Helsinki)" in text
    assert "Tapiola (Espoo)" in text
    reko = Ladder.objects.get(slug="reko")
    assert f'<a href="/ladders/reko/">{reko.domain}</a>' in text
    assert shown("Facebook group") in text
    assert (
        'href="https://www.facebook.com/groups/vuosaarenreko" rel="nofollow noopener ugc"' in text
    )
    assert shown("Mastodon hashtag") in text
    assert "#vuosaarireko" in text


def test_area_names_follow_the_language(client_for, ring):
    r = client_for("anonymous").get(f"/activisms/{ring.pk}/", HTTP_ACCEPT_LANGUAGE="sv")
    text = r.content.decode()
    assert 'lang="sv"' in text
    assert "Nordsjö (Helsinki)" in text
    assert '"label": "Hagalund"' in text


def test_another_legal_form_is_shown_as_it_is(client_for):
    activism = ActivismFactory(legal_form="association")
    text = client_for("anonymous").get(f"/activisms/{activism.pk}/").content.decode()
    assert shown("Registered association") in text
    assert shown("No legal person needed") not in text


@pytest.mark.parametrize("persona", ["anonymous", "researcher"])
def test_contact_details_are_hidden_from_the_public(client_for, ring, persona):
    text = client_for(persona).get(f"/activisms/{ring.pk}/").content.decode()
    for personal in ("Maija Meikäläinen", "maija@example.org", "040 123 4567"):
        assert personal not in text
    assert shown("Contact person") not in text


def test_contact_details_are_hidden_from_other_activists(client_for, ring, activist):
    ring.maintainers.clear()
    text = client_for("activist").get(f"/activisms/{ring.pk}/").content.decode()
    assert "maija@example.org" not in text


@pytest.mark.parametrize("persona", ["activist", "official", "coordinator"])
def test_contact_details_are_shown_to_maintainers_and_the_administration(client_for, ring, persona):
    text = client_for(persona).get(f"/activisms/{ring.pk}/").content.decode()
    assert "Maija Meikäläinen" in text
    assert 'href="mailto:maija@example.org"' in text
    assert "040 123 4567" in text


@pytest.mark.parametrize(
    ("state", "badges"),
    [
        ({"visibility": "internal"}, ["Administration only"]),
        ({"review": "pending", "origin": "self"}, ["Awaiting review"]),
        ({"review": "rejected", "origin": "self"}, ["Rejected"]),
        (
            {"visibility": "internal", "review": "pending", "origin": "self"},
            ["Administration only", "Awaiting review"],
        ),
    ],
)
def test_hidden_activisms_are_not_found_by_outsiders(client_for, state, badges):
    activism = ActivismFactory(**state)
    for persona in ("anonymous", "activist", "researcher"):
        r = client_for(persona).get(f"/activisms/{activism.pk}/")
        assert r.status_code == 404, persona
        assert activism.name not in r.content.decode()
    for persona in ("official", "coordinator", "admin"):
        r = client_for(persona).get(f"/activisms/{activism.pk}/")
        assert r.status_code == 200, persona
        for badge in badges:
            assert shown(badge) in r.content.decode(), (persona, badge)


def test_a_maintainer_sees_their_pending_entry_with_a_notice(client_for, activist):
    activism = ActivismFactory(review="pending", origin="self", maintainers=[activist])
    r = client_for("activist").get(f"/activisms/{activism.pk}/")
    assert r.status_code == 200
    text = page_text(r)
    assert gettext("Awaiting review") in text
    notice = (
        "An official will review this activism before it is public. Until then only you and "
        "the city's officials see it."
    )
    assert gettext(notice) in text
    # no review buttons for them
    assert f'action="/activisms/{activism.pk}/review/"' not in text


def test_officials_can_review_a_pending_entry_from_its_page(client_for):
    activism = ActivismFactory(review="pending", origin="self")
    text = client_for("official").get(f"/activisms/{activism.pk}/").content.decode()
    assert f'action="/activisms/{activism.pk}/review/"' in text
    assert 'name="decision" value="approve"' in text
    assert f'name="next" value="/activisms/{activism.pk}/"' in text


def test_an_unknown_activism_is_not_found(client_for):
    assert client_for("official").get("/activisms/999999/").status_code == 404


def test_only_editors_get_an_edit_link(client_for, ring):
    link = f'href="/activisms/{ring.pk}/edit/"'
    assert link not in client_for("anonymous").get(f"/activisms/{ring.pk}/").content.decode()
    assert link not in client_for("researcher").get(f"/activisms/{ring.pk}/").content.decode()
    assert link in client_for("activist").get(f"/activisms/{ring.pk}/").content.decode()
    assert link in client_for("official").get(f"/activisms/{ring.pk}/").content.decode()


# --- cases -------------------------------------------------------------------------------


@pytest.fixture
def cases(reko_case):
    """The REKO ring's case with positions public, and a second unit's case kept internal."""
    reko_case.positions_public = True
    reko_case.internal_notes = "Sisäinen muistiinpano"
    reko_case.save()
    AssessmentFactory(case=reko_case, current_level=2, target_level=5)
    AssessmentFactory(
        case=reko_case, current_level=3, target_level=6, assessed_on=timezone.localdate()
    )
    AssessmentFactory(case=reko_case, perspective="activist", current_level=2, target_level=7)
    hidden = CaseFactory(
        activism=reko_case.activism,
        unit=UnitFactory(slug="social", name_fi="Sosiaalipalvelut"),
        ladder=Ladder.objects.get(slug="generic"),
    )
    AssessmentFactory(case=hidden, current_level=1, target_level=4)
    return {"public": reko_case, "hidden": hidden}


def _rows(response):
    return [
        (
            row["case"].unit.slug,
            (row["latest"].current_level, row["latest"].target_level) if row["latest"] else None,
        )
        for row in response.context["case_rows"]
    ]


@pytest.mark.parametrize("persona", ["anonymous", "researcher"])
def test_the_public_sees_only_public_positions(client_for, cases, persona):
    r = client_for(persona).get(f"/activisms/{cases['public'].activism.pk}/")
    # the latest official assessment, not the older one nor the activists' view
    assert _rows(r) == [("planning", (3, 6))]
    text = r.content.decode()
    assert "Asemakaavoitus" in text
    assert "Sosiaalipalvelut" not in text
    assert "Sisäinen muistiinpano" not in text
    ladder = cases["public"].ladder
    assert str(ladder.steps.get(level=3).title) in text
    assert str(ladder.steps.get(level=6).title) in text


@pytest.mark.parametrize("persona", ["activist", "official"])
def test_maintainers_and_the_administration_see_every_case(client_for, cases, persona):
    r = client_for(persona).get(f"/activisms/{cases['public'].activism.pk}/")
    assert sorted(_rows(r)) == [("planning", (3, 6)), ("social", (1, 4))]
    assert "Sisäinen muistiinpano" not in r.content.decode()


def test_a_case_not_assessed_yet(client_for, reko_case):
    reko_case.positions_public = True
    reko_case.save()
    r = client_for("anonymous").get(f"/activisms/{reko_case.activism.pk}/")
    assert _rows(r) == [("planning", None)]
    assert shown("Not assessed yet") in r.content.decode()


def test_no_cases(client_for, reko_case):
    r = client_for("anonymous").get(f"/activisms/{reko_case.activism.pk}/")
    assert _rows(r) == []
    assert shown("No cases to show.") in r.content.decode()


def test_the_page_query_count_does_not_grow_with_cases(client_for, reko_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("official")
    url = f"/activisms/{reko_case.activism.pk}/"
    AssessmentFactory(case=reko_case)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for slug in ("city-planning", "generic", "peer-lending"):
        case = CaseFactory(
            activism=reko_case.activism, unit=reko_case.unit, ladder=Ladder.objects.get(slug=slug)
        )
        AssessmentFactory(case=case)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
