"""Benchmark: the unit dashboard with 10,000 activisms and 100,000 assessments.

Baseline in the same run: the bare queries under the dashboard — ``cases_with_latest`` and
``attach_latest`` for the same page of cases, evaluated directly without a request, filters,
counts, map or template — so the ratio says what the page costs on top of its rows.

    .venv/bin/python benchmarks/dashboard.py                       # SQLite in a temp directory
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/dashboard.py

With a PostgreSQL ``DATABASE_URL`` the benchmark never uses the database the URL names: it
creates a throw-away database ``portaat_bench`` on the same server (via the ``postgres``
maintenance database), runs there and drops it at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PORTAAT_DATA_DIR"] = tempfile.mkdtemp(prefix="portaat-bench-")
(Path(os.environ["PORTAAT_DATA_DIR"]) / "static").mkdir()  # WhiteNoise warns without it
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portaat.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnop")

BENCH_DB = "portaat_bench"
SOURCE_URL = os.environ.get("DATABASE_URL", "")
POSTGRES = SOURCE_URL.startswith(("postgres://", "postgresql://"))


def _server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def _admin(sql: str) -> None:
    """Run CREATE/DROP DATABASE on the server's maintenance database (autocommit)."""
    import psycopg

    with psycopg.connect(_server_url(SOURCE_URL, "postgres"), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


if POSTGRES:
    _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = _server_url(SOURCE_URL, BENCH_DB)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from portaat.access import Role, ensure_role_groups  # noqa: E402
from portaat.cases import queries  # noqa: E402
from portaat.cases.models import Assessment, Case  # noqa: E402
from portaat.ladders.models import Ladder  # noqa: E402
from portaat.ladders.services import load_builtin  # noqa: E402
from portaat.registry.models import Activism, ActivismKind, Area, Unit  # noqa: E402

ACTIVISMS = 10_000
ASSESSMENTS_PER_CASE = 10  # 100,000 assessments
BIG_UNIT_SHARE = 0.5  # the "unit with many cases" holds half of them
ROUNDS = 25
PAGE = 200


def build() -> dict[str, object]:
    """City → 3 divisions → 4 units each; 10,000 activisms with one case each; 100,000
    assessments over three years (official, workshop and activist perspectives)."""
    rng = random.Random(20261127)
    load_builtin()
    ensure_role_groups()
    city = Unit.objects.create(slug="city", name="Kaupunki", kind="city")
    units = []
    for d in range(3):
        division = Unit.objects.create(
            slug=f"division-{d}", name=f"Toimiala {d}", kind="division", parent=city
        )
        for u in range(4):
            units.append(
                Unit.objects.create(
                    slug=f"unit-{d}-{u}", name=f"Palvelu {d}.{u}", kind="unit", parent=division
                )
            )
    big = units[0]
    kinds = [
        ActivismKind.objects.get_or_create(slug=slug, defaults={"name": slug})[0]
        for slug in ("reko-ring", "planning-group", "peer-lending", "other")
    ]
    areas = Area.objects.bulk_create(
        Area(
            key=f"area-{i}",
            name=f"Alue {i}",
            name_sv=f"Område {i}",
            kind="district",
            municipality="Helsinki",
            lat=60.1 + rng.random() * 0.2,
            lon=24.8 + rng.random() * 0.4,
        )
        for i in range(150)
    )
    ladders = list(Ladder.objects.filter(kind="cooperation"))
    activisms = Activism.objects.bulk_create(
        Activism(
            name=f"Aktivismi {i:05d}",
            kind=kinds[i % len(kinds)],
            status=("active", "active", "active", "dormant", "ended")[i % 5],
        )
        for i in range(ACTIVISMS)
    )
    through = Activism.areas.through
    through.objects.bulk_create(
        through(activism_id=a.pk, area_id=areas[(i * 7 + j) % len(areas)].pk)
        for i, a in enumerate(activisms)
        for j in range(1 + i % 2)
    )
    big_count = int(ACTIVISMS * BIG_UNIT_SHARE)
    cases = Case.objects.bulk_create(
        Case(
            activism=a,
            unit=big if i < big_count else units[1 + i % (len(units) - 1)],
            ladder=ladders[i % len(ladders)],
        )
        for i, a in enumerate(activisms)
    )
    today = timezone.localdate()
    perspectives = ["official"] * 6 + ["workshop"] * 2 + ["activist"] * 2
    batch: list[Assessment] = []
    for case in cases:
        for _ in range(ASSESSMENTS_PER_CASE):
            current = rng.randint(1, 8)
            target = rng.randint(current, 8)
            batch.append(
                Assessment(
                    case=case,
                    perspective=rng.choice(perspectives),
                    assessed_on=today - dt.timedelta(days=rng.randint(0, 3 * 365)),
                    current_level=current,
                    target_level=target,
                )
            )
        if len(batch) >= 20_000:
            Assessment.objects.bulk_create(batch, batch_size=2_000)
            batch = []
    Assessment.objects.bulk_create(batch, batch_size=2_000)
    return {"city": city, "big": big, "big_count": big_count}


def samples(fn: Callable[[], object], rounds: int = ROUNDS) -> list[float]:
    fn()  # warm caches (templates, translations, the database's pages)
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    data = build()
    with connection.cursor() as cursor:
        # fresh bulk-loaded tables have no planner statistics yet; a live database has them
        # (autovacuum on PostgreSQL), so the benchmark measures with them
        cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    from django.contrib.auth import get_user_model

    official = get_user_model().objects.create_user("bench@example.org", "bench@example.org")
    from django.contrib.auth.models import Group

    official.groups.add(Group.objects.get(name=Role.OFFICIAL.value))
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    client.force_login(official)

    units = {u.pk: u.parent_id for u in Unit.objects.all()}
    big = data["big"]
    city = data["city"]
    big_ids = queries.descendant_ids(big.pk, units)  # type: ignore[attr-defined]
    city_ids = queries.descendant_ids(city.pk, units)  # type: ignore[attr-defined]

    def bare(ids: list[int]) -> Callable[[], object]:
        return lambda: queries.attach_latest(queries.dashboard_rows(ids)[:PAGE])

    def bare_all(ids: list[int]) -> Callable[[], object]:
        return lambda: queries.attach_latest(queries.dashboard_rows(ids))

    def page(url: str) -> Callable[[], object]:
        def get() -> object:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        return get

    big_url = f"/units/{big.slug}/"  # type: ignore[attr-defined]
    city_url = f"/units/{city.slug}/"  # type: ignore[attr-defined]
    filtered_url = f"{city_url}?ladder=reko&status=active&area=area-7"
    with CaptureQueriesContext(connection) as captured:
        page(big_url)()
    page_queries = len(captured.captured_queries)

    rows = [
        ("bare: 200 rows, unit (baseline)", samples(bare(big_ids))),
        ("GET unit dashboard", samples(page(big_url))),
        ("bare: 200 rows, city (baseline)", samples(bare(city_ids))),
        ("GET city dashboard", samples(page(city_url))),
        ("GET city dashboard, 3 filters", samples(page(filtered_url))),
        ("bare: all cases of the unit, no page", samples(bare_all(big_ids), rounds=5)),
        ("GET unit maturity page", samples(page(f"{big_url}maturity/"), rounds=10)),
        ("GET city maturity page", samples(page(f"{city_url}maturity/"), rounds=10)),
    ]
    engine = connection.vendor
    print(
        f"database={engine} activisms={Activism.objects.count()} cases={Case.objects.count()} "
        f"assessments={Assessment.objects.count()} unit cases={data['big_count']} "
        f"(build {built:.0f} s)"
    )
    print(
        f"rounds={ROUNDS} (maturity 10, bare-all 5); page={PAGE} rows; queries/page={page_queries}"
    )
    baselines = {"unit": statistics.median(rows[0][1]), "city": statistics.median(rows[2][1])}
    for label, values in rows:
        base = baselines["city" if "city" in label else "unit"]
        median = statistics.median(values)
        print(
            f"{label:40s} median {median * 1e3:8.1f} ms   p95 {p95(values) * 1e3:8.1f} ms"
            f"   {median / base:6.2f}x"
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        if POSTGRES:
            connections.close_all()
            _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
