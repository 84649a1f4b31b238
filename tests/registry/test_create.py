from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from portaat.ladders.models import Ladder
from portaat.registry.forms import CONSENT_TEXT
from portaat.registry.models import Activism, Channel
from tests.registry.helpers import form_data, shown

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in(client_for, kinds):
    client = client_for("anonymous")
    r = client.get("/activisms/new/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/activisms/new/"
    r = client.post("/activisms/new/", form_data(kinds["reko"]))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    assert not Activism.objects.exists()


def test_an_official_gets_the_full_form(client_for, kinds, areas, builtin):
    r = client_for("official").get("/activisms/new/")
    assert r.status_code == 200
    text = r.content.decode()
    assert shown("Register an activism") in text
    for name in ("name", "description", "kind", "domains", "areas", "channels", "legal_form"):
        assert f'name="{name}"' in text
    assert 'name="visibility" value="internal" class="hds-radio-button__input"' in text
    assert (
        'value="none" class="hds-radio-button__input" id="id_legal_form_0" required checked' in text
    )
    assert 'name="publish"' not in text
    assert escape_consent() in text
    assert 'value="helsinki-kallahti"' in text
    # domains are the cooperation ladders, labelled by their field
    assert str(Ladder.objects.get(slug="reko").domain) in text
    assert f'value="{Ladder.objects.get(slug="somehallinto").pk}"' not in text


def escape_consent() -> str:
    return escape(str(CONSENT_TEXT))


def test_an_official_registers_an_activism(client_for, official, kinds, areas, builtin):
    reko = Ladder.objects.get(slug="reko")
    data = form_data(
        kinds["reko"],
        domains=[str(reko.pk)],
        areas=["helsinki-vuosaari", "helsinki-kallahti"],
        channels=(
            "https://www.facebook.com/groups/vuosaarenreko\n"
            "\n"
            "  https://mastodon.social/@vuosaarireko  \n"
            "https://vuosaarenreko.fi/feed/\n"
            "https://www.facebook.com/groups/vuosaarenreko\n"
        ),
    )
    client = client_for("official")
    r = client.post("/activisms/new/", data)
    activism = Activism.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/activisms/{activism.pk}/"
    assert activism.name == "Vuosaaren REKO"
    assert activism.kind == kinds["reko"]
    assert activism.legal_form == "none"
    assert activism.status == "active"
    assert activism.visibility == "internal"  # the default: administration only
    assert activism.origin == "official"
    assert activism.review == "approved"
    assert activism.created_by == official
    assert list(activism.maintainers.all()) == []
    assert list(activism.domains.all()) == [reko]
    assert {a.key for a in activism.areas.all()} == {"helsinki-vuosaari", "helsinki-kallahti"}
    channels = {c.url: (c.platform, c.handle) for c in Channel.objects.all()}
    assert channels == {
        "https://www.facebook.com/groups/vuosaarenreko": ("facebook_group", "vuosaarenreko"),
        "https://mastodon.social/@vuosaarireko": (
            "mastodon_account",
            "@vuosaarireko@mastodon.social",
        ),
        "https://vuosaarenreko.fi/feed/": ("rss", ""),
    }
    page = client.get(r["Location"])
    assert shown("The activism was registered.") in page.content.decode()


def test_an_official_may_make_it_public_at_once(client_for, kinds):
    client_for("official").post("/activisms/new/", form_data(kinds["reko"], visibility="public"))
    activism = Activism.objects.get()
    assert activism.is_public
    assert client_for("anonymous").get(f"/activisms/{activism.pk}/").status_code == 200


def test_contact_details_are_stored_with_the_consent_shown(client_for, kinds):
    data = form_data(
        kinds["reko"],
        contact_name="Maija Meikäläinen",
        contact_email="maija@example.org",
        contact_phone="040 123 4567",
        contact_consent="on",
    )
    r = client_for("official").post("/activisms/new/", data)
    assert r.status_code == 302
    activism = Activism.objects.get()
    assert activism.contact_name == "Maija Meikäläinen"
    assert activism.contact_email == "maija@example.org"
    assert activism.contact_phone == "040 123 4567"
    assert activism.contact_consent_at is not None
    assert activism.contact_consent_text == str(CONSENT_TEXT)


def test_a_ticked_consent_without_contact_details_stores_nothing(client_for, kinds):
    client_for("official").post("/activisms/new/", form_data(kinds["reko"], contact_consent="on"))
    activism = Activism.objects.get()
    assert activism.contact_consent_at is None
    assert activism.contact_consent_text == ""


# case → (POST overrides, the field that gets the error, our own message or None for Django's)
CONSENT_NEEDED = (
    "Contact details can be saved only with the person's consent: tick the box, or leave the "
    "contact details empty."
)
NOT_A_WEB_ADDRESS = "“%(url)s” is not a web address (it should start with https://)."
BAD_INPUT = {
    "bad URL in channels": (
        {"channels": "https://ok.example.org/\nnot a web address"},
        "channels",
        (NOT_A_WEB_ADDRESS, {"url": "not a web address"}),
    ),
    "javascript URL": (
        {"channels": "javascript:alert(1)"},
        "channels",
        (NOT_A_WEB_ADDRESS, {"url": "javascript:alert(1)"}),
    ),
    "too long channel URL": (
        {"channels": "https://example.org/" + "a" * 500},
        "channels",
        ("An address may be at most %(max)d characters long.", {"max": 500}),
    ),
    "too many channels": (
        {"channels": "\n".join(f"https://example.org/{n}" for n in range(31))},
        "channels",
        ("Give at most %(max)d channels.", {"max": 30}),
    ),
    "contact without consent": ({"contact_name": "Maija"}, "contact_consent", (CONSENT_NEEDED, {})),
    "phone without consent": (
        {"contact_phone": "040 1234"},
        "contact_consent",
        (CONSENT_NEEDED, {}),
    ),
    "email without consent": (
        {"contact_email": "maija@example.org"},
        "contact_consent",
        (CONSENT_NEEDED, {}),
    ),
    "unknown kind id": ({"kind": "999999"}, "kind", None),
    "kind not a number": ({"kind": "reko"}, "kind", None),
    "missing kind": ({"kind": ""}, "kind", None),
    "too long name": ({"name": "x" * 201}, "name", None),
    "blank name": ({"name": "   "}, "name", None),
    "too long description": ({"description": "x" * 5001}, "description", None),
    "unknown area": ({"areas": ["atlantis"]}, "areas", None),
    "unknown domain": ({"domains": ["999999"]}, "domains", None),
    "bad legal form": ({"legal_form": "foundation"}, "legal_form", None),
    "bad status": ({"status": "asleep"}, "status", None),
    "bad email": (
        {"contact_email": "not-an-email", "contact_consent": "on"},
        "contact_email",
        None,
    ),
    "too long phone": ({"contact_phone": "1" * 41, "contact_consent": "on"}, "contact_phone", None),
}


def assert_refused(response, field: str, ours) -> None:
    assert response.status_code == 400
    text = response.content.decode()
    assert shown("The activism was not saved") in text
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if ours is not None:
        message, params = ours
        assert shown(message, **params) in text
    for message in errors[field]:
        assert escape(message) in text


@pytest.mark.parametrize("persona", ["official", "activist"])
@pytest.mark.parametrize("case", BAD_INPUT.keys())
def test_bad_input_is_refused_and_nothing_is_written(client_for, kinds, areas, persona, case):
    overrides, field, ours = BAD_INPUT[case]
    r = client_for(persona).post("/activisms/new/", form_data(kinds["reko"], **overrides))
    assert_refused(r, field, ours)
    assert not Activism.objects.exists()
    assert not Channel.objects.exists()


def test_a_bad_visibility_is_refused(client_for, kinds):
    r = client_for("official").post(
        "/activisms/new/", form_data(kinds["reko"], visibility="secret")
    )
    assert_refused(r, "visibility", None)
    assert not Activism.objects.exists()


def test_the_form_keeps_what_was_typed(client_for, kinds):
    data = form_data(kinds["reko"], description="Torstaisin", channels="ftp://x")
    text = client_for("official").post("/activisms/new/", data).content.decode()
    assert "Torstaisin</textarea>" in text
    assert "ftp://x</textarea>" in text


def test_an_error_from_the_service_is_shown_and_nothing_is_written(client_for, kinds, monkeypatch):
    """Defence in depth: the service's own checks may refuse what the form let through."""
    from portaat.registry import services

    real = services.save_activism

    def refuse(**kwargs):
        real(**kwargs)  # writes inside the transaction …
        raise ValidationError("Computer says no.")  # … which this rolls back

    monkeypatch.setattr(services, "save_activism", services.transaction.atomic(refuse))
    r = client_for("official").post("/activisms/new/", form_data(kinds["reko"]))
    assert r.status_code == 400
    assert "Computer says no." in r.content.decode()
    assert not Activism.objects.exists()


def test_get_and_post_only(client_for):
    assert client_for("official").put("/activisms/new/").status_code == 405
