"""One person's data (portaat/people.py): everything about an e-mail address is exported
without credentials; erasing removes what is only theirs, anonymises the account, keeps the
administration's records and touches nobody else."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from portaat.access import Role
from portaat.api import keys
from portaat.crowds.models import Volunteer
from portaat.models import ApiKey, Notification
from portaat.people import erase_person, export_person
from portaat.registry.models import Activism, Membership
from portaat.thanks.models import Thanks
from tests.factories import (
    ActivismFactory,
    AssessmentFactory,
    MembershipFactory,
    ThanksFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.helpers import give_authenticator_app

pytestmark = pytest.mark.django_db
EMAIL = "maija.meikalainen@example.fi"


@pytest.fixture
def maija(roles):
    user = UserFactory(username=EMAIL, email=EMAIL, first_name="Maija", role=Role.OFFICIAL)
    MembershipFactory(user=user)
    Notification.objects.create(user=user, key="k", kind="x", params={})
    _row, user.api_key = keys.create(user, "weekly report")
    user.authenticator_secret = give_authenticator_app(user)
    user.assessment = AssessmentFactory(author=user, rationale="Ryhmä on aktiivinen.")
    user.activism = activism = ActivismFactory(
        contact_name="Maija M.", contact_email=EMAIL.upper(), contact_phone="+358401234567"
    )
    activism.maintainers.add(user)
    VolunteerFactory(email=EMAIL, name="Maija")
    ThanksFactory(contact_email=EMAIL)
    Client().force_login(user)
    return user


@pytest.fixture
def someone_else(roles):
    other = UserFactory(username="ville@example.fi", email="ville@example.fi")
    Notification.objects.create(user=other, key="k", kind="x", params={})
    VolunteerFactory(email="ville@example.fi")
    ActivismFactory(contact_email="ville@example.fi", contact_name="Ville")
    Client().force_login(other)
    return other


def test_the_export_holds_everything_and_no_credentials(maija, someone_else):
    found = export_person(EMAIL)
    assert found["account"]["email"] == EMAIL
    assert found["account"]["groups"]
    records = found["records"]
    for label in (
        "portaat.notification",
        "portaat.apikey",
        "mfa.authenticator",
        "registry.membership",
        "cases.assessment",
        "registry.activism",
        "crowds.volunteer",
        "thanks.thanks",
    ):
        assert records.get(label), label
    text = json.dumps(found, cls=DjangoJSONEncoder)
    assert "ville@example.fi" not in text
    assert maija.password not in text
    assert maija.api_key not in text
    assert ApiKey.objects.get(user=maija).digest not in text
    for app in Authenticator.objects.filter(user=maija):  # not even encrypted
        assert not set(map(str, app.data.values())) & set(text.split('"'))
    assert maija.authenticator_secret not in text
    assert Volunteer.objects.get(email=EMAIL).secret not in text
    assert "password" not in found["account"]


def test_erasing_removes_what_is_only_theirs_and_keeps_the_records(maija, someone_else):
    counts = erase_person(EMAIL)
    assert counts["account"] == 1
    maija.refresh_from_db()
    assert (maija.username, maija.email, maija.first_name) == (f"erased-{maija.pk}", "", "")
    assert not maija.is_active and not maija.has_usable_password()
    assert not maija.groups.exists()
    assert not Notification.objects.filter(user=maija).exists()
    assert not ApiKey.objects.filter(user=maija).exists()
    assert not Authenticator.objects.filter(user=maija).exists()
    assert not Membership.objects.filter(user=maija).exists()
    assert not maija.maintained_activisms.exists()
    sessions = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(maija.pk) not in sessions and str(someone_else.pk) in sessions
    # the administration's record stays, now by an anonymous account
    assessment = type(maija.assessment).objects.get(pk=maija.assessment.pk)
    assert assessment.author_id == maija.pk and assessment.rationale
    assert not Volunteer.objects.filter(email__iexact=EMAIL).exists()
    contact = Activism.objects.get(pk=maija.activism.pk)
    assert (contact.contact_name, contact.contact_email, contact.contact_phone) == ("", "", "")
    assert contact.contact_consent_at is None
    assert not Thanks.objects.filter(contact_email__iexact=EMAIL).exists()
    # nobody else is touched
    assert Notification.objects.filter(user=someone_else).exists()
    assert Volunteer.objects.filter(email="ville@example.fi").exists()
    assert Activism.objects.filter(contact_name="Ville").exists()
    assert get_user_model().objects.get(pk=someone_else.pk).is_active
    # and nothing is found any more
    again = export_person(EMAIL)
    assert again["account"] is None and not again["records"]
