"""The facilitator's pages: create, run, lock, hide, record the outcome, close, export."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portaat.cases.models import Assessment
from portaat.workshops import services
from portaat.workshops.models import Answer, Workshop
from tests.factories import UserFactory
from tests.workshops.conftest import answer_url

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HX = {"HTTP_HX_REQUEST": "true"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_official_creates_a_workshop(reko_case: Any, second_case: Any, official: Any) -> None:
    client = _client(official)
    form = client.get(reverse("workshops:new") + f"?case={reko_case.pk}", **EN)
    assert form.status_code == 200
    assert re.search(rf'value="{reko_case.pk}"[^>]*checked', form.content.decode())
    response = client.post(
        reverse("workshops:new"),
        {
            "title": "Iltatyöpaja",
            "cases": [reko_case.pk, second_case.pk],
            "hours": "2",
            "max_participants": "100",
        },
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert workshop.facilitator == official
    assert workshop.items.count() == 2
    assert len(workshop.code) == 8
    assert workshop.is_open


@pytest.mark.parametrize(
    "change",
    [
        {"cases": []},
        {"hours": "0"},
        {"hours": "73"},
        {"max_participants": "0"},
        {"max_participants": "999999"},
        {"title": ""},
        {"cases": ["99999999999999999999999"]},
    ],
)
def test_bad_workshop_form_changes_nothing(
    reko_case: Any, official: Any, change: dict[str, Any]
) -> None:
    data = {"title": "T", "cases": [reko_case.pk], "hours": "2", "max_participants": "10"}
    data.update(change)
    response = _client(official).post(reverse("workshops:new"), data, **EN)
    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_cases_the_official_cannot_edit_are_refused(reko_case: Any, roles: None) -> None:
    from tests.factories import CaseFactory, MembershipFactory, UnitFactory

    outsider = UserFactory(username="other@example.org", role="official")
    # an official without any case may not run workshops at all
    assert _client(outsider).get(reverse("workshops:new")).status_code == 403
    elsewhere = UnitFactory(slug="elsewhere")
    MembershipFactory(unit=elsewhere, user=outsider, role="official")
    own = CaseFactory(unit=elsewhere, ladder=reko_case.ladder)
    form = _client(outsider).get(reverse("workshops:new")).content.decode()
    assert f'value="{own.pk}"' in form and f'value="{reko_case.pk}"' not in form
    response = _client(outsider).post(
        reverse("workshops:new"),
        {"title": "T", "cases": [reko_case.pk], "hours": "2", "max_participants": "10"},
    )
    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_live_view_shows_code_qr_and_the_distribution(
    workshop: Workshop, join_client: Any, official: Any
) -> None:
    phone, _p = join_client(role="activist", name="Sanna")
    item = workshop.items.first()
    phone.post(
        answer_url(workshop, item), {"current": "3", "target": "5", "comment": "Tärkeä"}, **HX
    )
    page = _client(official).get(workshop.get_absolute_url(), **EN).content.decode()
    assert workshop.display_code in page
    assert "<svg" in page  # the QR code
    assert "1 participant" in page
    assert "Tärkeä" in page and "Sanna" in page
    assert f'data-events="{reverse("workshops:events", args=[workshop.pk])}"' in page


def test_other_officials_do_not_see_the_workshop(workshop: Workshop, roles: None) -> None:
    other = UserFactory(username="other@example.org", role="official")
    for name in ("detail", "export", "summary"):
        url = reverse(f"workshops:{name}", args=[workshop.pk])
        assert _client(other).get(url).status_code == 404
    assert Client().get(workshop.get_absolute_url()).status_code == 302


def test_lock_and_unlock(workshop: Workshop, official: Any) -> None:
    item = workshop.items.first()
    url = reverse("workshops:lock", args=[workshop.pk, item.pk])
    assert _client(official).post(url, {"locked": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.is_locked
    _client(official).post(url, {"locked": "0"})
    item.refresh_from_db()
    assert not item.is_locked


def test_hide_a_comment_keeps_the_answer(
    workshop: Workshop, join_client: Any, official: Any
) -> None:
    phone, participant = join_client()
    item = workshop.items.first()
    phone.post(answer_url(workshop, item), {"current": "2", "comment": "mainos: osta nyt"}, **HX)
    answer = Answer.objects.get(participant=participant)
    url = reverse("workshops:hide", args=[workshop.pk, answer.pk])
    assert _client(official).post(url, {"hidden": "1"}, **HX).status_code == 204
    answer.refresh_from_db()
    assert answer.comment_hidden and answer.current_level == 2
    summary = _client(official).get(reverse("workshops:summary", args=[workshop.pk]))
    assert "osta nyt" not in summary.content.decode()


def test_record_outcome_saves_an_assessment_with_the_distribution(
    workshop: Workshop, join_client: Any, official: Any, activist: Any, reko_case: Any
) -> None:
    item = workshop.items.get(case=reko_case)
    for role, now, target in (("official", 3, 5), ("activist", 3, 6), ("resident", 4, 5)):
        phone, _p = join_client(role=role)
        phone.post(answer_url(workshop, item), {"current": now, "target": target}, **HX)
    prefix = f"o{item.pk}"
    response = _client(official).post(
        reverse("workshops:outcome", args=[workshop.pk, item.pk]),
        {f"{prefix}-current_level": "3", f"{prefix}-target_level": "5", f"{prefix}-rationale": ""},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=reko_case, perspective="workshop")
    assert (assessment.current_level, assessment.target_level) == (3, 5)
    assert assessment.details["answers"] == 3
    assert assessment.details["distribution"]["current"] == {
        "3": {"official": 1, "activist": 1},
        "4": {"resident": 1},
    }
    assert assessment.details["workshop"] == {"id": workshop.pk, "title": workshop.title}
    # the activism's maintainers read the assessment (the API too): never the join code
    api = _client(activist).get(f"/api/v1/assessments/{assessment.pk}/")
    assert api.status_code == 200 and workshop.code not in api.content.decode()
    item.refresh_from_db()
    assert item.assessment == assessment and item.is_locked
    case_page = _client(official).get(reko_case.get_absolute_url(), **EN).content.decode()
    assert "Workshop" in case_page


@pytest.mark.parametrize(
    "values",
    [("9", "5", ""), ("5", "3", ""), ("x", "5", "")],
)
def test_bad_outcome_changes_nothing(
    workshop: Workshop, official: Any, values: tuple[str, str, str]
) -> None:
    item = workshop.items.first()
    prefix = f"o{item.pk}"
    now, target, why = values
    response = _client(official).post(
        reverse("workshops:outcome", args=[workshop.pk, item.pk]),
        {
            f"{prefix}-current_level": now,
            f"{prefix}-target_level": target,
            f"{prefix}-rationale": why,
        },
        **EN,
    )
    assert response.status_code == 400
    assert not Assessment.objects.exists()
    item.refresh_from_db()
    assert not item.is_locked


def test_close(workshop: Workshop, official: Any) -> None:
    response = _client(official).post(reverse("workshops:close", args=[workshop.pk]))
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.state == "closed"
    page = _client(official).get(workshop.get_absolute_url(), **EN).content.decode()
    assert "Closed" in page and "data-events" not in page


def test_export_csv(workshop: Workshop, join_client: Any, official: Any) -> None:
    item = workshop.items.first()
    phone, _p = join_client(role="researcher", name="=HYPERLINK(1)")
    phone.post(answer_url(workshop, item), {"current": "2", "target": "4", "comment": "+1"}, **HX)
    response = _client(official).get(reverse("workshops:export", args=[workshop.pk]), **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "case"
    assert len(rows) == 2
    row = rows[1]
    assert row[4] == "'=HYPERLINK(1)" and row[9] == "'+1"
    assert (row[7], row[8]) == ("2", "4")


def test_summary_is_printable(workshop: Workshop, official: Any) -> None:
    response = _client(official).get(reverse("workshops:summary", args=[workshop.pk]), **EN)
    assert response.status_code == 200
    assert "No outcome was recorded" in response.content.decode()


def test_list_shows_own_workshops(workshop: Workshop, official: Any, coordinator: Any) -> None:
    page = _client(official).get(reverse("workshops:list"), **EN).content.decode()
    assert workshop.title in page
    services.create_workshop(
        title="Koordinaattorin paja", cases=[workshop.items.first().case], facilitator=coordinator
    )
    page = _client(official).get(reverse("workshops:list"), **EN).content.decode()
    assert "Koordinaattorin paja" not in page
    assert (
        "Koordinaattorin paja"
        in _client(coordinator).get(reverse("workshops:list")).content.decode()
    )
