"""research.services: pseudonyms, the scope of a project, redaction, grants and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portaat.research import services
from portaat.research.models import ExportLog
from tests.research.conftest import SECRETS
from tests.research.factories import ResearchProjectFactory

pytestmark = pytest.mark.django_db


def test_pseudonyms_are_stable_within_a_project_and_differ_across_projects(granted, ring_case):
    again = services.activism_rows(granted)
    assert services.activism_rows(granted) == again
    other = ResearchProjectFactory(cases=[ring_case])
    mine = services.case_rows(granted)[0]["case"]
    theirs = services.case_rows(other)[0]["case"]
    assert len(mine) == len(theirs) == 16
    assert mine != theirs
    assert mine not in (str(ring_case.pk), "")


def test_the_same_thing_has_the_same_pseudonym_across_datasets(granted):
    activism = services.activism_rows(granted)[0]["activism"]
    case = services.case_rows(granted)[0]
    assert case["activism"] == activism
    assert {a["case"] for a in services.assessment_rows(granted)} == {case["case"]}
    assert services.post_rows(granted)[0]["activisms"] == activism


def test_only_the_projects_cases_are_in_scope(granted, ring_case, other_case):
    assert len(services.activism_rows(granted)) == 1
    assert len(services.case_rows(granted)) == 1
    assert len(services.assessment_rows(granted)) == 2
    posts = services.post_rows(granted)
    assert len(posts) == 1
    assert "Vallila" not in str(posts)


def test_rows_keep_the_useful_variables(granted):
    (activism,) = services.activism_rows(granted)
    assert activism["kind"] == "reko-ring"
    assert activism["domains"] == "reko"
    assert activism["areas"] == "kallio"
    assert activism["channel_platforms"] == "mastodon_account"
    (case,) = services.case_rows(granted)
    assert (case["ladder"], case["unit"], case["assessments"]) == ("reko", "planning", 2)
    assert (case["current_level"], case["target_level"]) == (4, 3)  # the latest
    perspectives = [a["perspective"] for a in services.assessment_rows(granted)]
    assert perspectives == ["official", "activist"]


def test_no_names_handles_contacts_or_notes_in_any_dataset(granted):
    everything = str([services.ROWS[d](granted) for d in services.ROWS])
    for secret in SECRETS:
        assert secret.lower() not in everything.lower(), secret


def test_post_text_is_redacted(granted):
    (post,) = services.post_rows(granted)
    text = post["text"]
    for placeholder in ("[name]", "[contact]", "[handle]", "[mention]", "[link]"):
        assert placeholder in text, placeholder
    assert "jakaa torstaina" in text
    assert post["tags"] == "[handle] reko"
    assert post["author"] and post["author"] != "a" * 32


def test_the_redactor_alone():
    redact = services.Redactor(names=["Maija Meikäläinen", "Maija"], handles=["kallioreko"])
    assert redact("Soita +358 40 123 4567 tai 09 310 1691.") == "Soita [phone] tai [phone]."
    assert redact("Päivä 2026-06-01 klo 18") == "Päivä 2026-06-01 klo 18"
    assert redact("maija@example.org, @maija@masto.example") == "[email], [mention]"
    assert redact("MAIJA kävi #kallioreko www.example.org/x") == "[name] kävi [handle] [link]"


def test_grant_refuses_unknown_datasets_and_changes_nothing(project, coordinator):
    with pytest.raises(ValidationError):
        services.grant(
            project, by=coordinator, datasets=["people"], status="active", access_until=None
        )
    project.refresh_from_db()
    assert (project.datasets, project.status) == ([], "proposed")


def test_refusals(granted):
    assert services.export_refusal(granted, "posts") is None
    assert services.export_refusal(granted, "people")
    granted.access_until = timezone.localdate() - dt.timedelta(days=1)
    assert services.export_refusal(granted, "posts")
    granted.access_until = timezone.localdate()
    assert services.export_refusal(granted, "posts") is None
    granted.status = "ended"
    assert services.export_refusal(granted, "posts")
    granted.status = "active"
    granted.datasets = ["cases"]
    assert services.export_refusal(granted, "posts")


def test_an_export_is_logged(granted, researcher):
    rows = services.export(granted, "assessments", fmt="csv", user=researcher)
    log = ExportLog.objects.get()
    assert (log.dataset, log.format, log.rows, log.user) == (
        "assessments",
        "csv",
        len(rows),
        researcher,
    )


def test_the_intended_step_is_named_on_the_cases_ladder(granted):
    from portaat.ladders.models import Step

    assert services.intended_step(granted) == Step.objects.get(ladder__slug="reko", level=5).title
