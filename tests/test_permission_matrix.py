"""Who may GET what: every URL the project routes, for anonymous visitors and each role.

The table below is the permission matrix. ``test_every_url_is_in_the_table`` walks the URL
configuration, so a new URL fails the suite until its row is added here: each issue that adds
a page decides, in one visible place, who may open it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, resolve

from portaat.ladders.models import Ladder, Stage
from tests.conftest import PERSONAS
from tests.helpers import give_authenticator_app
from tests.permissions import (  # noqa: F401
    ADMINISTRATION,
    ANONYMOUS_ONLY,
    CALL_PAGE,
    CALLERS,
    COORDINATORS,
    EVERYONE,
    FORBIDDEN,
    NOBODY,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SIGNED_IN,
    TO_ADMIN_LOGIN,
    TO_HOME,
    TO_LOGIN,
    TO_REAUTHENTICATE,
    WITH_AN_APP,
    Expected,
    admin_rows,
    api_rows,
    row,
    same_for_signed_in,
    staff,
)

# route (as Django joins it) → [(example URL, expected outcome per persona)]
MATRIX: dict[str, list[tuple[str, dict[str, Expected]]]] = {
    # --- pages ---------------------------------------------------------------------------
    "": [("/", EVERYONE)],
    "health/": [("/health/", EVERYONE)],
    # why some pages ask for the authenticator app's code (those who run calls, staff); a session
    # that gave it goes straight on (tests/crowds/test_second_step.py has it without)
    "two-step/": [("/two-step/", row(TO_LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, TO_HOME, TO_HOME))],
    # Prometheus: off without PORTAAT_METRICS_TOKEN (as here); a session never opens it, only
    # the bearer token (tests/test_metrics_view.py)
    "metrics": [("/metrics", same_for_signed_in(NOT_FOUND, NOT_FOUND))],
    "stages/": [("/stages/", EVERYONE)],
    "ladders/": [("/ladders/", EVERYONE)],
    "ladders/<slug:slug>/": [
        ("/ladders/{builtin}/", EVERYONE),
        ("/ladders/{custom}/", EVERYONE),
        ("/ladders/no-such-ladder/", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
    ],
    "ladders/<slug:slug>/stairs.svg": [
        ("/ladders/{builtin}/stairs.svg", EVERYONE),
        ("/ladders/{custom}/stairs.svg?current=2&target=5", EVERYONE),
    ],
    "ladders/<slug:slug>/copy/": [
        ("/ladders/{builtin}/copy/", COORDINATORS),
        ("/ladders/{custom}/copy/", COORDINATORS),
    ],
    "ladders/<slug:slug>/edit/": [
        ("/ladders/{builtin}/edit/", NOBODY),  # built-ins are read-only for everybody
        ("/ladders/{custom}/edit/", COORDINATORS),
    ],
    # --- registry, cases and units ----------------------------------------------------------
    # --- accounts (django-allauth) -------------------------------------------------------
    "accounts/login/": [("/accounts/login/", ANONYMOUS_ONLY)],
    "accounts/logout/": [("/accounts/logout/", same_for_signed_in(TO_HOME, OK))],
    "accounts/inactive/": [("/accounts/inactive/", EVERYONE)],
    # self-registration is closed by default: the page says so to visitors
    "accounts/signup/": [("/accounts/signup/", ANONYMOUS_ONLY)],
    "accounts/reauthenticate/": [("/accounts/reauthenticate/", SIGNED_IN)],
    "accounts/reauthenticate/code/": [("/accounts/reauthenticate/code/", SIGNED_IN)],
    "accounts/reauthenticate/code/confirm/": [
        (
            "/accounts/reauthenticate/code/confirm/",
            same_for_signed_in(TO_LOGIN, (302, "/accounts/reauthenticate/code/")),
        )
    ],
    "accounts/email/": [("/accounts/email/", SIGNED_IN)],
    "accounts/confirm-email/": [("/accounts/confirm-email/", EVERYONE)],
    "accounts/password/change/": [("/accounts/password/change/", SIGNED_IN)],
    "accounts/password/set/": [
        (
            "/accounts/password/set/",
            same_for_signed_in(TO_LOGIN, (302, "/accounts/password/change/")),
        )
    ],
    "accounts/password/reset/": [("/accounts/password/reset/", EVERYONE)],
    "accounts/login/code/confirm/": [
        ("/accounts/login/code/confirm/", same_for_signed_in((302, "/accounts/login/"), TO_HOME))
    ],
    # a made-up key shows the "link is invalid or expired" page, never an error
    r"accounts/confirm-email/(?P<key>[-:\w]+)/$": [
        ("/accounts/confirm-email/abc:def-1/", EVERYONE)
    ],
    "accounts/password/reset/key/done/": [("/accounts/password/reset/key/done/", EVERYONE)],
    "accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": [
        ("/accounts/password/reset/key/1z-set-password/", EVERYONE)
    ],
    "accounts/password/reset/done/": [("/accounts/password/reset/done/", EVERYONE)],
    # two-step sign-in (allauth.mfa): the official, the coordinator and the admin have an
    # authenticator app, the activist and the researcher none; changing it asks for the password
    # again first
    "accounts/2fa/": [("/accounts/2fa/", SIGNED_IN)],
    "accounts/2fa/authenticate/": [
        ("/accounts/2fa/authenticate/", same_for_signed_in((302, "/accounts/login/"), TO_HOME))
    ],
    "accounts/2fa/reauthenticate/": [
        (
            "/accounts/2fa/reauthenticate/",
            row(TO_LOGIN, *[(302, "/accounts/reauthenticate/")] * 2, OK, OK, OK),
        )
    ],
    "accounts/2fa/totp/activate/": [("/accounts/2fa/totp/activate/", TO_REAUTHENTICATE)],
    "accounts/2fa/totp/deactivate/": [("/accounts/2fa/totp/deactivate/", WITH_AN_APP)],
    "accounts/2fa/recovery-codes/": [("/accounts/2fa/recovery-codes/", WITH_AN_APP)],
    "accounts/2fa/recovery-codes/generate/": [
        ("/accounts/2fa/recovery-codes/generate/", TO_REAUTHENTICATE)
    ],
    "accounts/2fa/recovery-codes/download/": [
        ("/accounts/2fa/recovery-codes/download/", WITH_AN_APP)
    ],
    # --- language switcher: POST only; a GET just goes back --------------------------------
    "i18n/setlang/": [("/i18n/setlang/", same_for_signed_in(TO_HOME, TO_HOME))],
    # --- API: public reads ---------------------------------------------------------------
    "api/v1/": [("/api/v1/", EVERYONE)],
    "api/v1/<drf_format_suffix:format>": [("/api/v1/.json", EVERYONE)],
    "api/v1/ladders/$": [("/api/v1/ladders/", EVERYONE)],
    r"api/v1/ladders\.(?P<format>[a-z0-9]+)/?$": [("/api/v1/ladders.json", EVERYONE)],
    "api/v1/ladders/(?P<slug>[^/.]+)/$": [
        ("/api/v1/ladders/{builtin}/", EVERYONE),
        ("/api/v1/ladders/{custom}/", EVERYONE),
        ("/api/v1/ladders/no-such-ladder/", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
    ],
    r"api/v1/ladders/(?P<slug>[^/.]+)\.(?P<format>[a-z0-9]+)/?$": [
        ("/api/v1/ladders/{custom}.json", EVERYONE)
    ],
    "api/v1/stages/$": [("/api/v1/stages/", EVERYONE)],
    r"api/v1/stages\.(?P<format>[a-z0-9]+)/?$": [("/api/v1/stages.json", EVERYONE)],
    "api/v1/stages/(?P<number>[^/.]+)/$": [
        ("/api/v1/stages/5/", EVERYONE),
        ("/api/v1/stages/6/", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
    ],
    r"api/v1/stages/(?P<number>[^/.]+)\.(?P<format>[a-z0-9]+)/?$": [
        ("/api/v1/stages/1.json", EVERYONE)
    ],
    "api/schema/": [("/api/schema/", EVERYONE)],
    "api/docs/": [("/api/docs/", EVERYONE)],
    # --- Django admin: staff only --------------------------------------------------------
    "admin/": [("/admin/", staff())],
    # the admin signs in through the site's own login (allauth: rate limits, the second step)
    "admin/login/": [
        (
            "/admin/login/",
            row(
                (302, "/accounts/login/?next=%2Fadmin%2Flogin%2F"),
                *[FORBIDDEN] * 4,
                (302, "/admin/"),
            ),
        )
    ],
    "admin/logout/": [("/admin/logout/", row(*([(302, "/admin/")] * 5), NOT_ALLOWED))],
    "admin/password_change/": [("/admin/password_change/", staff())],
    "admin/password_change/done/": [("/admin/password_change/done/", staff())],
    # without its query parameters the autocomplete view refuses even staff
    "admin/autocomplete/": [("/admin/autocomplete/", staff(FORBIDDEN))],
    "admin/jsi18n/": [("/admin/jsi18n/", staff())],
    "admin/r/<path:content_type_id>/<path:object_id>/": [
        ("/admin/r/{ladder_ct}/{builtin_pk}/", staff((302, "http://testserver/ladders/{builtin}/")))
    ],
    "admin/(?P<url>.*)$": [("/admin/no-such-page/", staff(NOT_FOUND))],
}


def _admin_app_index_rows() -> None:
    """The admin's index of one app: its route lists every app with a registered model."""
    from django.contrib import admin

    for pattern in admin.site.get_urls():
        regex = str(pattern.pattern)
        if regex.startswith("^(?P<app_label>"):
            labels = regex.removeprefix("^(?P<app_label>").split(")")[0].split("|")
            MATRIX["admin/" + regex.removeprefix("^")] = [
                (f"/admin/{label}/", staff()) for label in labels
            ]


