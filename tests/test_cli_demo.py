"""``portaat demo --no-serve``: labelled example data, loaded idempotently."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from portaat import demo
from portaat.cli import main
from portaat.ladders.models import Ladder, Step
from portaat.workshops.models import Answer, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_admin_env(monkeypatch):
    monkeypatch.delenv("PORTAAT_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("PORTAAT_ADMIN_EMAIL", raising=False)


def _state() -> dict[str, object]:
    return {
        "ladders": list(Ladder.objects.order_by("slug").values_list("slug", "updated_at")),
        "steps": Step.objects.count(),
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "password")),
        "workshops": Workshop.objects.count(),
    }


def test_it_loads_the_demo_and_stops(capsys):
    assert main(["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "example ladder: [Example] Urban gardening stairs" in out
    for email, role in demo.DEMO_USERS:
        assert f"demo account {email} ({role.value})" in out
    assert "Portaat is running" not in out
    # an example workshop with answers, for the tour's live projector view
    assert "example workshop: join code" in out
    workshop = Workshop.objects.get(title__startswith="[Esimerkki]")
    assert workshop.is_open
    assert Answer.objects.filter(item__workshop=workshop).count() == len(demo.DEMO_PARTICIPANTS)


def test_it_is_idempotent(capsys):
    main(["demo", "--no-serve"])
    before = _state()
    capsys.readouterr()
    assert main(["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "demo account" not in out
    assert "example ladder" not in out
    assert "up to date" in out
    assert _state() == before


def test_its_ladder_is_labelled_as_an_example_in_every_language(capsys):
    main(["demo", "--no-serve"])
    example = Ladder.objects.get(is_builtin=False)
    assert example.name_fi.startswith("[Esimerkki]")
    assert example.name_sv.startswith("[Exempel]")
    assert example.name_en.startswith("[Example]")
    for lang, word in (("fi", "Esimerkki"), ("sv", "Exempel"), ("en", "Example")):
        assert word in getattr(example, f"description_{lang}")
    assert example.based_on.slug == "generic"
    assert example.steps.count() == 8


def test_its_accounts_are_on_an_example_domain_with_their_roles(capsys, client):
    main(["demo", "--no-serve"])
    for email, role in demo.DEMO_USERS:
        user = get_user_model().objects.get(username=email)
        assert email.endswith("@demo.example")
        assert list(user.groups.values_list("name", flat=True)) == [role.value]
    client.post(
        "/accounts/login/",
        {"login": "coordinator@demo.example", "password": demo.DEMO_PASSWORD},
    )
    assert client.get("/ladders/generic/copy/").status_code == 200


def test_it_shows_up_in_the_ladder_list(capsys, client):
    main(["demo", "--no-serve"])
    text = client.get("/ladders/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "[Example] Urban gardening stairs" in text


def test_a_failure_leaves_no_half_loaded_demo(capsys, monkeypatch):
    main(["init", "--no-admin"])

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "save_custom_ladder", broken)
    with pytest.raises(RuntimeError):
        list(demo.load_demo())
    assert not get_user_model().objects.filter(username__endswith="@demo.example").exists()


def test_it_refuses_a_public_site_unless_told(capsys, settings):
    settings.SITE_URL = "https://portaat.kaupunki.fi"
    assert main(["demo", "--no-serve"]) == 2
    assert "the demo adds accounts whose password is public" in capsys.readouterr().err
    assert not get_user_model().objects.filter(username__endswith="@demo.example").exists()
    assert main(["demo", "--no-serve", "--on-a-public-site"]) == 0
    assert get_user_model().objects.filter(username="official@demo.example").exists()
