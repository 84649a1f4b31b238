"""Migration cases 0003: workshop assessments recorded before it lose the join code from their
details, and keep everything else."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_the_join_code_is_removed_and_the_rest_kept(reko_case):
    migration = importlib.import_module(
        "portaat.cases.migrations.0003_workshop_assessments_without_join_code"
    )
    details = {"workshop": {"id": 7, "title": "Kevät", "code": "ABCDEFGH"}, "answers": 3}
    old = AssessmentFactory(case=reko_case, perspective="workshop", details=details)
    other = AssessmentFactory(case=reko_case, perspective="official", details={"note": "x"})
    migration.drop_join_codes(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.details == {"workshop": {"id": 7, "title": "Kevät"}, "answers": 3}
    assert other.details == {"note": "x"}
