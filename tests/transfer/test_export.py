"""Exports of activisms, cases and assessments as CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import timezone

from portaat.cases.services import record_assessment
from tests.factories import ActivismFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(reko_case, official):
    reko_case.activism.contact_email = "maija@example.org"
    reko_case.activism.contact_consent_at = timezone.now()
    reko_case.activism.save()
    ActivismFactory(name="Sisäinen", visibility="internal")
    ActivismFactory(name='=HYPERLINK("http://evil")')
    record_assessment(
        reko_case, perspective="official", current_level=2, target_level=5, by=official
    )
    return reko_case


def rows_of(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_public_gets_public_activisms_without_contacts(client, data):
    response = client.get("/data/export/activisms.csv")
    assert response.status_code == 200
    rows = rows_of(response)
    names = {row["name"] for row in rows}
    assert "Sisäinen" not in names
    assert "contact_email" not in rows[0]


def test_officials_get_everything_with_contacts(client_for, data):
    response = client_for("official").get("/data/export/activisms.json")
    items = json.loads(response.content)
    assert {"Sisäinen", "Lauttasaaren REKO"} <= {i["name"] for i in items}
    reko = next(i for i in items if i["name"] == "Lauttasaaren REKO")
    assert reko["contact_email"] == "maija@example.org"


def test_formula_cells_are_neutralised_in_csv(client, data):
    rows = rows_of(client.get("/data/export/activisms.csv"))
    assert any(row["name"].startswith("'=HYPERLINK") for row in rows)


def test_xlsx_export_opens_in_openpyxl(client_for, data):
    from openpyxl import load_workbook

    response = client_for("official").get("/data/export/assessments.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    assert header[0] == "id"
    assert first[header.index("target_level")] == 5


def test_cases_and_assessments_are_for_the_administration(client_for, data):
    assert client_for("anonymous").get("/data/export/cases.csv").status_code == 302
    assert client_for("activist").get("/data/export/cases.csv").status_code == 403
    rows = rows_of(client_for("official").get("/data/export/cases.csv"))
    assert [row["ladder"] for row in rows] == ["reko"]


def test_an_unknown_format_is_404(client_for, data):
    assert client_for("official").get("/data/export/cases.pdf").status_code == 404