_admin_app_index_rows()


def _admin_rows(model: str, pk: str, *, add: Expected = OK, delete: Expected = OK) -> None:
    admin_rows(MATRIX, model, pk, add=add, delete=delete)


_admin_rows("auth/group", "{group_pk}")
_admin_rows("auth/user", "{user_pk}")
MATRIX["admin/auth/user/<id>/password/"] = [("/admin/auth/user/{user_pk}/password/", staff())]
_admin_rows("account/emailaddress", "{email_pk}")
# two-step sign-in: staff see and remove a person's authenticator (a lost phone), never add one
_admin_rows("mfa/authenticator", "{authenticator_pk}", add=FORBIDDEN)
# Custom ladders are made by copying (always eight steps), and built-ins change only with a
# release, so the admin adds no ladders and deletes no built-in; stages are read-only.
_admin_rows("ladders/ladder", "{builtin_pk}", add=FORBIDDEN, delete=FORBIDDEN)
MATRIX["admin/ladders/ladder/<path:object_id>/delete/"].append(
    ("/admin/ladders/ladder/{custom_pk}/delete/", staff())
)
MATRIX["admin/ladders/ladder/<path:object_id>/change/"].append(
    ("/admin/ladders/ladder/{custom_pk}/change/", staff())
)
_admin_rows("ladders/stage", "{stage_pk}", add=FORBIDDEN, delete=FORBIDDEN)
_admin_rows("registry/unit", "{unit_pk}")
_admin_rows("registry/area", "{area_pk}")
_admin_rows("registry/activismkind", "{kind_pk}")  # the factory kind is not built-in
_admin_rows("registry/activism", "{public_pk}")
# practices come through save_practice; built-ins (ladder steps) are never deleted here
_admin_rows("repertoire/practice", "{practice_pk}", add=FORBIDDEN, delete=FORBIDDEN)
_admin_rows("repertoire/planitem", "{plan_item_pk}", add=FORBIDDEN)
_admin_rows("repertoire/experiment", "{experiment_pk}", add=FORBIDDEN)
_admin_rows("workshops/workshop", "{workshop_pk}")
_admin_rows("listening/source", "{source_pk}")
_admin_rows("listening/publicaccount", "{public_account_pk}")
# a published consent text is never edited or deleted (volunteers agreed to its words); calls
# and the audit log change only through the call pages
_admin_rows("crowds/consenttext", "{consent_pk}", delete=FORBIDDEN)
_admin_rows("crowds/skill", "{skill_pk}")
# API keys of integrations: staff see and revoke them (never the key: only a digest is stored);
# only their owner makes one, on /api-keys/
_admin_rows("portaat/apikey", "{api_key_pk}", add=FORBIDDEN)
_admin_rows("crowds/volunteer", "{volunteer_pk}")
_admin_rows("crowds/call", "{call_pk}", add=FORBIDDEN, delete=FORBIDDEN)
_admin_rows("crowds/auditentry", "{audit_pk}", add=FORBIDDEN, delete=FORBIDDEN)


