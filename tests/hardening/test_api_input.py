"""The read API with odd lookups, filters and pagination: 4xx with a JSON ``detail``, never 500."""

from __future__ import annotations

import pytest

from tests.factories import ActivismFactory, AreaFactory, AssessmentFactory
from tests.hardening.conftest import NUL, SCRIPT, status_ok

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/units/",
    "/api/v1/areas/",
    "/api/v1/activism-kinds/",
    "/api/v1/activisms/",
    "/api/v1/cases/",
    "/api/v1/assessments/",
    "/api/v1/interactions/",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "params",
    [
        {"limit": "-1"},
        {"limit": "abc"},
        {"limit": "99999999999999999999"},
        {"offset": "-5"},
        {"offset": "99999999999999999999"},
        {"offset": "999999"},
        {"limit": NUL},
        {"format": "xml"},
    ],
)
def test_odd_pagination(client_for, reko_case, path, params):
    response = client_for("official").get(path, params)
    status_ok(response, 200, 400, 404)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "path,params",
    [
        ("/api/v1/activisms/", {"kind": NUL}),
        ("/api/v1/activisms/", {"area": NUL}),
        ("/api/v1/activisms/", {"municipality": "x" * 5000}),
        ("/api/v1/activisms/", {"status": "zombie"}),
        ("/api/v1/activisms/", {"visibility": NUL}),
        ("/api/v1/activisms/", {"legal_form": "x"}),
        ("/api/v1/areas/", {"kind": "planet"}),
        ("/api/v1/areas/", {"municipality": NUL}),
        ("/api/v1/units/", {"kind": NUL}),
        ("/api/v1/cases/", {"unit": NUL}),
        ("/api/v1/cases/", {"activism": "abc"}),
        ("/api/v1/cases/", {"activism": "99999999999999999999"}),
        ("/api/v1/assessments/", {"since": "0000-00-00"}),
        ("/api/v1/assessments/", {"since": "9999-12-31"}),
        ("/api/v1/assessments/", {"until": NUL}),
        ("/api/v1/assessments/", {"case": "99999999999999999999"}),
        ("/api/v1/assessments/", {"perspective": "god"}),
        ("/api/v1/interactions/", {"case": "abc"}),
        ("/api/v1/interactions/", {"kind": NUL}),
    ],
)
def test_odd_filters(client_for, reko_case, path, params):
    response = client_for("official").get(path, params)
    status_ok(response, 200, 400)
    assert "detail" in response.json() or response.status_code == 200 or response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/units/%00/",
        "/api/v1/units/a%00b/maturity/",
        "/api/v1/areas/%00/",
        "/api/v1/activism-kinds/%00/",
        "/api/v1/activisms/%00/",
        "/api/v1/activisms/99999999999999999999/",
        "/api/v1/activisms/%C2%B2/",
        "/api/v1/cases/99999999999999999999/",
        "/api/v1/assessments/abc/",
        "/api/v1/units/" + "a" * 3000 + "/",
        "/api/v1/areas/" + "ä" * 300 + "/",
    ],
)
def test_odd_lookups_are_not_found(client_for, reko_case, path):
    status_ok(client_for("official").get(path), 404)


# the lists that take a POST (tests/api/*_writes.py)
WRITABLE = {
    "/api/v1/assessments/",
    "/api/v1/interactions/",
    "/api/v1/activisms/",
    "/api/v1/plan-items/",
    "/api/v1/experiments/",
}


def test_writes_are_refused_and_change_nothing(client_for, reko_case):
    from portaat.cases.models import Assessment, Interaction
    from portaat.registry.models import Activism
    from portaat.repertoire.models import Experiment, PlanItem

    activisms = Activism.objects.count()
    client = client_for("admin")
    for path in LISTS:
        response = client.post(path, {"name": "x"}, content_type="application/json")
        if path in WRITABLE:  # a body that is not what the list takes
            status_ok(response, 400)
        else:
            status_ok(response, 403, 405)
    assert not Assessment.objects.exists() and not Interaction.objects.exists()
    assert not PlanItem.objects.exists() and not Experiment.objects.exists()
    assert Activism.objects.count() == activisms
    status_ok(
        client.delete(f"/api/v1/activisms/{reko_case.activism.pk}/"),
        403,
        405,
    )


def test_filtering_by_an_invisible_activism_does_not_reveal_that_it_exists(client_for, builtin):
    """An activist filtering cases by an internal activism's id gets what an unknown id gets."""
    hidden = ActivismFactory(visibility="internal")
    client = client_for("activist")
    known = client.get("/api/v1/cases/", {"activism": hidden.pk})
    unknown = client.get("/api/v1/cases/", {"activism": hidden.pk + 1000})
    assert known.status_code == unknown.status_code
    assert known.json() == unknown.json() or known.status_code == unknown.status_code == 400


def test_filtering_assessments_by_an_invisible_case_reveals_nothing(client_for, reko_case):
    other_case = AssessmentFactory().case
    client = client_for("activist")
    known = client.get("/api/v1/assessments/", {"case": other_case.pk})
    unknown = client.get("/api/v1/assessments/", {"case": other_case.pk + 1000})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    known = client.get("/api/v1/interactions/", {"case": other_case.pk})
    unknown = client.get("/api/v1/interactions/", {"case": other_case.pk + 1000})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())


def test_anonymous_and_activists_get_no_internal_data(client_for, reko_case):
    internal = ActivismFactory(visibility="internal", contact_name="Salainen")
    for persona in ("anonymous", "activist"):
        client = client_for(persona)
        body = client.get("/api/v1/activisms/").content.decode()
        assert internal.name not in body
        assert "Salainen" not in body
        status_ok(client.get(f"/api/v1/activisms/{internal.pk}/"), 404)
        status_ok(client.get("/api/v1/units/"), 401, 403)
    status_ok(client_for("anonymous").get("/api/v1/cases/"), 401, 403)


def test_script_in_names_comes_back_as_data(client_for, builtin):
    AreaFactory(key="x", name=SCRIPT)
    ActivismFactory(name=SCRIPT)
    response = client_for("anonymous").get("/api/v1/activisms/")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["results"][0]["name"] == SCRIPT


def test_filtering_by_a_public_activism_with_several_maintainers(client_for, reko_case, roles):
    from tests.factories import UserFactory

    reko_case.activism.maintainers.add(UserFactory(), UserFactory())
    response = client_for("activist").get("/api/v1/cases/", {"activism": reko_case.activism_id})
    status_ok(response, 200)
    assert [case["id"] for case in response.json()["results"]] == [reko_case.pk]
