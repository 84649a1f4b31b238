"""The participants' pages at /w/: join without an account, answer, change, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portaat.workshops import services
from portaat.workshops.models import Answer, Participant, Workshop
from tests.workshops.conftest import answer_url

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HX = {"HTTP_HX_REQUEST": "true"}


def test_join_page_needs_no_account(workshop: Workshop) -> None:
    response = Client().get(reverse("join:workshop", args=[workshop.code]), **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert workshop.title in page
    assert 'name="role"' in page and 'name="language"' in page


def test_code_typed_in_lower_case_with_a_dash_finds_the_workshop(workshop: Workshop) -> None:
    typed = f"{workshop.code[:4].lower()}-{workshop.code[4:].lower()}"
    response = Client().get(reverse("join:enter"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("join:workshop", args=[workshop.code])


def test_unknown_code_says_so(workshop: Workshop) -> None:
    response = Client().get(reverse("join:enter"), {"code": "ZZZZ-ZZZZ"}, **EN)
    assert response.status_code == 404
    assert "No workshop has this code" in response.content.decode()
    response = Client().get(reverse("join:workshop", args=["NOPE"]), **EN)
    assert response.status_code == 404


def test_joining_sets_the_chosen_language(workshop: Workshop, join_client: Any) -> None:
    client, participant = join_client(role="activist", language="sv", name="Kim")
    assert (participant.role, participant.language, participant.display_name) == (
        "activist",
        "sv",
        "Kim",
    )
    page = client.get(reverse("join:workshop", args=[workshop.code]))
    assert page.status_code == 200
    assert '<html lang="sv">' in page.content.decode()[:300]


def test_answer_and_change_it(workshop: Workshop, join_client: Any) -> None:
    client, participant = join_client()
    item = workshop.items.first()
    first = client.post(
        answer_url(workshop, item), {"current": "3", "target": "5", "comment": "Hyvä alku"}, **HX
    )
    assert first.status_code == 200, first.content.decode()
    assert first["X-Answer-Id"]
    second = client.post(answer_url(workshop, item), {"current": "4", "target": "6"}, **HX)
    assert second.status_code == 200
    answers = list(Answer.objects.filter(participant=participant))
    assert len(answers) == 1
    assert (answers[0].current_level, answers[0].target_level, answers[0].comment) == (4, 6, "")


def test_answer_without_htmx_redirects_back_to_the_card(
    workshop: Workshop, join_client: Any
) -> None:
    client, _participant = join_client()
    item = workshop.items.first()
    response = client.post(answer_url(workshop, item), {"current": "2"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")


@pytest.mark.parametrize(
    "data",
    [
        {"current": "9", "target": "5"},
        {"current": "0"},
        {"current": "three"},
        {"target": "99999999999999999999999"},
        {"current": "", "target": "", "comment": ""},
        {"current": "3", "comment": "x" * 501},
    ],
)
def test_malformed_answer_is_refused_and_changes_nothing(
    workshop: Workshop, join_client: Any, data: dict[str, str]
) -> None:
    client, participant = join_client(language="en")
    item = workshop.items.first()
    response = client.post(answer_url(workshop, item), data, **HX)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Answer.objects.filter(participant=participant).exists()


def test_malformed_answer_message_is_in_the_participants_language(
    workshop: Workshop, join_client: Any
) -> None:
    client, _p = join_client(language="en")
    response = client.post(answer_url(workshop, workshop.items.first()), {"current": "9"}, **HX)
    assert "must be a level from 1 to 8" in response.content.decode()
    client, _p = join_client(language="fi")
    response = client.post(answer_url(workshop, workshop.items.first()), {"current": "9"}, **HX)
    assert "must be a level from 1 to 8" not in response.content.decode()


def test_answer_to_a_case_of_another_workshop_is_404(
    workshop: Workshop, join_client: Any, reko_case: Any, official: Any
) -> None:
    other = services.create_workshop(title="Toinen", cases=[reko_case], facilitator=official)
    client, _participant = join_client()
    response = client.post(answer_url(workshop, other.items.get()), {"current": "3"}, **HX)
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_answer_to_an_impossible_case_id_is_404(workshop: Workshop, join_client: Any) -> None:
    client, _participant = join_client()
    url = reverse("join:answer", args=[workshop.code, 99999999999999999999999])
    assert client.post(url, {"current": "3"}, **HX).status_code == 404
    assert not Answer.objects.exists()


def test_answer_without_joining_is_sent_to_join(workshop: Workshop) -> None:
    response = Client().post(answer_url(workshop, workshop.items.first()), {"current": "3"})
    assert response.status_code == 302
    assert not Answer.objects.exists()


def test_forged_participant_cookie_is_not_accepted(workshop: Workshop, join_client: Any) -> None:
    _client, participant = join_client()
    forger = Client()
    forger.cookies[f"portaat_w_{workshop.code}"] = str(participant.pk)  # unsigned
    response = forger.post(answer_url(workshop, workshop.items.first()), {"current": "3"})
    assert response.status_code == 302
    assert not Answer.objects.exists()


def test_locked_case_refuses_answers(workshop: Workshop, join_client: Any) -> None:
    client, participant = join_client(language="en")
    item = workshop.items.first()
    client.post(answer_url(workshop, item), {"current": "3", "target": "4"}, **HX)
    services.set_locked(item, True)
    response = client.post(answer_url(workshop, item), {"current": "8", "target": "8"}, **HX)
    assert response.status_code == 409
    assert "locked this case" in response.content.decode()
    saved = Answer.objects.get(participant=participant)
    assert (saved.current_level, saved.target_level) == (3, 4)


def test_closed_workshop_gives_a_clear_message(workshop: Workshop, join_client: Any) -> None:
    client, _participant = join_client(language="en")
    services.close_workshop(workshop)
    page = Client().get(reverse("join:workshop", args=[workshop.code]), **EN)
    assert page.status_code == 410
    assert "has been closed" in page.content.decode()
    joined = Client().post(
        reverse("join:workshop", args=[workshop.code]),
        {"role": "resident", "language": "en"},
        **EN,
    )
    assert joined.status_code == 410
    response = client.post(answer_url(workshop, workshop.items.first()), {"current": "3"}, **HX)
    assert response.status_code == 410
    assert "has been closed" in response.content.decode()
    assert Participant.objects.filter(workshop=workshop).count() == 1
    assert not Answer.objects.exists()


def test_expired_workshop_gives_a_clear_message(workshop: Workshop, join_client: Any) -> None:
    client, _participant = join_client(language="en")
    Workshop.objects.filter(pk=workshop.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    page = Client().get(reverse("join:workshop", args=[workshop.code]), **EN)
    assert page.status_code == 410
    assert "has ended" in page.content.decode()
    response = client.post(answer_url(workshop, workshop.items.first()), {"current": "3"}, **HX)
    assert response.status_code == 410
    assert not Answer.objects.exists()


def test_full_workshop_gives_a_clear_message(workshop: Workshop, join_client: Any) -> None:
    Workshop.objects.filter(pk=workshop.pk).update(max_participants=2)
    join_client()
    join_client()
    response = Client().post(
        reverse("join:workshop", args=[workshop.code]),
        {"role": "resident", "language": "en"},
        **EN,
    )
    assert response.status_code == 403
    assert "This workshop is full" in response.content.decode()
    assert workshop.participants.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"role": "mayor", "language": "fi"},
        {"role": "resident", "language": "de"},
        {"role": "resident", "language": "fi", "display_name": "x" * 61},
        {},
    ],
)
def test_bad_join_is_refused(workshop: Workshop, data: dict[str, str]) -> None:
    response = Client().post(reverse("join:workshop", args=[workshop.code]), data, **EN)
    assert response.status_code == 400
    assert not workshop.participants.exists()


def test_answers_are_rate_limited_per_participant(
    workshop: Workshop, join_client: Any, settings: Any
) -> None:
    settings.PORTAAT_WORKSHOP_ANSWERS_PER_MINUTE = 3
    client, participant = join_client(language="en")
    item = workshop.items.first()
    for level in ("1", "2", "3"):
        assert client.post(answer_url(workshop, item), {"current": level}, **HX).status_code == 200
    response = client.post(answer_url(workshop, item), {"current": "7"}, **HX)
    assert response.status_code == 429
    assert "answering very fast" in response.content.decode()
    assert Answer.objects.get(participant=participant).current_level == 3
    # a minute later the window opens again
    Participant.objects.filter(pk=participant.pk).update(
        window_start=timezone.now() - dt.timedelta(seconds=61)
    )
    assert client.post(answer_url(workshop, item), {"current": "7"}, **HX).status_code == 200


def test_answer_page_shows_each_case_with_its_stairs(
    workshop: Workshop, join_client: Any, reko_case: Any, second_case: Any
) -> None:
    client, _participant = join_client(language="en")
    page = client.get(reverse("join:workshop", args=[workshop.code])).content.decode()
    assert str(reko_case.activism) in page and str(second_case.activism) in page
    assert page.count('name="current"') == 16 and page.count('name="target"') == 16
