"""The Django admin for the repertoire: built-in practices read-only, plans and experiments
read-mostly."""

from __future__ import annotations

import datetime as dt

import pytest

from portaat.ladders.models import Step
from portaat.repertoire import services

pytestmark = pytest.mark.django_db


def test_the_admin_pages_open_for_staff(reko_case, client_for):
    builtin = Step.objects.get(ladder__slug="reko", level=4).practice
    own = services.save_practice(
        practice=None,
        texts={"title": {"fi": "Oma"}},
        level_from=2,
        level_to=3,
        action_type="recognise",
    )
    item = services.plan_practice(reko_case, builtin)
    experiment = services.create_experiment(
        title="Kokeilu",
        hypothesis="h",
        practices=[builtin],
        cases=[reko_case],
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 2, 1),
    )
    client = client_for("admin")
    expected = {
        "/admin/repertoire/": 200,
        "/admin/repertoire/practice/": 200,
        "/admin/repertoire/practice/add/": 403,
        f"/admin/repertoire/practice/{own.pk}/change/": 200,
        f"/admin/repertoire/practice/{builtin.pk}/change/": 200,  # view only
        f"/admin/repertoire/practice/{builtin.pk}/delete/": 403,
        f"/admin/repertoire/practice/{own.pk}/delete/": 200,
        "/admin/repertoire/planitem/": 200,
        "/admin/repertoire/planitem/add/": 403,
        f"/admin/repertoire/planitem/{item.pk}/change/": 200,
        "/admin/repertoire/experiment/": 200,
        "/admin/repertoire/experiment/add/": 403,
        f"/admin/repertoire/experiment/{experiment.pk}/change/": 200,
    }
    for url, status in expected.items():
        assert client.get(url).status_code == status, url
    html = client.get(f"/admin/repertoire/practice/{builtin.pk}/change/").content.decode()
    assert 'name="title_fi"' not in html  # read-only: no inputs
    html = client.get(f"/admin/repertoire/practice/{own.pk}/change/").content.decode()
    assert 'name="title_fi"' in html
    for persona in ("official", "coordinator"):
        r = client_for(persona).get("/admin/repertoire/practice/")
        assert r.status_code == 302
