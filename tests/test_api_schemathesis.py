"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

Schemathesis reads the live schema (``/api/schema/``, drf-spectacular) from the app in-process
(WSGI, no server) and, for every operation in it, sends generated requests: valid and invalid
query and path parameters and request bodies, with and without credentials. Every response must pass
schemathesis' checks: no 5xx, only documented status codes, the documented content type and
headers, a body that matches the response schema, invalid input refused with a 4xx and valid
input accepted, and an operation that needs credentials refusing a request without valid ones.

Each operation runs twice: signed out, and with the API token of the ``admin`` persona (a
superuser with the coordinator role, a coordinator of the demo city), who may read and write
everything, so every serializer field (contacts, internal notes, moderation fields …) is
exercised and the writes (assessments, interactions) are really made. A token, as integrations
use, rather than the session cookie: a session must also send its CSRF token with a write, which
generated requests cannot know. The database holds what
``portaat init`` and ``portaat demo`` load, plus an object of every kind the API serves
(experiments with a file, plans, events, figures, initiatives, research projects, thanks,
notifications, self-assessments), with optional fields both empty and filled in.
``test_every_object_conforms`` reads each of those objects by its real identifier (generated
identifiers mostly miss), and ``test_what_was_found`` pins what schemathesis found.

Deterministic (``derandomize``) and bounded: ``MAX_EXAMPLES`` generated cases per operation and
persona, plus schemathesis' explicit coverage cases (edge values of each parameter).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.auths import AuthStorage

from portaat.access import Role
from portaat.api import keys

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25

# Lists with a filter that names an object (``?case=``, ``?unit=``, ``?ladder=`` …): naming one
# that does not exist, or that the reader may not see, is a 400 by design (tests/api and
# tests/hardening: an unknown and a hidden one get the same answer). A schema cannot say "an id
# that exists", so for these a 400 to schema-valid input is not a failure of the
# positive_data_acceptance check (it still runs: anything but 400 among the 4xx fails it).
# The same for writes whose body names objects by slug, key, id or address (an activism's kind,
# domains, areas; a plan item's owner; an experiment's practices and cases): a name that does not
# exist is a 400 with the field's message; and for closing an experiment, which a rule refuses
# (a 400) once it is closed.
FILTERS_NAMING_OBJECTS = [
    "/api/v1/activisms/",
    "/api/v1/activisms/{id}/",
    "/api/v1/activisms/{id}/review/",
    "/api/v1/plan-items/{id}/",
    "/api/v1/experiments/",
    "/api/v1/experiments/{id}/close/",
    "/api/v1/experiments/{id}/abandon/",
    "/api/v1/assessments/",
    "/api/v1/cases/",
    "/api/v1/interactions/",
    "/api/v1/plan-items/",
    "/api/v1/practices/",
    "/api/v1/somehallinto-assessments/",
    "/api/v1/thanks/",
]
CONFIG = schemathesis.Config.from_dict(
    {
        # Every text parameter refuses NUL with a 400 (as Django's forms do; PostgreSQL cannot
        # store it), which schemathesis counts as valid input. tests/hardening/test_api_input.py
        # sends NUL to each filter and lookup instead.
        "generation": {"allow-x00": False},
        "operations": [
            {
                "include-path": FILTERS_NAMING_OBJECTS,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "5xx"]
                    }
                },
            }
        ],
    }
)

# The schema as the app serves it; the WSGI handler also answers the generated requests.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler(), config=CONFIG)


HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # the examples of an operation share the test's database transaction (``seeded``): a write
    # only adds a row (an assessment, an interaction), which no other example depends on
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- data -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _module_data(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``portaat init`` and ``portaat demo``, and an object of every kind the API serves; made
    once for the module (in a transaction rolled back at its end: each test's own transaction
    is a savepoint inside it). Yields the API token of the ``admin`` persona."""
    from portaat.demo import load_demo
    from portaat.setup import initialise
    from tests.factories import UserFactory

    # The generated requests go through the WSGI handler, which closes the database connection
    # between requests ("old connections"); Django's test client does not, neither do we here.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    uploads = override_settings(
        STORAGES={
            **django_settings.STORAGES,
            "default": {
                **django_settings.STORAGES["default"],
                "OPTIONS": {"location": tmp_path_factory.mktemp("uploads")},
            },
        }
    )
    uploads.enable()
    outer = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            outer.__enter__()
            try:
                list(initialise(admin_email=None, create_admin=False, verbosity=0))
                load_demo()
                # the personas of tests/conftest.py, made once for the module
                admin = UserFactory(
                    username="admin@example.org",
                    is_staff=True,
                    is_superuser=True,
                    role=Role.COORDINATOR,
                )
                researcher = UserFactory(username="researcher@example.org", role=Role.RESEARCHER)
                _seed(admin, researcher)
                session = keys.create(admin, "schemathesis")[1]
            except BaseException:
                outer.__exit__(*sys.exc_info())
                raise
        try:
            yield session
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
    finally:
        uploads.disable()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(_module_data: str, db: None) -> None:
    """The module's data, in this test's transaction."""


def _seed(admin: Any, researcher: Any) -> None:
    from portaat.cases.models import Case
    from portaat.cases.services import log_interaction, record_assessment
    from portaat.initiatives import services as initiatives
    from portaat.initiatives.models import Initiative, Opportunity
    from portaat.ladders.models import Ladder
    from portaat.models import Notification
    from portaat.registry.models import ActivismKind, Area, Membership, Unit
    from portaat.repertoire import services as repertoire
    from portaat.repertoire.models import Practice
    from portaat.research import services as research
    from portaat.somehallinto import services as somehallinto
    from tests.events.factories import EventFactory
    from tests.factories import ActivismFactory, ThanksFactory, ThanksProfileFactory, UserFactory
    from tests.figures.factories import FigureReportFactory
    from tests.research.factories import ChannelFactory

    now = timezone.now()
    today = timezone.localdate()
    city = Unit.objects.get(slug="demo-city")
    planning = Unit.objects.get(slug="demo-planning")
    Membership.objects.create(unit=city, user=admin, role="coordinator")
    kallio = Area.objects.get(key="helsinki-kallio")
    cases = list(Case.objects.filter(unit=planning).select_related("activism").order_by("pk"))
    reko_case = next(c for c in cases if c.ladder.slug == "reko")
    group = next(c for c in cases if c.ladder.slug != "reko")

    # registry: an internal activism with contact details, a channel and a legal form
    internal = ActivismFactory(
        name="Vallilan ruokapiiri",
        kind=ActivismKind.objects.get(slug="reko-ring"),
        visibility="internal",
        review="pending",
        legal_form="association",
        contact_name="Maija Meikäläinen",
        contact_email="maija@example.org",
        contact_phone="040 123 4567",
        contact_consent_at=now,
        areas=[kallio],
    )
    ChannelFactory(activism=internal)
    internal_case = Case.objects.create(
        activism=internal,
        unit=planning,
        ladder=Ladder.objects.get(slug="reko"),
        internal_notes="Sisäinen muistiinpano",
    )

    # cases: assessments from two perspectives, interactions
    record_assessment(
        reko_case,
        perspective="activist",
        current_level=3,
        target_level=5,
        rationale="Jakelupaikka puuttuu.",
        by=admin,
    )
    log_interaction(reko_case, kind="meeting", happened_on=today, note="Tapaaminen", by=admin)
    log_interaction(group, kind="event", happened_on=today - dt.timedelta(days=30))

    # repertoire: a finished experiment with a file, a running one, plans
    step_4, step_5 = (
        Practice.objects.get(step__ladder__slug="reko", level_from=level) for level in (4, 5)
    )
    done = repertoire.create_experiment(
        title="Tori jakelupaikkana",
        hypothesis="Tori tuo uusia jäseniä.",
        practices=[step_4],
        cases=[internal_case],
        starts_on=today - dt.timedelta(days=90),
        ends_on=today - dt.timedelta(days=10),
        owner=admin,
    )
    repertoire.close_experiment(
        done, outcome="worked", lessons="Toimi.", evidence_links=["https://example.org/raportti"]
    )
    repertoire.add_attachment(
        done, SimpleUploadedFile("jakelut.csv", b"paikka;kertoja\nTori;3\n"), user=admin
    )
    repertoire.create_experiment(
        title="Yhteinen tiedote",
        hypothesis="Tiedote tavoittaa.",
        practices=[step_5],
        cases=[reko_case],
        starts_on=today + dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=60),
    )
    repertoire.plan_practice(reko_case, step_5, owner=admin, due_on=today + dt.timedelta(days=30))
    repertoire.plan_practice(group, step_4)

    # notifications of the admin: read and unread, a known kind and an unknown one
    Notification.objects.create(
        user=admin,
        key="reassess:1",
        kind="reassess",
        params={"activism": reko_case.activism.name, "last": "2026-01-01"},
        url="/cases/1/",
    )
    Notification.objects.create(user=admin, key="x", kind="retired", params={}, read_at=now)

    # thanks: published to an official by name (with an activism), waiting, rejected
    profile = ThanksProfileFactory(user=UserFactory(role=Role.OFFICIAL))
    Membership.objects.create(unit=planning, user=profile.user, role="official")
    ThanksFactory(
        unit=planning,
        official=profile.user,
        activism=reko_case.activism,
        status="approved",
        moderated_at=now,
    )
    ThanksFactory(unit=planning, thanker_name="")
    ThanksFactory(unit=city, status="rejected", rejection_reason="Ei asiallinen.", moderated_at=now)

    # events in the areas of the admin's cases: one complete, one with little known
    EventFactory(
        areas=[kallio],
        activism=reko_case.activism,
        lat=60.18,
        lon=24.95,
        info_url="https://example.org/tapahtuma",
    )
    EventFactory(areas=[kallio], name_fi="", start_time=now + dt.timedelta(days=1), end_time=None)

    # activity figures
    FigureReportFactory(activism=reko_case.activism, period=dt.date(2026, 1, 1))
    FigureReportFactory(activism=internal, period=dt.date(2026, 2, 1), values={"members": 3.5})

    # an initiative with a proposed opportunity, and one with nothing optional
    initiative = initiatives.save_initiative(
        Initiative(
            activism=reko_case.activism,
            title="Jakelukatos",
            description="Katos torille.",
            missed_grant="Osallistuva budjetointi",
            amount_sought=3000,
            needed_by=today + dt.timedelta(days=120),
        ),
        domains=list(Ladder.objects.filter(slug="reko")),
        areas=[kallio],
    )
    opportunity = Opportunity.objects.filter(kind="grant").order_by("pk").first()
    assert opportunity is not None
    initiatives.propose(initiative, opportunity, by=admin, note="Sopisi.")
    initiatives.save_initiative(
        Initiative(activism=internal, title="Tila", description="Kerhotila."),
        domains=[],
        areas=[],
    )

    # research: a granted project and a proposed one
    project = research.propose(
        lead=researcher,
        title="REKO-tutkimus",
        summary="Yhteistyö.",
        organisation="Yliopisto",
        intended_level=5,
        cases=[reko_case, internal_case],
    )
    research.grant(
        project,
        by=admin,
        datasets=["activisms", "cases"],
        status="active",
        access_until=today + dt.timedelta(days=365),
    )
    research.propose(
        lead=researcher,
        title="Toinen",
        summary="",
        organisation="",
        intended_level=3,
        cases=[group],
    )

    # social-media governance: the admin's own and the unit's self-assessments
    somehallinto.assess_self(admin, current=3, target=6, note="Harjoittelen.")
    somehallinto.assess_unit(planning, current=2, target=4, note="", by=admin)


class AdminSession:
    """Schemathesis auth provider: the API token of the ``admin`` persona. Explicit auth, so
    schemathesis also checks that each operation that needs credentials refuses the same request
    without them, and with made-up ones."""

    key = ""  # set by the ``admin_session`` fixture, for the test's database

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
        return AdminSession.key

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


ADMIN_AUTH: AuthStorage[str] = AuthStorage()
ADMIN_AUTH.auth(refresh_interval=None)(AdminSession)


@pytest.fixture
def admin_session(_module_data: str, seeded: None) -> Iterator[None]:
    AdminSession.key = _module_data
    yield
    AdminSession.key = ""


# --- generated requests ---------------------------------------------------------------------


@schema.parametrize()
@HYPOTHESIS
def test_api_signed_out(case: schemathesis.Case, seeded: None) -> None:
    case.call_and_validate()


@schema.parametrize()
@schema.auth(AdminSession, refresh_interval=None)
@HYPOTHESIS
def test_api_as_admin(case: schemathesis.Case, admin_session: None) -> None:
    case.call_and_validate()


# --- every real object -------------------------------------------------------------------------


def _detail_operations() -> list[Any]:
    operations = (result.ok() for result in schema.get_all_operations())
    return [
        operation
        for operation in operations
        if operation.path_parameters and operation.method.upper() == "GET"
    ]


@pytest.mark.parametrize("persona", ["anonymous", "admin"])
@pytest.mark.parametrize("operation", _detail_operations(), ids=lambda op: op.label)
def test_every_object_conforms(operation: Any, persona: str, admin_session: None) -> None:
    """Each object of the lists, read by its identifier (and its sub-resources), conforms."""

    def case(operation: Any, **kwargs: Any) -> schemathesis.Case:
        made = operation.Case(**kwargs)
        if persona == "admin":
            ADMIN_AUTH.set(made, schemathesis.AuthContext(operation=operation, app=schema.app))
        return made

    name = next(p.name for p in operation.path_parameters)
    listing = operation.path.split("{")[0]
    found = case(schema[listing]["GET"]).call()
    if found.status_code == 403 and persona == "anonymous":
        # the list needs a session: so does every object
        case(operation, path_parameters={name: "1"}).call_and_validate()
        return
    assert found.status_code == 200, found.text
    items = found.json()["results"] if isinstance(found.json(), dict) else found.json()
    assert items or persona == "anonymous", f"nothing seeded for {listing}"
    for item in items:
        response = case(operation, path_parameters={name: str(item[name])}).call_and_validate()
        assert response.status_code == 200, (response.request.url, response.text)


# --- what schemathesis found, pinned ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        # a page that is not a whole number, or out of range, was quietly the default page
        ("/api/v1/ladders/", {"limit": "abc"}, 400),
        ("/api/v1/ladders/", {"limit": "0"}, 400),
        ("/api/v1/ladders/", {"offset": "-1"}, 400),
        ("/api/v1/ladders/", {"limit": "9" * 5000, "offset": "9" * 5000}, 200),
        ("/api/v1/ladders/", {"limit": "", "offset": ""}, 200),  # empty: none
        # a boolean that is not one was quietly no filter
        ("/api/v1/ladders/", {"is_builtin": "yes"}, 400),
        ("/api/v1/ladders/", {"is_builtin": ""}, 200),
        ("/api/v1/notifications/", {"unread": "maybe"}, 400),
        ("/api/v1/opportunities/", {"open": "maybe"}, 400),
        ("/api/v1/opportunities/", {"open": ""}, 200),
        # an ordering with an empty name in it
        ("/api/v1/practices/", {"ordering": "level,"}, 400),
        # ids: 2.5 found nothing instead of being refused; a 19-digit one was refused
        ("/api/v1/experiments/", {"practice": "2.5"}, 400),
        ("/api/v1/initiatives/", {"activism": str(2**63 - 1)}, 200),
        ("/api/v1/figure-reports/", {"activism": "0"}, 400),
        # "²".isdigit(), but int("²") raised: a 500
        ("/api/v1/figure-reports/", {"activism": "²"}, 400),
        ("/api/v1/initiatives/", {"activism": "²"}, 400),
        # a month filter from a future month (or before 2000) was a 400
        ("/api/v1/figure-reports/", {"since": "2099-01"}, 200),
        ("/api/v1/figure-reports/", {"since": "1999-12"}, 200),
        ("/api/v1/figure-reports/", {"since": "2026-13"}, 400),
    ],
)
def test_what_was_found(path: str, query: dict[str, str], status: int, admin_session: None) -> None:
    operation = schema[path]["GET"]
    case = operation.Case(query=query)
    ADMIN_AUTH.set(case, schemathesis.AuthContext(operation=operation, app=schema.app))
    response = case.call_and_validate()
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        (
            "/api/v1/assessments/",
            {"perspective": "official", "current_level": 3, "target_level": 5},
            201,
        ),
        (
            "/api/v1/assessments/",
            {"perspective": "official", "current_level": 5, "target_level": 3},
            400,  # a lower target needs a rationale: the service's rule, as a field error body
        ),
        ("/api/v1/interactions/", {"kind": "meeting", "happened_on": "2026-01-05"}, 201),
        ("/api/v1/interactions/", {"kind": "meeting", "happened_on": "2999-01-01"}, 400),
    ],
)
def test_writes_conform(path: str, body: dict[str, Any], status: int, admin_session: None) -> None:
    """Generated cases rarely name a case that exists: each write is also made for a real one."""
    from portaat.cases.models import Case

    operation = schema[path]["POST"]
    case = operation.Case(
        body={"case": Case.objects.order_by("pk").first().pk, **body},  # type: ignore[union-attr]
        media_type="application/json",
    )
    ADMIN_AUTH.set(case, schemathesis.AuthContext(operation=operation, app=schema.app))
    response = case.call_and_validate()
    assert response.status_code == status, response.text


def _as_admin(path: str, method: str, body: dict[str, Any], **path_parameters: Any) -> Any:
    """One real write by the admin (its API key), validated against the schema."""
    operation = schema[path][method]
    case = operation.Case(
        body=body, media_type="application/json", path_parameters=path_parameters or None
    )
    ADMIN_AUTH.set(case, schemathesis.AuthContext(operation=operation, app=schema.app))
    return case.call_and_validate()


def test_activism_writes_conform(admin_session: None) -> None:
    """Generated bodies rarely name a kind or an area that exists: an activism is also registered,
    changed and (as a pending one would be) reviewed with real names."""

    made = _as_admin(
        "/api/v1/activisms/",
        "POST",
        {"name": "Kallion REKO 2", "kind": "reko-ring", "areas": ["helsinki-kallio"]},
    )
    assert made.status_code == 201, made.text
    pk = made.json()["id"]
    changed = _as_admin("/api/v1/activisms/{id}/", "PATCH", {"status": "dormant"}, id=pk)
    assert changed.status_code == 200, changed.text
    # an official's own entry is not waiting for review: the rule's translated 400
    reviewed = _as_admin("/api/v1/activisms/{id}/review/", "POST", {"decision": "approve"}, id=pk)
    assert reviewed.status_code == 400, reviewed.text


def test_plan_item_writes_conform(admin_session: None) -> None:
    """A practice is added to a real case's plan and the item changed, by the admin."""
    from portaat.cases.models import Case
    from portaat.repertoire.models import Practice

    case = Case.objects.order_by("pk").first()
    planned = set(case.plan_items.values_list("practice", flat=True))  # type: ignore[union-attr]
    practice = Practice.objects.exclude(pk__in=planned).order_by("pk").first()
    assert case is not None and practice is not None
    made = _as_admin(
        "/api/v1/plan-items/",
        "POST",
        {"case": case.pk, "practice": practice.pk, "owner": "admin@example.org"},
    )
    assert made.status_code == 201, made.text
    changed = _as_admin(
        "/api/v1/plan-items/{id}/", "PATCH", {"status": "doing"}, id=made.json()["id"]
    )
    assert changed.status_code == 200, changed.text


def test_experiment_writes_conform(admin_session: None) -> None:
    """An experiment is started in a real case, then closed, and abandoning it is refused."""
    from portaat.cases.models import Case
    from portaat.repertoire.models import Practice

    case = Case.objects.order_by("pk").first()
    practice = Practice.objects.order_by("pk").first()
    assert case is not None and practice is not None
    made = _as_admin(
        "/api/v1/experiments/",
        "POST",
        {
            "title": "Kokeilu",
            "hypothesis": "Toimii.",
            "practices": [practice.pk],
            "cases": [case.pk],
            "starts_on": "2026-01-01",
            "ends_on": "2026-06-30",
        },
    )
    assert made.status_code == 201, made.text
    pk = made.json()["id"]
    closed = _as_admin(
        "/api/v1/experiments/{id}/close/",
        "POST",
        {"outcome": "partly", "lessons": "Osin."},
        id=pk,
    )
    assert closed.status_code == 200, closed.text
    refused = _as_admin("/api/v1/experiments/{id}/abandon/", "POST", {"lessons": ""}, id=pk)
    assert refused.status_code == 400, refused.text
