"""The vocabulary of the permission matrix (``tests/test_permission_matrix.py``).

A capability whose pages live in their own app may keep its rows next to its tests, in
``tests/<app>/matrix.py``: a module with ``ROWS`` (route → [(example URL, outcome per persona)]),
``DUMMY_VALUES`` (placeholder → any value that resolves) and ``values(personas, case)`` (placeholder
→ a real value, made in the test database). The matrix lists those modules in ``EXTENSIONS``.
"""

from __future__ import annotations

from tests.conftest import PERSONAS

# status, and for redirects the Location: exact, or its start when it ends in "?next="
Expected = tuple[int, str | None]

OK: Expected = (200, None)
FORBIDDEN: Expected = (403, None)
NOT_FOUND: Expected = (404, None)
NOT_ALLOWED: Expected = (405, None)
TO_LOGIN: Expected = (302, "/accounts/login/?next=")
TO_ADMIN_LOGIN: Expected = (302, "/admin/login/?next=")
TO_HOME: Expected = (302, "/")


def row(
    anonymous: Expected,
    activist: Expected,
    researcher: Expected,
    official: Expected,
    coordinator: Expected,
    admin: Expected,
) -> dict[str, Expected]:
    return dict(
        zip(PERSONAS, (anonymous, activist, researcher, official, coordinator, admin), strict=True)
    )


def same_for_signed_in(anonymous: Expected, signed_in: Expected) -> dict[str, Expected]:
    return row(anonymous, signed_in, signed_in, signed_in, signed_in, signed_in)


EVERYONE = same_for_signed_in(OK, OK)
SIGNED_IN = same_for_signed_in(TO_LOGIN, OK)
ANONYMOUS_ONLY = same_for_signed_in(OK, TO_HOME)
# allauth asks for the password again before a change to the sign-in itself
TO_REAUTHENTICATE = same_for_signed_in(TO_LOGIN, (302, "/accounts/reauthenticate/?next="))
# what only those with an authenticator app have (the matrix's activist and researcher have none)
WITH_AN_APP = row(TO_LOGIN, NOT_FOUND, NOT_FOUND, *[(302, "/accounts/reauthenticate/?next=")] * 3)
COORDINATORS = row(TO_LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
ADMINISTRATION = row(TO_LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
NOBODY = row(TO_LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
# rapid-response calls: coordinators, and officials with the crowds.run_calls permission (the
# matrix's official has no such permission)
CALLERS = row(TO_LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
CALL_PAGE = row(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK)


def staff(admin: Expected = OK) -> dict[str, Expected]:
    """The Django admin is for staff accounts only; a coordinator role alone does not open it."""
    return row(*([TO_ADMIN_LOGIN] * 5), admin)


def api_rows(
    matrix: dict,
    name: str,
    detail: str,
    expected: dict[str, Expected],
    pk_name: str = "pk",
    *,
    listing: dict[str, Expected] | None = None,
) -> None:
    """The four routes a DRF router makes for a read-only viewset (lists may differ: a reader
    who sees none of the objects gets an empty list, but 404 for one of them)."""
    base = f"api/v1/{name}"
    listing = listing or expected
    matrix[f"{base}/$"] = [(f"/{base}/", listing)]
    matrix[rf"{base}\.(?P<format>[a-z0-9]+)/?$"] = [(f"/{base}.json", listing)]
    matrix[f"{base}/(?P<{pk_name}>[^/.]+)/$"] = [(f"/{base}/{detail}/", expected)]
    matrix[rf"{base}/(?P<{pk_name}>[^/.]+)\.(?P<format>[a-z0-9]+)/?$"] = [
        (f"/{base}/{detail}.json", expected)
    ]


def admin_rows(
    matrix: dict, model: str, pk: str, *, add: Expected = OK, delete: Expected = OK
) -> None:
    """The seven standard admin URLs of one model."""
    base = f"admin/{model}"
    matrix[f"{base}/"] = [(f"/{base}/", staff())]
    matrix[f"{base}/add/"] = [(f"/{base}/add/", staff(add))]
    matrix[f"{base}/<path:object_id>/history/"] = [(f"/{base}/{pk}/history/", staff())]
    matrix[f"{base}/<path:object_id>/delete/"] = [(f"/{base}/{pk}/delete/", staff(delete))]
    matrix[f"{base}/<path:object_id>/change/"] = [(f"/{base}/{pk}/change/", staff())]
    matrix[f"{base}/<path:object_id>/"] = [
        (f"/{base}/{pk}/", staff((302, f"/{base}/{pk}/change/")))
    ]
