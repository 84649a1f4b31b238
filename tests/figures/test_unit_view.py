"""/figures/units/<slug>/: the unit's activisms' figures summed by month."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portaat.figures import services
from tests.factories import CaseFactory
from tests.figures.conftest import in_english

pytestmark = pytest.mark.django_db


def test_the_unit_page_charts_its_activisms_figures(client_for, ring, unit, builtin):
    CaseFactory(activism=ring, unit=unit)
    services.submit(ring, period=timezone.localdate().replace(day=1), values={"orders": 40})
    page = in_english(client_for("official")).get("/figures/units/planning/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="figure-chart"' in body and "Orders" in body
    assert client_for("activist").get("/figures/units/planning/").status_code == 403
    assert client_for("official").get("/figures/units/nowhere/").status_code == 404
