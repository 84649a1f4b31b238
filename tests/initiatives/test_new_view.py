"""/initiatives/new/: an activism's people (or an official) post an initiative."""

from __future__ import annotations

import pytest

from portaat.initiatives.models import Initiative
from portaat.ladders.models import Ladder
from tests.factories import ActivismFactory
from tests.initiatives.conftest import in_english

pytestmark = pytest.mark.django_db


def form(activism, **extra):
    return {
        "activism": activism.pk,
        "title": "Korjauskahvila",
        "description": "Kuukausittainen korjauskahvila.",
        "missed_grant": "Osallistuva budjetointi",
        "amount_sought": "2500",
        "needed_by": "2027-05-01",
        **extra,
    }


def test_an_activist_posts_for_their_activism_with_its_domains_and_areas(
    client_for, reko_case, places
):
    ring = reko_case.activism
    ring.areas.add(places["kallio"])
    ring.domains.add(Ladder.objects.get(slug="reko"))
    response = client_for("activist").post("/initiatives/new/", form(ring))
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/initiatives/{initiative.pk}/"
    assert initiative.amount_sought == 2500
    # left empty: the activism's own domains and areas
    assert [a.key for a in initiative.areas.all()] == ["kallio"]
    assert [d.slug for d in initiative.domains.all()] == ["reko"]


def test_the_activism_is_preselected_from_the_activism_page(client_for, reko_case):
    page = client_for("activist").get(f"/initiatives/new/?activism={reko_case.activism.pk}")
    assert f'<option value="{reko_case.activism.pk}" selected>' in page.content.decode()


def test_an_activist_cannot_post_for_someone_elses_activism(client_for, reko_case):
    other = ActivismFactory(name="Vieras")
    response = client_for("activist").post("/initiatives/new/", form(other))
    assert response.status_code == 400
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"amount_sought": "-5"}, "greater than or equal to 0"),
        ({"amount_sought": "999999999999"}, "less than or equal to"),
        ({"needed_by": "31.2.2027"}, "Enter a valid date"),
        ({"title": ""}, "This field is required"),
        ({"areas": ["no-such-area"]}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client_for, reko_case, places, extra, message
):
    response = in_english(client_for("activist")).post(
        "/initiatives/new/", form(reko_case.activism, **extra)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Initiative.objects.exists()
