"""Permission-matrix rows of social-media governance (see tests/permissions.py).

Officials, elected members and coordinators assess themselves and see their units; the guidance
of each level is public, like the stairs; site coordinators edit it. A self-assessment is read
by its author only (a unit's are read through the unit's page and ``?unit=``).
"""

from __future__ import annotations

from tests.permissions import (
    ADMINISTRATION,
    COORDINATORS,
    EVERYONE,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    Expected,
    admin_rows,
    api_rows,
    row,
    same_for_signed_in,
)

API_ADMINISTRATION = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
OWN_ONLY = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, NOT_FOUND, NOT_FOUND)
NOWHERE = same_for_signed_in(NOT_FOUND, NOT_FOUND)

ROWS: dict[str, list[tuple[str, dict[str, Expected]]]] = {
    "somehallinto/": [("/somehallinto/", ADMINISTRATION)],
    "somehallinto/levels/<int:level>/": [
        ("/somehallinto/levels/4/", EVERYONE),
        ("/somehallinto/levels/9/", NOWHERE),
    ],
    "somehallinto/levels/<int:level>/edit/": [("/somehallinto/levels/4/edit/", COORDINATORS)],
    "somehallinto/units/<slug:slug>/": [("/somehallinto/units/{unit}/", ADMINISTRATION)],
    "api/v1/somehallinto-guidance/$": [("/api/v1/somehallinto-guidance/", EVERYONE)],
    r"api/v1/somehallinto-guidance\.(?P<format>[a-z0-9]+)/?$": [
        ("/api/v1/somehallinto-guidance.json", EVERYONE)
    ],
    "api/v1/somehallinto-guidance/(?P<level>[1-8])/$": [
        ("/api/v1/somehallinto-guidance/4/", EVERYONE)
    ],
    r"api/v1/somehallinto-guidance/(?P<level>[1-8])\.(?P<format>[a-z0-9]+)/?$": [
        ("/api/v1/somehallinto-guidance/4.json", EVERYONE)
    ],
}
api_rows(
    ROWS, "somehallinto-assessments", "{sh_assessment_pk}", OWN_ONLY, listing=API_ADMINISTRATION
)
# guidance: one per level, shipped; assessments are made on the pages
admin_rows(ROWS, "somehallinto/guidance", "{guidance_pk}", add=FORBIDDEN, delete=FORBIDDEN)
admin_rows(ROWS, "somehallinto/selfassessment", "{sh_assessment_pk}", add=FORBIDDEN)

# placeholder → any value that resolves (for test_each_example_url_reaches_its_route)
DUMMY_VALUES: dict[str, str] = {"sh_assessment_pk": "1", "guidance_pk": "1"}


def values(personas, case) -> dict[str, str]:
    """Placeholder → a real value, made in the test database."""
    from portaat.somehallinto import services
    from portaat.somehallinto.models import Guidance

    services.load_guidance()
    own = services.assess_self(personas["official"], current=3, target=5)
    return {
        "sh_assessment_pk": str(own.pk),
        "guidance_pk": str(Guidance.objects.get(level=4).pk),
    }
