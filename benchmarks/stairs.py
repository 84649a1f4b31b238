"""Benchmark: the stairs SVG, as a pure render and as an HTTP response.

Baseline in the same process: the `/health/` view (one trivial query), so the ratios say how
much the stairs cost on top of Django's own request handling on this machine.

    .venv/bin/python benchmarks/stairs.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PORTAAT_DATA_DIR"] = tempfile.mkdtemp(prefix="portaat-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portaat.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnop")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from portaat.ladders import drawing  # noqa: E402
from portaat.ladders.models import Ladder  # noqa: E402
from portaat.ladders.services import load_builtin  # noqa: E402

ROUNDS = 7
PER_ROUND = 200


def timed(fn: Callable[[], object]) -> float:
    """Median seconds per call over ROUNDS rounds of PER_ROUND calls."""
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(PER_ROUND):
            fn()
        samples.append((time.perf_counter() - start) / PER_ROUND)
    return statistics.median(samples)


def main() -> None:
    call_command("migrate", verbosity=0)
    load_builtin()
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    ladder = Ladder.objects.prefetch_related("steps").get(slug="city-planning")
    spec = drawing.MarkerSpec(current=3, target=6, perspectives=[("Aktivistit", 5)])
    url = "/ladders/city-planning/stairs.svg?current=3&target=6&p=Aktivistit:5"
    assert client.get(url).status_code == 200
    assert client.get("/health/").status_code == 200

    baseline = timed(lambda: client.get("/health/"))
    render = timed(lambda: drawing.render_ladder(ladder, spec))
    svg = timed(lambda: client.get(url))
    detail = timed(lambda: client.get("/ladders/city-planning/?current=3&target=6"))

    print(f"rounds={ROUNDS} calls/round={PER_ROUND} (median of rounds)")
    print(f"baseline GET /health/                  {baseline * 1e6:8.0f} µs   1.00x")
    print(
        f"render_ladder (pure, 3 markers)        {render * 1e6:8.0f} µs   {render / baseline:.2f}x"
    )
    print(f"GET stairs.svg (3 markers)             {svg * 1e6:8.0f} µs   {svg / baseline:.2f}x")
    print(
        f"GET ladder detail page (SVG + table)   {detail * 1e6:8.0f} µs   {detail / baseline:.2f}x"
    )


if __name__ == "__main__":
    main()
