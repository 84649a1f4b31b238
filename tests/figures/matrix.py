"""Permission-matrix rows of activity figures (see tests/permissions.py).

Officials (the administration) record, correct and export figures and manage personal links;
an activism's members report through a personal link that needs no account (anyone holding an
active link). Which figures are asked is public (API).
"""

from __future__ import annotations

from tests.permissions import (
    ADMINISTRATION,
    EVERYONE,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Expected,
    admin_rows,
    api_rows,
    row,
    same_for_signed_in,
)

API_ADMINISTRATION = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
POST_ONLY = same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED)
NOWHERE = same_for_signed_in(NOT_FOUND, NOT_FOUND)

ROWS: dict[str, list[tuple[str, dict[str, Expected]]]] = {
    "figures/activisms/<int:pk>/": [
        ("/figures/activisms/{public_pk}/", ADMINISTRATION),
        ("/figures/activisms/{figures_activism_pk}/", ADMINISTRATION),
    ],
    "figures/activisms/<int:pk>/links/": [("/figures/activisms/{public_pk}/links/", POST_ONLY)],
    "figures/links/<int:pk>/revoke/": [("/figures/links/{figure_link_pk}/revoke/", POST_ONLY)],
    "figures/s/<str:secret>/": [
        ("/figures/s/{figure_secret}/", EVERYONE),
        ("/figures/s/{revoked_figure_secret}/", NOWHERE),
        ("/figures/s/not-a-secret/", NOWHERE),
    ],
    "figures/units/<slug:slug>/": [
        ("/figures/units/{unit}/", ADMINISTRATION),
        (
            "/figures/units/no-such-unit/",
            row(*[(302, "/accounts/login/?next=")], *[FORBIDDEN] * 2, *[NOT_FOUND] * 3),
        ),
    ],
    "figures/export.csv": [
        ("/figures/export.csv", ADMINISTRATION),
        ("/figures/export.csv?kind=reko-ring&since=2026-01", ADMINISTRATION),
    ],
}
api_rows(ROWS, "figure-metrics", "{metric_pk}", EVERYONE)
api_rows(ROWS, "figure-reports", "{figure_report_pk}", API_ADMINISTRATION)
admin_rows(ROWS, "figures/metric", "{metric_pk}")
# reports and links are made on the pages, where they are validated (and the link shown once)
admin_rows(ROWS, "figures/figurereport", "{figure_report_pk}", add=FORBIDDEN)
admin_rows(ROWS, "figures/figurelink", "{figure_link_pk}", add=FORBIDDEN)

# placeholder → any value that resolves (for test_each_example_url_reaches_its_route)
DUMMY_VALUES: dict[str, str] = {
    "figures_activism_pk": "1",
    "figure_link_pk": "1",
    "figure_secret": "x",
    "revoked_figure_secret": "y",
    "metric_pk": "1",
    "figure_report_pk": "1",
}


def values(personas, case) -> dict[str, str]:
    """Placeholder → a real value, made in the test database."""
    import datetime as dt

    from portaat.figures import services
    from portaat.figures.models import Metric
    from portaat.registry.models import ActivismKind
    from tests.factories import ActivismFactory

    # the factory's "reko-ring" kind (not marked built-in: the admin rows delete it)
    ring = ActivismFactory(name="Kallion REKO", kind=ActivismKind.objects.get(slug="reko-ring"))
    services.load_builtin_metrics()
    link = services.create_link(ring, label="Kallion REKO – jäsenet", by=personas["official"])
    revoked = services.create_link(ring, label="Vanha linkki", by=personas["official"])
    services.revoke_link(revoked)
    report = services.submit(ring, period=dt.date(2026, 1, 1), values={"orders": 40}, link=link)
    return {
        "figures_activism_pk": str(ring.pk),
        "figure_link_pk": str(link.pk),
        "figure_secret": link.secret,
        "revoked_figure_secret": revoked.secret,
        "metric_pk": str(Metric.objects.get(kind=ring.kind, key="orders").pk),
        "figure_report_pk": str(report.pk),
    }
