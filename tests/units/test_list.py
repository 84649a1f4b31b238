"""/units/: the hierarchy with case counts, for the administration only."""

from __future__ import annotations

import pytest

from portaat.cases import queries
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from tests.units.conftest import in_english, page_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("activist", 403),
        ("researcher", 403),
        ("official", 200),
        ("coordinator", 200),
        ("admin", 200),
    ],
)
def test_who_may_see_the_units(client_for, city, persona, status):
    assert client_for(persona).get("/units/").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client_for, city):
    r = client_for("anonymous").get("/units/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=/units/")


def test_a_unit_member_without_a_site_role_may_see_them(client, city):
    member = UserFactory()
    MembershipFactory(unit=city["other"], user=member, role="official")
    client.force_login(member)
    assert client.get("/units/").status_code == 200


def test_the_hierarchy_is_nested_with_counts(client_for, unit, city, make_case):
    make_case(unit)
    make_case(unit, "city-planning")
    make_case(city["other"])
    r = in_english(client_for("official")).get("/units/")
    html = r.content.decode()
    # city → division → planning, nested lists in that order
    city_at = html.index(">City</a>")
    division_at = html.index(">Urban Environment Division</a>")
    planning_at = html.index(">Detailed planning</a>")
    assert city_at < division_at < planning_at
    between = html[division_at:planning_at]
    assert "<ul" in between  # planning is inside the division's list
    text = page_text(r)
    assert "Detailed planning Service or unit 2 cases" in text
    assert "Urban Environment Division Division 0 cases, 2 with the units below" in text
    assert "City City 0 cases, 3 with the units below" in text
    assert "Cultural services Service or unit 1 case Maturity" in text
    assert 'href="/units/planning/"' in html
    assert 'href="/units/planning/maturity/"' in html


def test_the_tree_takes_one_query(city, unit, make_case, django_assert_num_queries):
    make_case(unit)
    for n in range(5):
        UnitFactory(slug=f"extra-{n}", parent=city["division"])
    with django_assert_num_queries(1):
        tree = queries.unit_tree()
    (root,) = tree
    assert root.unit.slug == "city"
    assert root.total_cases == 1
    division = next(n for n in root.children if n.unit.slug == "environment")
    assert len(division.children) == 6
    assert division.total_cases == 1


def test_a_parent_cycle_does_not_hang_or_lose_units(db):
    a = UnitFactory(slug="a")
    b = UnitFactory(slug="b", parent=a)
    a.parent = b
    a.save()
    roots = queries.unit_tree()
    slugs = set()

    def walk(nodes):
        for node in nodes:
            slugs.add(node.unit.slug)
            walk(node.children)

    walk(roots)
    assert slugs == {"a", "b"}
    assert sorted(queries.descendant_ids(a.pk, {a.pk: b.pk, b.pk: a.pk})) == sorted([a.pk, b.pk])


def test_no_units_yet(client_for, db):
    r = client_for("coordinator").get("/units/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert "No units yet" in r.content.decode()
