"""The admin site signs people in as the rest of the site does (allauth: rate limits, the
authenticator app's code) and asks its staff for the second step, as the call pages do: it shows
volunteers' contact details too."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.helpers import give_authenticator_app, sign_in_with_second_step, totp_code

pytestmark = pytest.mark.django_db


def test_the_admin_login_form_is_the_sites_own(admin):
    response = Client().get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    # Django's own form (no rate limit, no second step) takes no password any more
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_staff_without_the_second_step_are_sent_to_set_it_up(admin):
    client = Client()
    client.force_login(admin)
    response = client.get("/admin/crowds/volunteer/")
    assert response.status_code == 302
    assert response["Location"] == "/two-step/?next=%2Fadmin%2Fcrowds%2Fvolunteer%2F"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert b"/accounts/2fa/totp/activate/" in page.content


def test_staff_sign_in_with_the_code_and_reach_the_admin(admin):
    secret = give_authenticator_app(admin)
    client = Client()
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": admin.email, "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/crowds/volunteer/").status_code == 200


def test_people_who_are_not_staff_still_get_the_admin_login(official):
    client = sign_in_with_second_step(Client(), official)
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=/admin/").status_code == 403
