"""The shipped consent text uses the interface's words (migration 0005 on a fresh install)."""

from __future__ import annotations

import importlib

import pytest

from portaat.crowds.models import ConsentText

pytestmark = pytest.mark.django_db


def test_the_swedish_consent_says_kallelse():
    first = ConsentText.objects.get(version=1)
    assert "skickar kallelser;" in first.text_sv
    assert "utrop" not in first.text_sv


def test_the_wording_is_not_changed_once_a_swedish_volunteer_agreed(areas):
    from django.apps import apps

    from tests.factories import VolunteerFactory

    migration = importlib.import_module("portaat.crowds.migrations.0005_consent_sv_wording")
    first = ConsentText.objects.get(version=1)
    first.text_sv = first.text_sv.replace(migration.NEW, migration.OLD)
    first.save()
    VolunteerFactory(areas=[areas["kallio"]], language="sv", consent=first)
    migration.fix_wording(apps, None)
    first.refresh_from_db()
    assert migration.OLD in first.text_sv
