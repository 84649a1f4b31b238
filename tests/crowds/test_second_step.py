"""Two-step sign-in for those who run calls: the call pages stay closed to a session opened with a
password alone; the way through is setting up an authenticator app or giving its code, over the
real allauth pages (the codes are computed here from RFC 6238, as a phone app would)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from portaat.crowds.models import Call, CallStatus, Delivery
from tests.factories import PASSWORD, CallFactory, VolunteerFactory
from tests.helpers import give_authenticator_app, sign_in_with_second_step, totp_code

pytestmark = pytest.mark.django_db

TWO_STEP = "/two-step/"


def _official_urls(call: Call) -> list[str]:
    base = f"/crowds/calls/{call.pk}/"
    return [
        "/crowds/",
        "/crowds/calls/new/",
        base,
        base + "edit/",
        base + "headcount/",
        base + "deliveries/",
        "/crowds/audit/",
    ]


def _password_client(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def test_a_caller_without_an_app_is_sent_to_set_one_up_from_every_call_page(caller, areas):
    call = CallFactory(areas=[areas["kallio"]])
    client = Client()
    client.force_login(caller)
    for url in _official_urls(call):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{TWO_STEP}?next={quote(url, safe='')}", url
    page = client.get(TWO_STEP, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b"/accounts/2fa/totp/activate/" in page.content
    assert b"Set up your authenticator app" in page.content


def test_sending_without_the_second_step_changes_nothing(smtp, caller, areas):
    VolunteerFactory(areas=[areas["kallio"]])
    call = CallFactory(areas=[areas["kallio"]])
    client = Client()
    client.force_login(caller)
    response = client.post(f"/crowds/calls/{call.pk}/send/", {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"].startswith(TWO_STEP)
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    assert not Delivery.objects.exists()
    assert smtp.messages == []


def test_the_live_headcount_stream_is_refused_without_the_second_step(caller, areas):
    call = CallFactory(areas=[areas["kallio"]])
    client = Client()
    client.force_login(caller)
    assert client.get(f"/crowds/calls/{call.pk}/events/").status_code == 403


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_explanation_is_translated(caller, lang):
    from tests.helpers import translation_of

    client = Client()
    client.force_login(caller)
    page = client.get(TWO_STEP, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    heading = "Two-step sign-in"
    assert (heading if lang == "en" else translation_of(heading, lang)) in page


def test_setting_up_the_app_opens_the_call_pages_in_that_session(caller):
    client = _password_client(caller)
    # allauth asks for the password once more before a second step is added
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert client.post("/accounts/2fa/totp/activate/", {"code": "000000"}).status_code == 200
    assert not Authenticator.objects.filter(user=caller).exists()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302  # to the recovery codes
    assert client.get("/crowds/").status_code == 200
    # the secret is stored encrypted, never as the app shows it
    stored = Authenticator.objects.get(user=caller, type=Authenticator.Type.TOTP)
    assert secret not in str(stored.data)


def test_signing_in_asks_for_the_code_and_then_opens_the_call_pages(caller):
    secret = give_authenticator_app(caller)
    client = Client()
    response = client.post("/accounts/login/", {"login": caller.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/crowds/")["Location"].startswith("/accounts/login/")  # not signed in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    if totp_code(secret) == "123456":  # pragma: no cover - one chance in a million
        pytest.skip("the wrong code happened to be right")
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/crowds/").status_code == 200


def test_a_session_opened_without_the_code_gives_it_and_goes_on(caller, areas):
    secret = give_authenticator_app(caller)
    call = CallFactory(areas=[areas["kallio"]])
    client = Client()
    client.force_login(caller)  # as a session opened before the app was set up
    target = f"/crowds/calls/{call.pk}/"
    response = client.get(target)
    assert response["Location"] == f"{TWO_STEP}?next={quote(target, safe='')}"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    link = re.search(r'href="(/accounts/2fa/reauthenticate/\?next=[^"]+)"', page)
    assert link, page
    url = link.group(1).replace("&amp;", "&")
    response = client.post(url, {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == target
    assert client.get(target).status_code == 200


def test_the_way_back_goes_only_to_this_site(caller):
    client = sign_in_with_second_step(Client(), caller)
    response = client.get(TWO_STEP + "?next=https://evil.example/")
    assert response["Location"] == "/"
    response = client.get(TWO_STEP + "?next=/crowds/audit/")
    assert response["Location"] == "/crowds/audit/"


def test_a_secret_that_can_no_longer_be_read_refuses_every_code(caller, settings):
    secret = give_authenticator_app(caller)
    settings.PORTAAT_CREDENTIALS_KEY = "another key than the one the secret was stored under"
    client = Client()
    client.post("/accounts/login/", {"login": caller.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get("/crowds/")["Location"].startswith("/accounts/login/")


def test_the_requirement_can_be_turned_off_for_a_local_trial(caller, settings):
    settings.PORTAAT_REQUIRE_MFA = False
    client = Client()
    client.force_login(caller)
    assert client.get("/crowds/").status_code == 200


def test_a_recovery_code_lets_in_once_when_the_phone_is_lost(caller):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    give_authenticator_app(caller)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=caller, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    first = Client()
    first.post("/accounts/login/", {"login": caller.email, "password": PASSWORD})
    assert first.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert first.get("/crowds/").status_code == 200
    again = Client()
    again.post("/accounts/login/", {"login": caller.email, "password": PASSWORD})
    response = again.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 200 and response.context["form"].errors


def test_turning_the_app_off_closes_the_call_pages_again(caller):
    secret = give_authenticator_app(caller)
    client = Client()
    client.post("/accounts/login/", {"login": caller.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/crowds/").status_code == 200
    response = client.get("/accounts/2fa/totp/deactivate/")
    if response.status_code == 302:  # allauth may ask for the password again first
        client.post(response["Location"], {"password": PASSWORD})
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user=caller, type=Authenticator.Type.TOTP).exists()
    response = client.get("/crowds/")
    assert response.status_code == 302 and response["Location"].startswith(TWO_STEP)
