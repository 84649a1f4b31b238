"""The theme taxonomy: seeded by ``portaat init``, edited in the app, used by the analyses."""

from __future__ import annotations

import json

import pytest

from portaat.planning import services
from portaat.planning.models import Theme

pytestmark = pytest.mark.django_db


def test_the_builtin_themes_are_loaded_once(themes):
    shipped = json.loads(services.THEMES_PATH.read_text(encoding="utf-8"))["themes"]
    assert themes == len(shipped) and 10 <= themes <= 20
    traffic = Theme.objects.get(key="traffic")
    assert traffic.is_builtin and traffic.label_fi and traffic.label_sv and traffic.label_en
    assert set(traffic.terms) == {"fi", "sv", "en"}
    assert services.load_builtin_themes() == 0


def test_an_edit_survives_a_new_release(themes):
    traffic = Theme.objects.get(key="traffic")
    services.save_theme(
        traffic, labels={"fi": "Liikenne ja kadut"}, terms={"fi": "ratikka"}, active=True
    )
    services.load_builtin_themes()
    traffic.refresh_from_db()
    assert traffic.label_fi == "Liikenne ja kadut"
    assert traffic.terms["fi"] == ["ratikka"]


def test_the_taxonomy_follows_the_edits(themes):
    Theme.objects.filter(key="traffic").update(active=False)
    taxonomy = services.taxonomy()
    assert taxonomy is not None and "traffic" not in taxonomy.ids
    assert "green_areas" in taxonomy.ids or len(taxonomy.ids) == themes - 1


def test_a_coordinator_edits_a_theme(client_for, themes):
    traffic = Theme.objects.get(key="traffic")
    client = client_for("coordinator")
    assert client.get(f"/planning/themes/{traffic.pk}/").status_code == 200
    response = client.post(
        f"/planning/themes/{traffic.pk}/",
        {
            "label_fi": "Liikenne",
            "label_sv": "Trafik",
            "label_en": "Traffic",
            "terms_fi": "ratikka, bussi\nkatu",
            "terms_sv": "spårvagn",
            "terms_en": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    traffic.refresh_from_db()
    assert traffic.terms == {"fi": ["ratikka", "bussi", "katu"], "sv": ["spårvagn"], "en": []}
    listing = client.get("/planning/themes/").content.decode()
    assert "Liikenne" in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label_fi": "", "terms_fi": "x"}, "Tämä kenttä vaaditaan."),
        ({"label_fi": "Liikenne", "terms_fi": "<script>"}, "ei ole sana"),
    ],
)
def test_bad_input_changes_nothing(client_for, themes, data, message):
    traffic = Theme.objects.get(key="traffic")
    before = (traffic.label_fi, traffic.terms)
    response = client_for("coordinator").post(f"/planning/themes/{traffic.pk}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    traffic.refresh_from_db()
    assert (traffic.label_fi, traffic.terms) == before


def test_portaat_init_loads_the_themes(db):
    from portaat.setup import initialise

    lines = list(initialise(admin_email=None, create_admin=False))
    assert any(line.startswith("planning themes: ") for line in lines)
    assert Theme.objects.filter(is_builtin=True).exists()
    again = list(initialise(admin_email=None, create_admin=False))
    assert "planning themes are up to date" in again
