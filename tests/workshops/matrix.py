"""Permission-matrix rows of the workshops API (see tests/permissions.py).

As the pages: the administration lists workshops (others get 403, the API's answer where the
pages send to the login), and each reader sees only the workshops they may facilitate — their
own, every one for site coordinators; any other is a 404. The matrix's official facilitates
``api_workshop_pk``; ``others_workshop_pk`` is the coordinator's. (The pages' own rows, with
``workshop_pk``, are in tests/test_permission_matrix.py.)
"""

from __future__ import annotations

from tests.permissions import FORBIDDEN, NOT_FOUND, OK, Expected, api_rows, row

API_ADMINISTRATION = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
OTHERS_WORKSHOP = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, OK, OK)
NOWHERE = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND)

ROWS: dict[str, list[tuple[str, dict[str, Expected]]]] = {}
api_rows(ROWS, "workshops", "{api_workshop_pk}", API_ADMINISTRATION)
ROWS["api/v1/workshops/$"] += [
    ("/api/v1/workshops/?state=open", API_ADMINISTRATION),
    ("/api/v1/workshops/?case={case_pk}", API_ADMINISTRATION),
    # a bad filter is a 400 to those who may list
    ("/api/v1/workshops/?state=ajar", row(FORBIDDEN, FORBIDDEN, FORBIDDEN, *[(400, None)] * 3)),
]
ROWS["api/v1/workshops/(?P<pk>[^/.]+)/$"] += [
    ("/api/v1/workshops/{others_workshop_pk}/", OTHERS_WORKSHOP),
    ("/api/v1/workshops/999999/", NOWHERE),
    ("/api/v1/workshops/not-an-id/", NOWHERE),
]

# placeholder → any value that resolves (for test_each_example_url_reaches_its_route)
DUMMY_VALUES: dict[str, str] = {"api_workshop_pk": "1", "others_workshop_pk": "2"}


def values(personas, case) -> dict[str, str]:
    """Placeholder → a real value, made in the test database: a workshop the official
    facilitates, with an answer, and one of the coordinator's."""
    from portaat.workshops import services

    mine = services.create_workshop(
        title="Rajapintapaja", cases=[case], facilitator=personas["official"]
    )
    participant = services.join(mine, display_name="Maija", role="resident", language="fi")
    services.answer(participant, mine.items.get(), current_level=2, target_level=4, comment="Hei")
    others = services.create_workshop(
        title="Koordinaattorin paja", cases=[case], facilitator=personas["coordinator"]
    )
    return {"api_workshop_pk": str(mine.pk), "others_workshop_pk": str(others.pk)}