# --- registry, cases, units, data files --------------------------------------------------------
# The official persona is a member of the case's unit; the activist persona maintains the public
# REKO ring of that case; "internal" is an administration-only activism nobody maintains.
MAINTAINER_OR_ADMINISTRATION = row(TO_LOGIN, OK, NOT_FOUND, OK, OK, OK)
HIDDEN_FROM_OUTSIDERS = row(NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, OK)
UNIT_MANAGERS = row(TO_LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
FACILITATORS_SIGNED_IN = (NOT_FOUND, NOT_FOUND, OK, OK, OK)
FACILITATORS = row(TO_LOGIN, *FACILITATORS_SIGNED_IN)
MATRIX.update(
    {
        "activisms/": [
            ("/activisms/", EVERYONE),
            ("/activisms/?status=bogus", same_for_signed_in((400, None), (400, None))),
        ],
        "activisms/new/": [("/activisms/new/", SIGNED_IN)],
        "activisms/review/": [("/activisms/review/", ADMINISTRATION)],
        "activisms/<int:pk>/": [
            ("/activisms/{public_pk}/", EVERYONE),
            ("/activisms/{internal_pk}/", HIDDEN_FROM_OUTSIDERS),
            ("/activisms/999999/", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
        ],
        "activisms/<int:pk>/edit/": [
            ("/activisms/{public_pk}/edit/", row(TO_LOGIN, OK, FORBIDDEN, OK, OK, OK)),
            ("/activisms/{internal_pk}/edit/", row(TO_LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK)),
        ],
        "activisms/<int:pk>/review/": [
            ("/activisms/{public_pk}/review/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "cases/new/": [
            ("/cases/new/", ADMINISTRATION),
            ("/cases/new/?activism={public_pk}", ADMINISTRATION),
        ],
        "cases/<int:pk>/": [("/cases/{case_pk}/", MAINTAINER_OR_ADMINISTRATION)],
        # researchers record their own perspective on cases of public activisms
        "cases/<int:pk>/assess/": [("/cases/{case_pk}/assess/", row(TO_LOGIN, OK, OK, OK, OK, OK))],
        "cases/<int:pk>/interactions/new/": [
            ("/cases/{case_pk}/interactions/new/", row(TO_LOGIN, FORBIDDEN, NOT_FOUND, OK, OK, OK))
        ],
        "cases/<int:pk>/edit/": [
            ("/cases/{case_pk}/edit/", row(TO_LOGIN, FORBIDDEN, NOT_FOUND, OK, OK, OK))
        ],
        "units/": [("/units/", ADMINISTRATION)],
        "units/<slug:slug>/": [
            ("/units/{unit}/", ADMINISTRATION),
            ("/units/city/", ADMINISTRATION),
            (
                "/units/no-such-unit/",
                row(TO_LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND),
            ),
        ],
        "units/<slug:slug>/maturity/": [
            ("/units/{unit}/maturity/", ADMINISTRATION),
            ("/units/city/maturity/", ADMINISTRATION),
        ],
        "units/<slug:slug>/report/": [
            ("/units/{unit}/report/", ADMINISTRATION),
            (
                "/units/no-such-unit/report/",
                row(TO_LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND),
            ),
        ],
        "units/<slug:slug>/maturity/judgement/": [
            ("/units/{unit}/maturity/judgement/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "units/<slug:slug>/goals/new/": [("/units/{unit}/goals/new/", UNIT_MANAGERS)],
        "data/": [("/data/", EVERYONE)],
        # --- repertoire, experiments, notifications -------------------------------------------
        "practices/": [("/practices/", EVERYONE)],
        "practices/<int:pk>/": [
            ("/practices/{practice_pk}/", EVERYONE),
            ("/practices/{own_practice_pk}/", EVERYONE),
            ("/practices/999999/", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
        ],
        "practices/new/": [("/practices/new/", ADMINISTRATION)],
        "practices/<int:pk>/edit/": [
            ("/practices/{own_practice_pk}/edit/", ADMINISTRATION),
            ("/practices/{practice_pk}/edit/", NOBODY),  # built-ins follow their ladder step
        ],
        "experiments/": [("/experiments/", ADMINISTRATION)],
        "experiments/new/": [("/experiments/new/", ADMINISTRATION)],
        "experiments/<int:pk>/": [("/experiments/{experiment_pk}/", ADMINISTRATION)],
        "experiments/<int:pk>/close/": [
            ("/experiments/{experiment_pk}/close/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "experiments/<int:pk>/abandon/": [
            ("/experiments/{experiment_pk}/abandon/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "experiments/<int:pk>/attachments/": [
            (
                "/experiments/{experiment_pk}/attachments/",
                same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED),
            )
        ],
        "experiments/<int:pk>/attachments/<int:attachment_pk>/": [
            ("/experiments/{experiment_pk}/attachments/{attachment_pk}/", ADMINISTRATION)
        ],
        "experiments/<int:pk>/attachments/<int:attachment_pk>/delete/": [
            (
                "/experiments/{experiment_pk}/attachments/{attachment_pk}/delete/",
                same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED),
            )
        ],
        # workshops: the official persona facilitates the workshop; coordinators see every one
        "workshops/": [("/workshops/", ADMINISTRATION)],
        "workshops/new/": [("/workshops/new/", ADMINISTRATION)],
        "workshops/<int:pk>/": [("/workshops/{workshop_pk}/", FACILITATORS)],
        # an open workshop's stream never ends, so the GET is tried on a closed one
        "workshops/<int:pk>/events/": [
            ("/workshops/{closed_workshop_pk}/events/", row(FORBIDDEN, *FACILITATORS_SIGNED_IN))
        ],
        "workshops/<int:pk>/close/": [
            ("/workshops/{workshop_pk}/close/", same_for_signed_in(TO_LOGIN, NOT_ALLOWED))
        ],
        "workshops/<int:pk>/export.csv": [("/workshops/{workshop_pk}/export.csv", FACILITATORS)],
        "workshops/<int:pk>/summary/": [("/workshops/{workshop_pk}/summary/", FACILITATORS)],
        "workshops/<int:pk>/items/<int:item_pk>/lock/": [
            (
                "/workshops/{workshop_pk}/items/{workshop_item_pk}/lock/",
                same_for_signed_in(TO_LOGIN, NOT_ALLOWED),
            )
        ],
        "workshops/<int:pk>/items/<int:item_pk>/outcome/": [
            (
                "/workshops/{workshop_pk}/items/{workshop_item_pk}/outcome/",
                same_for_signed_in(TO_LOGIN, NOT_ALLOWED),
            )
        ],
        "workshops/<int:pk>/answers/<int:answer_pk>/hide/": [
            (
                "/workshops/{workshop_pk}/answers/{workshop_answer_pk}/hide/",
                same_for_signed_in(TO_LOGIN, NOT_ALLOWED),
            )
        ],
        # listening is the administration's; researchers download the pseudonymised export
        "listening/": [("/listening/", ADMINISTRATION), ("/listening/?q=kallio", ADMINISTRATION)],
        "listening/export.<str:fmt>": [
            ("/listening/export.csv", row(TO_LOGIN, FORBIDDEN, OK, OK, OK, OK)),
            (
                "/listening/export.pdf",
                row(TO_LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
            ),
        ],
        "listening/sources/": [("/listening/sources/", ADMINISTRATION)],
        "listening/sources/new/": [("/listening/sources/new/", ADMINISTRATION)],
        "listening/sources/<int:pk>/": [("/listening/sources/{source_pk}/", ADMINISTRATION)],
        "listening/sources/<int:pk>/edit/": [
            ("/listening/sources/{source_pk}/edit/", ADMINISTRATION)
        ],
        "listening/sources/<int:pk>/collect/": [
            (
                "/listening/sources/{source_pk}/collect/",
                row(TO_LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            )
        ],
        "listening/sources/<int:pk>/pause/": [
            (
                "/listening/sources/{source_pk}/pause/",
                row(TO_LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
            )
        ],
        "listening/import/": [("/listening/import/", ADMINISTRATION)],
        "listening/suggestions/": [("/listening/suggestions/", ADMINISTRATION)],
        "listening/suggestions/<int:pk>/": [
            ("/listening/suggestions/{suggestion_pk}/", ADMINISTRATION)
        ],
        # planning analytics: the administration's, like listening; themes are coordinators'
        "planning/": [
            ("/planning/", ADMINISTRATION),
            ("/planning/?source={source_pk}&since=2026-01-01", ADMINISTRATION),
            ("/planning/?source=999999", row(TO_LOGIN, FORBIDDEN, FORBIDDEN, *[(400, None)] * 3)),
        ],
        "planning/export.<str:fmt>": [
            ("/planning/export.csv", ADMINISTRATION),
            ("/planning/export.geojson", ADMINISTRATION),
            (
                "/planning/export.pdf",
                row(TO_LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND),
            ),
        ],
        "planning/topics/": [
            ("/planning/topics/", row(TO_LOGIN, FORBIDDEN, FORBIDDEN, *[NOT_ALLOWED] * 3))
        ],
        "planning/runs/<int:pk>/topics/<int:topic>/": [
            ("/planning/runs/{topic_run_pk}/topics/0/", ADMINISTRATION),
            (
                "/planning/runs/{topic_run_pk}/topics/99/",
                row(TO_LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND),
            ),
        ],
        "planning/attach/": [
            ("/planning/attach/", row(TO_LOGIN, FORBIDDEN, FORBIDDEN, *[NOT_ALLOWED] * 3))
        ],
        "planning/alerts/": [("/planning/alerts/", ADMINISTRATION)],
        "planning/alerts/<int:pk>/delete/": [
            (
                "/planning/alerts/{subscription_pk}/delete/",
                row(TO_LOGIN, FORBIDDEN, FORBIDDEN, *[NOT_ALLOWED] * 3),
            )
        ],
        "planning/themes/": [("/planning/themes/", ADMINISTRATION)],
        "planning/themes/<int:pk>/": [("/planning/themes/{theme_pk}/", COORDINATORS)],
        # rapid-response crowds: calls are for those who may run them (coordinators here; an
        # official needs the crowds.run_calls permission); a call's pages are 404 to others.
        # Volunteers' pages open by their personal or signed links, without an account.
        "crowds/": [("/crowds/", CALLERS)],
        "crowds/join/": [("/crowds/join/", EVERYONE)],
        "crowds/v/<str:secret>/": [
            ("/crowds/v/{volunteer_secret}/", EVERYONE),
            ("/crowds/v/not-a-secret/", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
        ],
        "crowds/v/<str:secret>/export/": [("/crowds/v/{volunteer_secret}/export/", EVERYONE)],
        "crowds/v/<str:secret>/erase/": [
            ("/crowds/v/{volunteer_secret}/erase/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "crowds/r/<str:token>/": [
            ("/crowds/r/{response_token}/", EVERYONE),
            ("/crowds/r/1.1.forged/", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
        ],
        "crowds/calls/new/": [("/crowds/calls/new/", CALLERS)],
        "crowds/calls/<int:pk>/": [
            ("/crowds/calls/{call_pk}/", CALL_PAGE),
            ("/crowds/calls/{draft_call_pk}/", CALL_PAGE),
        ],
        "crowds/calls/<int:pk>/edit/": [
            ("/crowds/calls/{draft_call_pk}/edit/", CALL_PAGE),
            # a sent call cannot be edited: back to its page
            (
                "/crowds/calls/{call_pk}/edit/",
                row(*[NOT_FOUND] * 4, *[(302, "/crowds/calls/{call_pk}/")] * 2),
            ),
        ],
        "crowds/calls/<int:pk>/send/": [
            ("/crowds/calls/{draft_call_pk}/send/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "crowds/calls/<int:pk>/update/": [
            ("/crowds/calls/{call_pk}/update/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "crowds/calls/<int:pk>/stand-down/": [
            ("/crowds/calls/{call_pk}/stand-down/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "crowds/calls/<int:pk>/cancel/": [
            ("/crowds/calls/{call_pk}/cancel/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "crowds/calls/<int:pk>/cap.xml": [
            ("/crowds/calls/{call_pk}/cap.xml", CALL_PAGE),
            ("/crowds/calls/{draft_call_pk}/cap.xml", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
        ],
        "crowds/calls/<int:pk>/headcount/": [("/crowds/calls/{call_pk}/headcount/", CALL_PAGE)],
        # the stream of a draft ends after its first event (a sent call's would stay open)
        "crowds/calls/<int:pk>/events/": [("/crowds/calls/{draft_call_pk}/events/", CALL_PAGE)],
        "crowds/calls/<int:pk>/deliveries/": [("/crowds/calls/{call_pk}/deliveries/", CALLERS)],
        "crowds/audit/": [("/crowds/audit/", CALLERS)],
        # provider webhooks: authenticated by a secret in the address (none configured here)
        "crowds/hooks/sms/<str:secret>/incoming/": [
            ("/crowds/hooks/sms/not-the-secret/incoming/", same_for_signed_in(NOT_FOUND, NOT_FOUND))
        ],
        "crowds/hooks/sms/<str:secret>/receipt/": [
            ("/crowds/hooks/sms/not-the-secret/receipt/", same_for_signed_in(NOT_FOUND, NOT_FOUND))
        ],
        "crowds/hooks/telegram/": [
            ("/crowds/hooks/telegram/", same_for_signed_in(NOT_FOUND, NOT_FOUND))
        ],
        "crowds/push/sw.js": [("/crowds/push/sw.js", EVERYONE)],
        "crowds/push/<str:secret>/subscribe/": [
            (
                "/crowds/push/{volunteer_secret}/subscribe/",
                same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED),
            )
        ],
        "crowds/push/<str:secret>/unsubscribe/": [
            (
                "/crowds/push/{volunteer_secret}/unsubscribe/",
                same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED),
            )
        ],
        # participants need no account
        "w/": [("/w/", EVERYONE)],
        "w/<str:code>/": [
            ("/w/{workshop_code}/", EVERYONE),
            ("/w/{closed_workshop_code}/", same_for_signed_in((410, None), (410, None))),
        ],
        "w/<str:code>/answer/<int:item_pk>/": [
            (
                "/w/{workshop_code}/answer/{workshop_item_pk}/",
                same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED),
            )
        ],
        "experiments/plan/new/": [
            ("/experiments/plan/new/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "experiments/plan/<int:pk>/": [
            ("/experiments/plan/{plan_item_pk}/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "notifications/": [("/notifications/", SIGNED_IN)],
        # everyone makes and revokes only their own keys (the example is the official's: a 404
        # to the others); those who must give the app's code give it here too
        "api-keys/": [("/api-keys/", SIGNED_IN)],
        "api-keys/<int:pk>/revoke/": [
            ("/api-keys/{api_key_pk}/revoke/", same_for_signed_in(TO_LOGIN, NOT_ALLOWED))
        ],
        "notifications/read/": [
            ("/notifications/read/", same_for_signed_in(TO_LOGIN, NOT_ALLOWED))
        ],
        "notifications/settings/": [
            ("/notifications/settings/", same_for_signed_in(TO_LOGIN, NOT_ALLOWED))
        ],
        "data/import/activisms/": [("/data/import/activisms/", ADMINISTRATION)],
        "data/import/activisms/<str:token>/": [
            (
                "/data/import/activisms/00000000-0000-0000-0000-000000000000/",
                row(TO_LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND),
            )
        ],
        "data/import/activisms/<str:token>/confirm/": [
            ("/data/import/activisms/x/confirm/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
        ],
        "data/export/activisms.<str:fmt>": [
            ("/data/export/activisms.csv", EVERYONE),
            ("/data/export/activisms.json", EVERYONE),
            ("/data/export/activisms.pdf", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
        ],
        "data/export/cases.<str:fmt>": [("/data/export/cases.xlsx", ADMINISTRATION)],
        "data/export/assessments.<str:fmt>": [("/data/export/assessments.csv", ADMINISTRATION)],
    }
)


def _api_rows(
    name: str,
    detail: str,
    expected: dict[str, Expected],
    pk_name: str = "pk",
    *,
    listing: dict[str, Expected] | None = None,
) -> None:
    api_rows(MATRIX, name, detail, expected, pk_name, listing=listing)


API_ADMINISTRATION = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
API_SIGNED_IN = row(FORBIDDEN, OK, OK, OK, OK, OK)
_api_rows("areas", "{area_key}", EVERYONE, "key")
_api_rows("activism-kinds", "reko-ring", EVERYONE, "slug")
_api_rows("activisms", "{public_pk}", EVERYONE)
MATRIX["api/v1/activisms/(?P<pk>[^/.]+)/$"].append(
    ("/api/v1/activisms/{internal_pk}/", row(NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, OK))
)
# reviewing is a POST (tests/api/test_activism_writes.py); a GET is not offered to anyone
MATRIX["api/v1/activisms/(?P<pk>[^/.]+)/review/$"] = [
    ("/api/v1/activisms/{public_pk}/review/", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
]
MATRIX[r"api/v1/activisms/(?P<pk>[^/.]+)/review\.(?P<format>[a-z0-9]+)/?$"] = [
    ("/api/v1/activisms/{public_pk}/review.json", same_for_signed_in(NOT_ALLOWED, NOT_ALLOWED))
]
_api_rows("units", "{unit}", API_ADMINISTRATION, "slug")
MATRIX["api/v1/units/(?P<slug>[^/.]+)/maturity/$"] = [
    ("/api/v1/units/{unit}/maturity/", API_ADMINISTRATION)
]
MATRIX[r"api/v1/units/(?P<slug>[^/.]+)/maturity\.(?P<format>[a-z0-9]+)/?$"] = [
    ("/api/v1/units/{unit}/maturity.json", API_ADMINISTRATION)
]
CASE_DETAIL = row(FORBIDDEN, OK, NOT_FOUND, OK, OK, OK)
_api_rows("cases", "{case_pk}", CASE_DETAIL, listing=API_SIGNED_IN)
_api_rows("assessments", "{assessment_pk}", CASE_DETAIL, listing=API_SIGNED_IN)
_api_rows("interactions", "{interaction_pk}", CASE_DETAIL, listing=API_SIGNED_IN)
_api_rows("practices", "{practice_pk}", EVERYONE)
MATRIX["api/v1/practices/(?P<pk>[^/.]+)/evidence/$"] = [
    ("/api/v1/practices/{practice_pk}/evidence/", EVERYONE)
]
MATRIX[r"api/v1/practices/(?P<pk>[^/.]+)/evidence\.(?P<format>[a-z0-9]+)/?$"] = [
    ("/api/v1/practices/{practice_pk}/evidence.json", EVERYONE)
]
_api_rows("plan-items", "{plan_item_pk}", CASE_DETAIL, listing=API_SIGNED_IN)
_api_rows("experiments", "{experiment_pk}", API_ADMINISTRATION)
# closing and abandoning are POSTs (tests/api/test_experiment_writes.py); GET is not offered
for _verb in ("close", "abandon"):
    _get_refused = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)
    MATRIX[f"api/v1/experiments/(?P<pk>[^/.]+)/{_verb}/$"] = [
        (f"/api/v1/experiments/{{experiment_pk}}/{_verb}/", _get_refused)
    ]
    MATRIX[rf"api/v1/experiments/(?P<pk>[^/.]+)/{_verb}\.(?P<format>[a-z0-9]+)/?$"] = [
        (f"/api/v1/experiments/{{experiment_pk}}/{_verb}.json", _get_refused)
    ]
# each reads only their own notifications; the example belongs to the official
_api_rows(
    "notifications",
    "{notification_pk}",
    row(FORBIDDEN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND),
    listing=API_SIGNED_IN,
)
MATRIX["api/v1/cases/<int:pk>/recommendations/"] = [
    ("/api/v1/cases/{case_pk}/recommendations/", API_ADMINISTRATION)
]


# --- thanks (kiitos) ---------------------------------------------------------------------------
# Anyone reads the wall and a published thanks and writes a thanks without an account; a thanks
# waiting for moderation is a 404 to all but the site coordinators, who moderate. Officials
# (the administration) choose on their settings page whether they may be thanked by name.
THANKS_MODERATORS_POST = row(TO_LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED)
THANKS_HIDDEN = row(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK)
MATRIX.update(
    {
        "thanks/": [
            ("/thanks/", EVERYONE),
            ("/thanks/?unit={unit}&page=2", EVERYONE),
            ("/thanks/?unit=no-such-unit", same_for_signed_in((400, None), (400, None))),
        ],
        "thanks/new/": [("/thanks/new/", EVERYONE), ("/thanks/new/?unit={unit}", EVERYONE)],
        "thanks/<int:pk>/": [
            ("/thanks/{thanks_pk}/", EVERYONE),
            ("/thanks/{pending_thanks_pk}/", THANKS_HIDDEN),
            ("/thanks/999999/", same_for_signed_in(NOT_FOUND, NOT_FOUND)),
        ],
        "thanks/moderation/": [("/thanks/moderation/", COORDINATORS)],
        "thanks/<int:pk>/approve/": [
            ("/thanks/{pending_thanks_pk}/approve/", THANKS_MODERATORS_POST)
        ],
        "thanks/<int:pk>/reject/": [
            ("/thanks/{pending_thanks_pk}/reject/", THANKS_MODERATORS_POST)
        ],
        "thanks/settings/": [("/thanks/settings/", ADMINISTRATION)],
    }
)
_api_rows("thanks", "{thanks_pk}", EVERYONE)
MATRIX["api/v1/thanks/(?P<pk>[^/.]+)/$"].append(
    ("/api/v1/thanks/{pending_thanks_pk}/", THANKS_HIDDEN)
)
# thanks come only through the public form
_admin_rows("thanks/thanks", "{thanks_pk}", add=FORBIDDEN)


# capabilities that keep their rows next to their tests (see tests/permissions.py)
EXTENSIONS: list = [
    importlib.import_module(f"tests.{name}.matrix")
    for name in (
        "somehallinto",
        "events",
        "figures",
        "initiatives",
        "research",
        "workshops",
        "listening",
    )
]
for _extension in EXTENSIONS:
    assert not set(_extension.ROWS) & set(MATRIX), _extension.__name__
    MATRIX.update(_extension.ROWS)


def walk_routes(patterns: list | None = None, prefix: str = "") -> Iterator[str]:
    """Every route of the URL configuration, joined as Django's ``ResolverMatch.route`` is."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        part = str(pattern.pattern)
        route = prefix + (part.removeprefix("^") if prefix else part)
        if isinstance(pattern, URLResolver):
            yield from walk_routes(pattern.url_patterns, route)
        else:
            yield route


DUMMY_VALUES = {
    "builtin": "city-planning",
    "custom": "urban-gardening",
    "builtin_pk": "1",
    "custom_pk": "2",
    "stage_pk": "1",
    "group_pk": "1",
    "user_pk": "1",
    "email_pk": "1",
    "ladder_ct": "1",
    "unit": "planning",
    "unit_pk": "1",
    "area_pk": "1",
    "area_key": "helsinki-kallio",
    "kind_pk": "1",
    "public_pk": "1",
    "internal_pk": "2",
    "case_pk": "1",
    "assessment_pk": "1",
    "interaction_pk": "1",
    "practice_pk": "1",
    "own_practice_pk": "2",
    "plan_item_pk": "1",
    "experiment_pk": "1",
    "notification_pk": "1",
    "attachment_pk": "1",
    "workshop_pk": "1",
    "closed_workshop_pk": "2",
    "workshop_item_pk": "1",
    "workshop_answer_pk": "1",
    "workshop_code": "ABCDEFGH",
    "topic_run_pk": "1",
    "subscription_pk": "1",
    "theme_pk": "1",
    "closed_workshop_code": "HGFEDCBA",
    "source_pk": "1",
    "public_account_pk": "1",
    "suggestion_pk": "1",
    "call_pk": "1",
    "draft_call_pk": "2",
    "volunteer_secret": "abc",
    "response_token": "1.1.abc",
    "consent_pk": "1",
    "authenticator_pk": "1",
    "skill_pk": "1",
    "volunteer_pk": "1",
    "audit_pk": "1",
    "api_key_pk": "1",
    # thanks
    "thanks_pk": "1",
    "pending_thanks_pk": "2",
}
for _extension in EXTENSIONS:
    DUMMY_VALUES.update(_extension.DUMMY_VALUES)


def test_every_url_is_in_the_table():
    routes = list(walk_routes())
    assert len(routes) == len(set(routes)), "two URL patterns share a route"
    missing = sorted(set(routes) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(routes))
    assert not missing, f"URLs without a row in the permission matrix: {missing}"
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_example_url_reaches_its_route(route):
    for url, _expected in MATRIX[route]:
        path = url.format(**DUMMY_VALUES).split("?")[0]
        assert resolve(path).route == route, url


@pytest.fixture
def matrix_values(custom_ladder, personas, reko_case) -> dict[str, str]:
    """Real values for the URL placeholders, and a verified address for each account."""
    for user in personas.values():
        if user.is_authenticated:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    builtin = Ladder.objects.get(slug="city-planning")
    return {
        "builtin": builtin.slug,
        "custom": custom_ladder.slug,
        "builtin_pk": str(builtin.pk),
        "custom_pk": str(custom_ladder.pk),
        "stage_pk": str(Stage.objects.get(number=1).pk),
        "group_pk": str(Group.objects.get(name="official").pk),
        "user_pk": str(personas["official"].pk),
        "email_pk": str(EmailAddress.objects.get(user=personas["official"]).pk),
        "authenticator_pk": str(_authenticator_pk(personas["official"])),
        "ladder_ct": str(ContentType.objects.get_for_model(Ladder).pk),
        **_registry_values(reko_case, personas),
        **_crowd_values(personas),
        **_token_values(personas),
        **_thanks_values(reko_case),
        **{
            key: value
            for extension in EXTENSIONS
            for key, value in extension.values(personas, reko_case).items()
        },
    }


def _authenticator_pk(user) -> int:
    from allauth.mfa.models import Authenticator

    give_authenticator_app(user)
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).pk


def _thanks_values(case) -> dict[str, str]:
    from tests.factories import ThanksFactory

    published = ThanksFactory(unit=case.unit, status="approved")
    pending = ThanksFactory(unit=case.unit)
    return {"thanks_pk": str(published.pk), "pending_thanks_pk": str(pending.pk)}


def _token_values(personas) -> dict[str, str]:
    from portaat.api import keys

    row, _key = keys.create(personas["official"], "weekly report")
    return {"api_key_pk": str(row.pk)}


def _crowd_values(personas) -> dict[str, str]:
    from portaat.crowds import links, services
    from portaat.crowds.models import AuditEntry, ConsentText, Delivery, Skill
    from tests.factories import AreaFactory, CallFactory, VolunteerFactory

    area = AreaFactory(key="helsinki-kallio")
    volunteer = VolunteerFactory(areas=[area])
    sent = CallFactory(areas=[area])
    services.send_call(personas["coordinator"], sent)
    assert Delivery.objects.filter(volunteer=volunteer).exists()
    draft = CallFactory(areas=[area])
    return {
        "call_pk": str(sent.pk),
        "draft_call_pk": str(draft.pk),
        "volunteer_secret": volunteer.secret,
        "response_token": links.response_token(sent, volunteer),
        "consent_pk": str(ConsentText.objects.get().pk),
        "skill_pk": str(Skill.objects.first().pk),
        "volunteer_pk": str(volunteer.pk),
        "audit_pk": str(AuditEntry.objects.first().pk),
    }


def _registry_values(case, personas) -> dict[str, str]:
    import datetime as dt

    from portaat.cases.services import log_interaction, record_assessment
    from tests.factories import ActivismFactory, AreaFactory

    area = AreaFactory(key="helsinki-kallio", name="Kallio", name_sv="Berghäll")
    case.activism.areas.add(area)
    internal = ActivismFactory(name="Sisäinen verkosto", visibility="internal")
    assessment = record_assessment(
        case, perspective="official", current_level=2, target_level=5, by=personas["official"]
    )
    interaction = log_interaction(
        case, kind="event", happened_on=dt.date(2026, 5, 1), by=personas["official"]
    )
    from portaat.models import Notification
    from portaat.repertoire import services as repertoire
    from portaat.repertoire.models import Practice

    practice = Practice.objects.get(step__ladder=case.ladder, level_from=4)
    own = repertoire.save_practice(
        practice=None,
        texts={"title": {"fi": "Oma käytäntö"}},
        level_from=3,
        level_to=4,
        action_type="develop",
    )
    plan_item = repertoire.plan_practice(case, practice, owner=personas["official"])
    experiment = repertoire.create_experiment(
        title="Kokeilu",
        hypothesis="H",
        practices=[practice],
        cases=[case],
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 2, 1),
        owner=personas["official"],
    )
    notification = Notification.objects.create(
        user=personas["official"], key="test", kind="reassess", params={}
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = repertoire.add_attachment(
        experiment,
        SimpleUploadedFile("report.pdf", b"%PDF-1.4\n"),
        title="",
        user=personas["official"],
    )
    from portaat.workshops import services as workshops

    workshop = workshops.create_workshop(
        title="Paja", cases=[case], facilitator=personas["official"]
    )
    closed = workshops.create_workshop(
        title="Suljettu", cases=[case], facilitator=personas["official"]
    )
    workshops.close_workshop(closed)
    participant = workshops.join(workshop, display_name="", role="resident", language="fi")
    item = workshop.items.get()
    answer = workshops.answer(participant, item, current_level=3, target_level=5, comment="Hei")
    from portaat.listening.models import PublicAccount, Suggestion
    from tests.factories import PostFactory, SourceFactory

    source = SourceFactory(name="#kallio")
    PostFactory(source=source, text="Kalliossa tapahtuu")
    public_account = PublicAccount.objects.create(platform="mastodon", handle="x@y.fi")
    suggestion = Suggestion.objects.create(
        kind="hashtag",
        platform="mastodon",
        key="tag",
        label="tag",
        posts=5,
        first_seen=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        last_seen=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    )
    from portaat.planning.models import SpikeSubscription, TopicRun
    from portaat.planning.services import load_builtin_themes

    load_builtin_themes()
    topic_run = TopicRun.objects.create(
        status="done",
        topics=[{"id": 0, "theme": None, "labels": {"fi": ["x"]}, "size": 0, "examples": []}],
    )
    subscription = SpikeSubscription.objects.create(
        user=personas["official"], kind="keyword", value="ratikka"
    )
    from portaat.planning.models import Theme

    return {
        "topic_run_pk": str(topic_run.pk),
        "subscription_pk": str(subscription.pk),
        "theme_pk": str(Theme.objects.get(key="traffic").pk),
        "source_pk": str(source.pk),
        "public_account_pk": str(public_account.pk),
        "suggestion_pk": str(suggestion.pk),
        "attachment_pk": str(attachment.pk),
        "workshop_pk": str(workshop.pk),
        "closed_workshop_pk": str(closed.pk),
        "workshop_item_pk": str(item.pk),
        "workshop_answer_pk": str(answer.pk),
        "workshop_code": workshop.code,
        "closed_workshop_code": closed.code,
        "practice_pk": str(practice.pk),
        "own_practice_pk": str(own.pk),
        "plan_item_pk": str(plan_item.pk),
        "experiment_pk": str(experiment.pk),
        "notification_pk": str(notification.pk),
        "unit": case.unit.slug,
        "unit_pk": str(case.unit.pk),
        "area_pk": str(area.pk),
        "area_key": area.key,
        "kind_pk": str(case.activism.kind.pk),
        "public_pk": str(case.activism.pk),
        "internal_pk": str(internal.pk),
        "case_pk": str(case.pk),
        "assessment_pk": str(assessment.pk),
        "interaction_pk": str(interaction.pk),
    }


def _outcome(response, expected: Expected) -> Expected:
    location = response.get("Location")
    prefix = expected[1]
    if prefix and prefix.endswith("?next=") and location and location.startswith(prefix):
        return (response.status_code, prefix)
    return (response.status_code, location)


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_permissions(route, client_for, matrix_values):
    """Each persona as a person of that role signs in: with the authenticator app's code where
    they must give it (tests/crowds/test_second_step.py has those pages without it)."""
    mismatches = []
    for url_template, expected_row in MATRIX[route]:
        url = url_template.format(**matrix_values)
        assert set(expected_row) == set(PERSONAS), url
        for persona, (status, location) in expected_row.items():
            expected = (status, location.format(**matrix_values) if location else None)
            response = client_for(persona).get(url)
            assert response.status_code < 500, (url, persona)
            actual = _outcome(response, expected)
            if actual != expected:
                mismatches.append(f"{url} as {persona}: expected {expected}, got {actual}")
    assert not mismatches, "\n".join(mismatches)
