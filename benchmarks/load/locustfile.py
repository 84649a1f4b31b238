"""Locust scenario: officials, the public, workshop participants and volunteers at human pace.

Reads the JSON written by ``benchmarks/load/seed.py`` from ``PORTAAT_LOAD_DATA``; normally
started by ``benchmarks/load/run.py``, or by hand against a seeded server::

    PORTAAT_LOAD_DATA=/tmp/…/load.json .venv/bin/locust -f benchmarks/load/locustfile.py \\
        --headless --host http://127.0.0.1:8000 -u 50 -r 5 -t 300s

Users (weights out of 10):

- **Official** (2): signs in with a seeded official account, then reads the unit dashboard,
  case pages, unit pages (list, maturity, report), notifications, the front page and the
  rapid-response call's headcount page.
- **PublicVisitor** (3): the public map and list of activisms (``/activisms/``) and its data
  as JSON (``/api/v1/activisms/``), activism pages, the catalogue of opportunities and their
  pages, the front page.
- **WorkshopParticipant** (3): joins the open workshop with its code as a participant of its
  own, then answers the cases at a human pace, as the phone page does (htmx, one case at a
  time) — spaced well inside ``PORTAAT_WORKSHOP_ANSWERS_PER_MINUTE``.
- **Volunteer** (2): takes a volunteer's signed answer link that no other user holds, opens it,
  answers coming or not coming (sometimes changes the answer), then gives the link back and
  becomes the next volunteer; a link is taken again only after every other one has been used,
  so the per-link limit (``volunteer-response``) is never reached.

Forms are fetched first and posted with their CSRF token. Redirects are not followed: every
response other than the expected one (200 for pages and answers, 302 after signing in and
joining) counts as a failure — a redirect to the sign-in page too — and so does a 200 that
does not show the expected result (an answer without ``X-Answer-Id``). Live streams (the
projector's and the headcount's Server-Sent Events) and static files are not requested.

All users come from one address: django-allauth allows 30 sign-ins a minute per address, so
keep the officials' start within it (``run.py`` starts users/10 a second: up to ~150 users).
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, between, task

DATA: dict[str, Any] = json.loads(Path(os.environ["PORTAAT_LOAD_DATA"]).read_text("utf-8"))
ANSWERS_PER_MINUTE = int(os.environ.get("PORTAAT_WORKSHOP_ANSWERS_PER_MINUTE", "30"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANSWER_FORM = re.compile(r'action="(/w/[^/"]+/answer/\d+/)"')


class PortaatUser(FastHttpUser):
    abstract = True
    default_headers = {"Accept-Language": "fi"}

    def form_token(self, path: str, name: str) -> str | None:
        """GET a page with a form; its CSRF token, or None (counted as a failure)."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if not self.expect(response, 200, "form"):
                return None
            found = CSRF.search(response.text or "")
            if found is None:
                response.failure("no CSRF token in the form")
            return found.group(1) if found else None

    def page(self, path: str, name: str) -> None:
        """GET a page that must answer 200 itself: a redirect (to the sign-in page, say) fails."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            self.expect(response, 200, "page")

    def expect(self, response: Any, status: int, what: str) -> bool:
        if response.status_code != status:
            response.failure(f"{what}: {response.status_code}, expected {status}")
            return False
        return True


class Official(PortaatUser):
    weight = 2
    wait_time = between(3, 10)
    accounts = itertools.cycle(DATA["officials"])

    def on_start(self) -> None:
        account = next(Official.accounts)
        token = self.form_token("/accounts/login/", "/accounts/login/")
        if token is None:
            return
        with self.client.post(
            "/accounts/login/",
            name="/accounts/login/ POST",
            data={
                "login": account["email"],
                "password": account["password"],
                "csrfmiddlewaretoken": token,
            },
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if self.expect(response, 302, "login") and "/accounts/" in response.headers.get(
                "Location", ""
            ):
                response.failure(f"login went to {response.headers.get('Location')}")

    @task(5)
    def dashboard(self) -> None:
        self.page("/units/demo-planning/", "/units/[slug]/ (dashboard)")

    @task(4)
    def case(self) -> None:
        self.page(f"/cases/{random.choice(DATA['cases'])}/", "/cases/[pk]/")

    @task(2)
    def units(self) -> None:
        self.page("/units/", "/units/")
        self.page(f"/units/{random.choice(DATA['units'])}/", "/units/[slug]/")

    @task(1)
    def maturity(self) -> None:
        self.page("/units/demo-planning/maturity/", "/units/[slug]/maturity/")

    @task(1)
    def report(self) -> None:
        self.page("/units/demo-planning/report/", "/units/[slug]/report/")

    @task(2)
    def notifications(self) -> None:
        self.page("/notifications/", "/notifications/")

    @task(1)
    def home(self) -> None:
        self.page("/", "/ (signed in)")

    @task(2)
    def headcount(self) -> None:
        self.page(f"/crowds/calls/{DATA['call']}/", "/crowds/calls/[pk]/")


class PublicVisitor(PortaatUser):
    weight = 3
    wait_time = between(2, 8)

    @task(4)
    def map(self) -> None:
        self.page("/activisms/", "/activisms/ (map)")

    @task(3)
    def map_data(self) -> None:
        self.page("/api/v1/activisms/", "/api/v1/activisms/")

    @task(3)
    def activism(self) -> None:
        pk = random.choice(DATA["activisms"])
        self.page(f"/activisms/{pk}/", "/activisms/[pk]/")

    @task(3)
    def opportunities(self) -> None:
        self.page("/initiatives/opportunities/", "/initiatives/opportunities/")

    @task(1)
    def opportunity(self) -> None:
        pk = random.choice(DATA["opportunities"])
        self.page(f"/initiatives/opportunities/{pk}/", "/initiatives/opportunities/[pk]/")

    @task(1)
    def home(self) -> None:
        self.page("/", "/")


# at least 2× the server's spacing (wait_time runs between answers, the server counts per
# fixed minute), and never faster than a person taps: 4 s
_GAP = max(4.0, 2 * 60 / ANSWERS_PER_MINUTE)


class WorkshopParticipant(PortaatUser):
    weight = 3
    wait_time = between(_GAP, 3 * _GAP)
    numbers = itertools.count(1)

    def on_start(self) -> None:
        self.code = DATA["workshop"]["code"]
        self.number = next(WorkshopParticipant.numbers)
        self.joined = False
        self.forms: list[str] = []
        self.token: str | None = None
        self.join()

    def join(self) -> None:
        token = self.form_token(f"/w/{self.code}/", "/w/[code]/ (join form)")
        if token is None:
            return
        number = self.number
        with self.client.post(
            f"/w/{self.code}/",
            name="/w/[code]/ POST (join)",
            data={
                "role": ("resident", "activist", "official", "researcher", "other")[number % 5],
                "language": ("fi", "fi", "sv", "en")[number % 4],
                "display_name": f"Load {number}",
                "csrfmiddlewaretoken": token,
            },
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if not self.expect(response, 302, "join"):
                return
        self.joined = True
        self.answer_page()

    def answer_page(self) -> None:
        with self.client.get(
            f"/w/{self.code}/",
            name="/w/[code]/ (answers)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if not self.expect(response, 200, "answer page"):
                return
            text = response.text or ""
            forms, token = ANSWER_FORM.findall(text), CSRF.search(text)
            if not forms or token is None:
                response.failure("the answer page has no answer forms (not joined?)")
                return
            self.forms, self.token = forms, token.group(1)

    @task(6)
    def answer(self) -> None:
        if not self.joined:  # the join failed (counted): try again
            self.join()
            return
        if not self.forms or self.token is None:
            self.answer_page()
            return
        current = random.randint(1, 7)
        form = {
            "current": str(current),
            "target": str(random.randint(current, 8)),
            "comment": random.choice(["", "", "Hyvä alku.", "Lisää yhteistyötä, kiitos."]),
            "csrfmiddlewaretoken": self.token,
        }
        with self.client.post(
            random.choice(self.forms),
            name="/w/[code]/answer/[pk]/",
            data=form,
            headers={"HX-Request": "true"},
            catch_response=True,
        ) as response:
            if self.expect(response, 200, "answer") and "X-Answer-Id" not in response.headers:
                response.failure("answer not saved (no X-Answer-Id)")

    @task(1)
    def reload(self) -> None:
        if self.joined:
            self.answer_page()


class Volunteer(PortaatUser):
    weight = 2
    wait_time = between(5, 15)
    links: collections.deque[str] = collections.deque(DATA["volunteer_links"])

    @task
    def answer_call(self) -> None:
        link = Volunteer.links.popleft()  # a link no other user holds now
        try:
            self.respond(link)
        finally:
            Volunteer.links.append(link)

    def respond(self, link: str) -> None:
        token = self.form_token(link, "/crowds/r/[token]/")
        if token is None:
            return
        gevent.sleep(random.uniform(2, 6))  # reading the call
        first = random.choice(["coming", "coming", "coming", "not_coming"])
        if not self.post_answer(link, token, first) or random.random() > 0.25:
            return
        gevent.sleep(random.uniform(3, 10))  # a change of mind
        self.post_answer(link, token, "not_coming" if first == "coming" else "coming")

    def post_answer(self, link: str, token: str, answer: str) -> bool:
        with self.client.post(
            link,
            name="/crowds/r/[token]/ POST",
            data={"answer": answer, "csrfmiddlewaretoken": token},
            catch_response=True,
        ) as response:
            return self.expect(response, 200, "answer")
