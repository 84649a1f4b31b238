"""Seed a fresh Portaat database for the load test and write what the locust users need.

Run after ``portaat init``, with the same environment (``PORTAAT_DATA_DIR``, ``DATABASE_URL``,
``REDIS_URL``, ``SECRET_KEY``)::

    .venv/bin/python benchmarks/load/seed.py OUT.json [--volunteers 500] [--officials 8]

Everything goes through the project's own code: ``portaat demo``'s loader (demo accounts, units,
activisms, cases, opportunities, a workshop), ``workshops.services.create_workshop`` (the
workshop the participants join), ``crowds.services.sign_up`` / ``create_call`` / ``send_call``
(volunteers and a sent call) and ``crowds.dispatch.dispatch_all`` (the call's messages are
sent here, to the console backend, so the load test starts on a call whose outbox is empty).

OUT.json holds the official accounts and passwords, the workshop's join code, the volunteers'
answer links (``/crowds/r/<token>/``, one per volunteer) and the ids of the pages to browse.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LOAD_UNIT = "demo-planning"
AREA_KEY = "helsinki-kallio"


def officials(count: int) -> list[dict[str, str]]:
    """The demo official and ``count - 1`` more like it (same role, unit and permission)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from portaat.access import Role
    from portaat.demo import DEMO_PASSWORD
    from portaat.registry.models import Membership, Unit

    accounts = [{"email": "official@demo.example", "password": DEMO_PASSWORD}]
    unit = Unit.objects.get(slug=LOAD_UNIT)
    group = Group.objects.get(name=Role.OFFICIAL.value)
    run_calls = Permission.objects.get(codename="run_calls")
    for number in range(1, count):
        email = f"official{number:02d}@load.example"
        user = get_user_model().objects.create_user(email, email, DEMO_PASSWORD)
        user.groups.add(group)
        user.user_permissions.add(run_calls)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        Membership.objects.create(unit=unit, user=user, role="official")
        accounts.append({"email": email, "password": DEMO_PASSWORD})
    return accounts


def city(count: int, official: Any) -> None:
    """``count`` more public activisms in Helsinki's districts, each with a case in the load
    unit and an official assessment, so the map, the lists and the dashboards have rows."""
    from portaat.cases.services import open_case, record_assessment
    from portaat.ladders.models import Ladder
    from portaat.registry.models import ActivismKind, Area, Unit
    from portaat.registry.services import save_activism

    unit = Unit.objects.get(slug=LOAD_UNIT)
    kinds = list(ActivismKind.objects.order_by("position", "slug"))
    ladders = list(Ladder.objects.filter(is_builtin=True).order_by("position", "pk"))
    areas = list(Area.objects.filter(municipality="Helsinki", kind="district").order_by("key"))
    for number in range(count):
        ladder = ladders[number % len(ladders)]
        activism = save_activism(
            activism=None,
            fields={
                "name": f"[Load test] Activism {number:03d}",
                "description": "Load-test data.",
                "kind": kinds[number % len(kinds)],
                "visibility": "public",
            },
            domains=[ladder],
            areas=[areas[number % len(areas)]],
            by=official,
        )
        case = open_case(activism=activism, unit=unit, ladder=ladder, by=official)
        current = 1 + number % 6
        record_assessment(
            case,
            perspective="official",
            current_level=current,
            target_level=current + 2,
            rationale="Load-test assessment.",
            by=official,
        )


def volunteers_and_call(count: int, official: Any) -> tuple[int, list[str]]:
    """``count`` volunteers in one area, a call sent to all of them; their answer links."""
    from django.urls import reverse
    from django.utils import timezone

    from portaat.crowds import dispatch, links, services
    from portaat.crowds.models import Volunteer
    from portaat.registry.models import Area

    area = Area.objects.get(key=AREA_KEY)
    consent = services.current_consent()
    languages = ["fi"] * 7 + ["sv"] * 2 + ["en"]
    for number in range(count):
        services.sign_up(
            services.VolunteerData(
                name=f"Load volunteer {number:04d}",
                email=f"volunteer{number:04d}@load.example",
                phone="",
                language=languages[number % len(languages)],
                channels=["email"],
                area_ids=[area.pk],
                skill_ids=[],
                availability="",
            ),
            consent,
        )
    now = timezone.now()
    call = services.create_call(
        official,
        services.CallData(
            title="[Load test] Storm clearing in Kallio",
            instructions_fi="Myrsky kaatoi puita Kalliossa. Tarvitaan apua raivaukseen.",
            instructions_sv="Stormen fällde träd i Berghäll. Vi behöver hjälp med röjningen.",
            instructions_en="The storm felled trees in Kallio. Help is needed with the clearing.",
            lat=60.184,
            lon=24.95,
            radius_m=None,
            area_ids=[area.pk],
            address="Kallion ala-asteen piha",
            starts_at=now,
            ends_at=now + timedelta(hours=6),
            respond_by=now + timedelta(hours=5),
            needed=100,
            skill_ids=[],
            severity="Severe",
            category="Rescue",
            channels=["email"],
            escalate_after_minutes=60,
        ),
    )
    sent = services.send_call(official, call)
    dispatch.dispatch_all(max_seconds=600)
    people = Volunteer.objects.filter(email__endswith="@load.example").order_by("pk")
    answer_links = [reverse("crowds:respond", args=[links.response_token(call, v)]) for v in people]
    if sent != count or len(answer_links) != count:
        raise SystemExit(f"the call reached {sent} of {count} volunteers")
    return call.pk, answer_links


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="the JSON file the locustfile reads")
    parser.add_argument("--volunteers", type=int, default=500)
    parser.add_argument("--officials", type=int, default=8)
    parser.add_argument("--activisms", type=int, default=60, help="besides the demo's two")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portaat.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from portaat import access
    from portaat.cases.models import Case
    from portaat.demo import load_demo
    from portaat.initiatives import services as initiatives
    from portaat.registry.models import Activism, Unit
    from portaat.workshops import services as workshops

    for line in load_demo():
        print(line)
    official = get_user_model().objects.get(username="official@demo.example")
    with transaction.atomic():
        accounts = officials(args.officials)
        city(args.activisms, official)
    cases = list(access.editable_cases(official).order_by("pk")[:6])
    workshop = workshops.create_workshop(
        title="[Load test] Residents' evening", cases=cases, facilitator=official, hours=24
    )
    call_pk, answer_links = volunteers_and_call(args.volunteers, official)
    data = {
        "officials": accounts,
        "workshop": {"pk": workshop.pk, "code": workshop.code},
        "call": call_pk,
        "volunteer_links": answer_links,
        "cases": [case.pk for case in Case.objects.order_by("pk")],
        "units": list(
            Unit.objects.filter(slug__startswith="demo-")
            .order_by("pk")
            .values_list("slug", flat=True)
        ),
        "activisms": list(
            Activism.objects.filter(access.visible_activisms(None))
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        "opportunities": list(initiatives.open_opportunities().values_list("pk", flat=True)),
    }
    Path(args.out).write_text(json.dumps(data, indent=1), encoding="utf-8")
    print(
        f"seeded: {len(accounts)} officials, workshop {workshop.display_code}, call {call_pk} "
        f"to {len(answer_links)} volunteers; wrote {args.out}"
    )


if __name__ == "__main__":
    main()
