"""Permission-matrix rows of research (see tests/permissions.py).

Researchers and the administration propose projects and list the ones they may see; a project
is visible to its lead, its members and the administration (404 for everybody else: its
existence is not public). Exports: the project's lead and members and site coordinators, only
granted datasets of an active project within its access period. The matrix's researcher leads
``research_pk`` (active, every dataset granted) and ``narrow_research_pk`` (active, cases only);
``others_research_pk`` belongs to another researcher.
"""

from __future__ import annotations

from tests.permissions import (
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

READERS = row(TO_LOGIN, FORBIDDEN, OK, OK, OK, OK)
OWN_PROJECT = row(TO_LOGIN, NOT_FOUND, OK, OK, OK, OK)
OTHERS_PROJECT = row(TO_LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK)
NOWHERE = row(TO_LOGIN, *[NOT_FOUND] * 5)
DOWNLOAD = row(TO_LOGIN, NOT_FOUND, OK, FORBIDDEN, OK, OK)
NOT_GRANTED = row(TO_LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
OTHERS_DOWNLOAD = row(TO_LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK)
API_READERS = row(FORBIDDEN, FORBIDDEN, OK, OK, OK, OK)
API_OTHERS = row(FORBIDDEN, FORBIDDEN, NOT_FOUND, OK, OK, OK)


def _exports(fmt: str) -> list[tuple[str, dict[str, Expected]]]:
    return [
        (f"/research/{{research_pk}}/export/posts.{fmt}", DOWNLOAD),
        (f"/research/{{research_pk}}/export/activisms.{fmt}", DOWNLOAD),
        (f"/research/{{narrow_research_pk}}/export/posts.{fmt}", NOT_GRANTED),
        (f"/research/{{others_research_pk}}/export/cases.{fmt}", OTHERS_DOWNLOAD),
        (f"/research/{{research_pk}}/export/people.{fmt}", NOWHERE),
    ]


ROWS: dict[str, list[tuple[str, dict[str, Expected]]]] = {
    "research/": [("/research/", READERS)],
    "research/new/": [("/research/new/", READERS)],
    "research/<int:pk>/": [
        ("/research/{research_pk}/", OWN_PROJECT),
        ("/research/{others_research_pk}/", OTHERS_PROJECT),
        ("/research/999999/", NOWHERE),
    ],
    "research/<int:pk>/grant/": [
        ("/research/{research_pk}/grant/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
    ],
    "research/<int:pk>/dictionary/": [
        ("/research/{research_pk}/dictionary/", OWN_PROJECT),
        ("/research/{others_research_pk}/dictionary/", OTHERS_PROJECT),
    ],
    "research/<int:pk>/export/<slug:dataset>.csv": _exports("csv"),
    "research/<int:pk>/export/<slug:dataset>.json": _exports("json"),
}
api_rows(ROWS, "research-projects", "{research_pk}", API_READERS)
ROWS["api/v1/research-projects/(?P<pk>[^/.]+)/$"].append(
    ("/api/v1/research-projects/{others_research_pk}/", API_OTHERS)
)
admin_rows(ROWS, "research/researchproject", "{research_pk}")
# the audit of downloads is read-only: written by the exports, kept with its project
admin_rows(ROWS, "research/exportlog", "{export_log_pk}", add=FORBIDDEN, delete=FORBIDDEN)

# placeholder → any value that resolves (for test_each_example_url_reaches_its_route)
DUMMY_VALUES: dict[str, str] = {
    "research_pk": "1",
    "narrow_research_pk": "2",
    "others_research_pk": "3",
    "export_log_pk": "1",
}


def values(personas, case) -> dict[str, str]:
    """Placeholder → a real value, made in the test database."""
    from portaat.research import services
    from portaat.research.models import Dataset, ExportLog
    from tests.factories import UserFactory
    from tests.research.factories import ResearchProjectFactory

    coordinator = personas["coordinator"]
    mine = ResearchProjectFactory(lead=personas["researcher"], cases=[case])
    services.grant(
        mine, by=coordinator, datasets=Dataset.values, status="active", access_until=None
    )
    narrow = ResearchProjectFactory(lead=personas["researcher"], cases=[case])
    services.grant(narrow, by=coordinator, datasets=["cases"], status="active", access_until=None)
    others = ResearchProjectFactory(lead=UserFactory(username="other-researcher@example.org"))
    others.cases.set([case])
    services.grant(others, by=coordinator, datasets=["cases"], status="active", access_until=None)
    services.export(mine, "cases", fmt="csv", user=personas["researcher"])
    return {
        "research_pk": str(mine.pk),
        "narrow_research_pk": str(narrow.pk),
        "others_research_pk": str(others.pk),
        "export_log_pk": str(ExportLog.objects.get(project=mine).pk),
    }
