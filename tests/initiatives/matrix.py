"""Permission-matrix rows of initiatives and opportunities (see tests/permissions.py).

The catalogue of opportunities is public and kept by the administration; an initiative is seen
by the administration and by the people who keep its activism's entry (the activist persona
maintains the REKO ring of the matrix's case); others get a 404, not a hint that it exists.
"""

from __future__ import annotations

from tests.permissions import (
    ADMINISTRATION,
    EVERYONE,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    TO_LOGIN,
    Expected,
    admin_rows,
    api_rows,
    row,
    same_for_signed_in,
)

USERS = row(TO_LOGIN, OK, FORBIDDEN, OK, OK, OK)
INITIATIVE = row(NOT_FOUND, OK, NOT_FOUND, OK, OK, OK)
POST_ONLY = same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED)
HIDDEN = row(NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, OK)

ROWS: dict[str, list[tuple[str, dict[str, Expected]]]] = {
    "initiatives/": [
        ("/initiatives/", USERS),
        ("/initiatives/?status=open&page=2", USERS),
    ],
    "initiatives/new/": [
        ("/initiatives/new/", USERS),
        ("/initiatives/new/?activism={public_pk}", USERS),
    ],
    "initiatives/<int:pk>/": [
        ("/initiatives/{initiative_pk}/", INITIATIVE),
        ("/initiatives/999999/", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
    ],
    "initiatives/<int:pk>/edit/": [("/initiatives/{initiative_pk}/edit/", INITIATIVE)],
    "initiatives/<int:pk>/propose/": [("/initiatives/{initiative_pk}/propose/", POST_ONLY)],
    "initiatives/matches/<int:pk>/status/": [
        ("/initiatives/matches/{initiative_match_pk}/status/", POST_ONLY)
    ],
    "initiatives/opportunities/": [
        ("/initiatives/opportunities/", EVERYONE),
        ("/initiatives/opportunities/?kind=grant&area={area_key}", EVERYONE),
        (
            "/initiatives/opportunities/?kind=lottery",
            same_for_signed_in((400, None), (400, None)),
        ),
    ],
    "initiatives/opportunities/new/": [("/initiatives/opportunities/new/", ADMINISTRATION)],
    "initiatives/opportunities/<int:pk>/": [
        ("/initiatives/opportunities/{opportunity_pk}/", EVERYONE),
        ("/initiatives/opportunities/{hidden_opportunity_pk}/", HIDDEN),
    ],
    "initiatives/opportunities/<int:pk>/edit/": [
        ("/initiatives/opportunities/{opportunity_pk}/edit/", ADMINISTRATION)
    ],
}
api_rows(ROWS, "opportunities", "{opportunity_pk}", EVERYONE)
ROWS[r"api/v1/opportunities/(?P<pk>[^/.]+)/$"].append(
    ("/api/v1/opportunities/{hidden_opportunity_pk}/", HIDDEN)
)
api_rows(
    ROWS,
    "initiatives",
    "{initiative_pk}",
    row(FORBIDDEN, OK, FORBIDDEN, OK, OK, OK),
)
admin_rows(ROWS, "initiatives/opportunity", "{opportunity_pk}")
admin_rows(ROWS, "initiatives/initiative", "{initiative_pk}")
# proposals are made on the initiative's page, which checks the deadline and notifies
admin_rows(ROWS, "initiatives/match", "{initiative_match_pk}", add=FORBIDDEN)

# placeholder → any value that resolves (for test_each_example_url_reaches_its_route)
DUMMY_VALUES: dict[str, str] = {
    "initiative_pk": "1",
    "initiative_match_pk": "1",
    "opportunity_pk": "1",
    "hidden_opportunity_pk": "2",
}


def values(personas, case) -> dict[str, str]:
    """Placeholder → a real value, made in the test database."""
    from portaat.initiatives import services
    from portaat.initiatives.models import Initiative, Opportunity

    initiative = services.save_initiative(
        Initiative(activism=case.activism, title="Korjauskahvila", description="Kuvaus"),
        domains=[],
        areas=[],
    )
    opportunity = services.save_opportunity(
        Opportunity(kind="grant", title="Avustus"), domains=[], areas=[]
    )
    hidden = services.save_opportunity(
        Opportunity(kind="premises", title="Tila", is_active=False), domains=[], areas=[]
    )
    match = services.propose(initiative, opportunity, by=personas["official"])
    return {
        "initiative_pk": str(initiative.pk),
        "initiative_match_pk": str(match.pk),
        "opportunity_pk": str(opportunity.pk),
        "hidden_opportunity_pk": str(hidden.pk),
    }
