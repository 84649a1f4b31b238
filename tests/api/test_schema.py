from __future__ import annotations

import json

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    r = client.get("/api/schema/?format=json")
    assert r.status_code == 200
    return json.loads(r.content)


def test_it_is_a_valid_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_yaml_form_is_the_same_document(client, schema):
    r = client.get("/api/schema/")
    assert r.status_code == 200
    assert "openapi" in r["Content-Type"]
    assert yaml.safe_load(r.content) == schema


def test_it_describes_the_endpoints_and_the_writes(schema):
    paths = schema["paths"]
    assert set(paths) >= {
        "/api/v1/ladders/",
        "/api/v1/ladders/{slug}/",
        "/api/v1/stages/",
        "/api/v1/stages/{number}/",
    }
    # the writes, each tested in its own file of tests/api/ (*_writes.py); nothing else writes
    created = {
        "/api/v1/assessments/",
        "/api/v1/interactions/",
        "/api/v1/activisms/",
        "/api/v1/plan-items/",
        "/api/v1/experiments/",
    }
    changed = {"/api/v1/activisms/{id}/", "/api/v1/plan-items/{id}/"}
    actions = {
        "/api/v1/activisms/{id}/review/",
        "/api/v1/experiments/{id}/close/",
        "/api/v1/experiments/{id}/abandon/",
    }
    for name, path in paths.items():
        allowed = {"get", "parameters"}
        if name in created:
            allowed.add("post")
        if name in changed:
            allowed.add("patch")
        if name in actions:
            allowed = {"post", "parameters"}
        assert set(path) <= allowed, (name, path.keys())
    for name in created:
        assert set(paths[name]["post"]["responses"]) == {"201", "400", "403"}, name
    for name in changed:
        assert set(paths[name]["patch"]["responses"]) == {"200", "400", "403", "404"}, name
    for name in actions:
        assert set(paths[name]["post"]["responses"]) == {"200", "400", "403", "404"}, name


def test_it_describes_translated_texts_as_three_languages(schema):
    ladder = schema["components"]["schemas"]["Ladder"]
    name = ladder["properties"]["name"]
    assert set(name["properties"]) == {"fi", "sv", "en"}


def test_it_documents_the_filters(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/ladders/"]["get"]["parameters"]}
    assert {"kind", "is_builtin", "limit", "offset"} <= params


def test_the_docs_page_loads(client):
    r = client.get("/api/docs/")
    assert r.status_code == 200
    assert b"swagger" in r.content.lower()
