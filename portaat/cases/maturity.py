"""The five-stage maturity estimate: a pure, explainable rules engine.

Nothing here touches the database: the view gathers plain records (``CaseRecord``,
``GoalRecord``) with ``portaat.cases.queries.maturity_records`` and hands them to
``estimate()``, which says which stage the data supports, which criteria hold and which do
not, with the numbers behind each, and what would lift the unit one stage.

The rules (defaults in ``DEFAULT_RULES``; a city tunes them with ``PORTAAT_MATURITY_RULES`` in
its settings, a dict holding only the keys it changes):

* **Stage 2** — activisms are registered for the unit (at least ``min_cases`` cases) and at
  least ``min_assessed`` of them are assessed.
* **Stage 3** — at least ``min_goals`` written unit goals name activisms, and a share of at
  least ``target_share`` of the cases have a target (an assessment: every assessment records
  one). Plans arrive with the repertoire; until then the plan criterion is *not measurable*.
* **Stage 4** — assessments cover at least ``min_domains`` ladders (domains), and a share of at
  least ``renewed_share`` of the cases were assessed within ``renewal_months`` months.
* **Stage 5** — the stage-4 conditions have held for two years; lessons are recorded (*not
  measurable* until the repertoire issue) and the top levels are in use (some case's latest
  current or target level is ``top_level`` or higher).

"Held for two years" is checked with a documented proxy: the stage-4 criteria are evaluated
again *as of* each date ``sustained_months`` before today (by default 12 and 24 months ago),
using only the cases that existed and the assessments dated up to that day. They must hold at
every one of those dates, as well as today.

Criteria that are not measurable are shown but count neither as met nor as unmet. Stages are
cumulative: a unit is at stage *n* when every measurable criterion of stages 2 … *n* is met.
Only assessments from ``perspectives`` count (by default the administration's own: officials
and workshops).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portaat.ladders.models import LEVELS

DEFAULT_RULES: dict[str, Any] = {
    "min_cases": 1,
    "min_assessed": 1,
    "min_goals": 1,
    "target_share": 0.5,
    "min_domains": 2,
    "renewed_share": 0.5,
    "renewal_months": 12,
    "sustained_months": (12, 24),
    "top_level": 7,
    "perspectives": ("official", "workshop"),
}

MET = "met"
UNMET = "unmet"
NOT_MEASURABLE = "not_measurable"


def rules_from(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The defaults with ``overrides`` applied, checked; raises ``ImproperlyConfigured``."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(DEFAULT_RULES))
    if unknown:
        raise ImproperlyConfigured(
            f"PORTAAT_MATURITY_RULES has unknown keys {unknown}; known: {sorted(DEFAULT_RULES)}"
        )
    rules = {**DEFAULT_RULES, **overrides}
    for key in ("min_cases", "min_assessed", "min_goals", "min_domains", "renewal_months"):
        value = rules[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ImproperlyConfigured(f"PORTAAT_MATURITY_RULES[{key!r}] must be an integer ≥ 0")
    for key in ("target_share", "renewed_share"):
        value = rules[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ImproperlyConfigured(
                f"PORTAAT_MATURITY_RULES[{key!r}] must be a number from 0 to 1"
            )
    top = rules["top_level"]
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= LEVELS:
        raise ImproperlyConfigured(f"PORTAAT_MATURITY_RULES['top_level'] must be 1…{LEVELS}")
    months = rules["sustained_months"]
    if not isinstance(months, list | tuple) or not all(
        isinstance(m, int) and not isinstance(m, bool) and m > 0 for m in months
    ):
        raise ImproperlyConfigured(
            "PORTAAT_MATURITY_RULES['sustained_months'] must be a list of positive integers"
        )
    rules["sustained_months"] = tuple(sorted(set(months)))
    perspectives = rules["perspectives"]
    if isinstance(perspectives, str) or not isinstance(perspectives, list | tuple | set):
        raise ImproperlyConfigured("PORTAAT_MATURITY_RULES['perspectives'] must be a list")
    rules["perspectives"] = tuple(perspectives)
    return rules


def configured_rules() -> dict[str, Any]:
    """The rules in force: ``settings.PORTAAT_MATURITY_RULES`` over the defaults."""
    from django.conf import settings

    return rules_from(getattr(settings, "PORTAAT_MATURITY_RULES", None))


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def reference_dates(today: dt.date, rules: Mapping[str, Any]) -> list[dt.date]:
    """The dates the engine looks at: today and each ``sustained_months`` back."""
    return [today] + [months_before(today, m) for m in rules["sustained_months"]]


# --- input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRecord:
    """One case, as the engine needs it.

    ``assessment_dates`` are the dates of its counted assessments. The loader may pass only the
    latest date up to each of ``reference_dates()`` plus the first date: for those dates the
    answers are the same as with every date.
    """

    ladder: int | str
    opened_on: dt.date
    assessment_dates: tuple[dt.date, ...] = ()
    latest_current: int | None = None
    latest_target: int | None = None
    unit: int | None = None

    def __post_init__(self) -> None:
        # sorted once, so the lookups below are binary searches (a city has many cases)
        object.__setattr__(self, "assessment_dates", tuple(sorted(self.assessment_dates)))

    def exists_on(self, day: dt.date) -> bool:
        dates = self.assessment_dates
        return self.opened_on <= day or bool(dates and dates[0] <= day)

    def last_assessed(self, day: dt.date) -> dt.date | None:
        index = bisect.bisect_right(self.assessment_dates, day)
        return self.assessment_dates[index - 1] if index else None


@dataclass(frozen=True)
class GoalRecord:
    set_on: dt.date
    activisms: frozenset[int] = frozenset()
    unit: int | None = None


# --- output ----------------------------------------------------------------------------------


@dataclass
class Criterion:
    """One criterion: its status, what it asks in plain words, the numbers, and the advice."""

    key: str
    status: str
    requirement: str
    numbers: str
    advice: str = ""

    @property
    def met(self) -> bool:
        return self.status == MET

    @property
    def unmet(self) -> bool:
        return self.status == UNMET

    @property
    def measurable(self) -> bool:
        return self.status != NOT_MEASURABLE


@dataclass
class StageResult:
    number: int
    criteria: list[Criterion]
    reached: bool = False

    @property
    def holds(self) -> bool:
        """Every measurable criterion of this stage is met (earlier stages aside)."""
        return all(c.met for c in self.criteria if c.measurable)


@dataclass
class Estimate:
    stage: int
    stages: list[StageResult]
    rules: dict[str, Any]
    today: dt.date
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def next_stage(self) -> StageResult | None:
        return next((s for s in self.stages if s.number == self.stage + 1), None)

    @property
    def lift(self) -> list[Criterion]:
        """The unmet criteria of the next stage: what would lift the unit one stage."""
        nxt = self.next_stage
        return [c for c in nxt.criteria if c.unmet] if nxt else []


# --- the engine ------------------------------------------------------------------------------


def percent(share: float) -> str:
    return _("%(value)d %%") % {"value": round(share * 100)}


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _needed(share: float, whole: int) -> int:
    """The smallest count that reaches ``share`` of ``whole`` (at least one when whole > 0)."""
    if whole == 0:
        return 1
    return max(1 if share > 0 else 0, math.ceil(share * whole - 1e-9))


@dataclass(frozen=True)
class _Snapshot:
    """What the data says as of one day."""

    day: dt.date
    cases: int
    assessed: int
    renewed: int
    domains: int


def _snapshot(cases: Sequence[CaseRecord], day: dt.date, renewal_months: int) -> _Snapshot:
    window_start = months_before(day, renewal_months)
    existing = [c for c in cases if c.exists_on(day)]
    assessed = renewed = 0
    domains: set[int | str] = set()
    for case in existing:
        last = case.last_assessed(day)
        if last is None:
            continue
        assessed += 1
        domains.add(case.ladder)
        if last >= window_start:
            renewed += 1
    return _Snapshot(day, len(existing), assessed, renewed, len(domains))


def _stage4_holds(snap: _Snapshot, rules: Mapping[str, Any]) -> bool:
    return snap.domains >= rules["min_domains"] and (
        snap.cases > 0 and _share(snap.renewed, snap.cases) >= rules["renewed_share"]
    )


def _status(ok: bool) -> str:
    return MET if ok else UNMET


def _stage2(now: _Snapshot, rules: Mapping[str, Any]) -> list[Criterion]:
    need_cases, need_assessed = rules["min_cases"], rules["min_assessed"]
    return [
        Criterion(
            "cases",
            _status(now.cases >= need_cases and now.cases > 0),
            _("Activisms are registered for the unit as cases."),
            ngettext(
                "%(count)d case registered (needs %(needed)d).",
                "%(count)d cases registered (needs %(needed)d).",
                now.cases,
            )
            % {"count": now.cases, "needed": max(need_cases, 1)},
            _("Register the activisms the unit works with, each as a case on a ladder."),
        ),
        Criterion(
            "assessed",
            _status(now.assessed >= need_assessed and now.assessed > 0),
            _("At least some cases are assessed."),
            ngettext(
                "%(count)d of %(total)d case assessed (needs %(needed)d).",
                "%(count)d of %(total)d cases assessed (needs %(needed)d).",
                now.cases,
            )
            % {"count": now.assessed, "total": now.cases, "needed": max(need_assessed, 1)},
            ngettext(
                "Assess %(more)d more case: record its current and target level.",
                "Assess %(more)d more cases: record their current and target levels.",
                max(max(need_assessed, 1) - now.assessed, 1),
            )
            % {"more": max(max(need_assessed, 1) - now.assessed, 1)},
        ),
    ]


def _stage3(
    now: _Snapshot, goals: Sequence[GoalRecord], rules: Mapping[str, Any]
) -> list[Criterion]:
    naming = [g for g in goals if g.activisms]
    named = len({activism for goal in naming for activism in goal.activisms})
    need_goals = max(rules["min_goals"], 1)
    share = _share(now.assessed, now.cases)
    need_targets = _needed(rules["target_share"], now.cases)
    more_targets = max(need_targets - now.assessed, 1)
    return [
        Criterion(
            "goals",
            _status(len(naming) >= need_goals),
            _("The unit has written goals that name activisms."),
            ngettext(
                "%(count)d goal names activisms (%(named)d activisms named; needs %(needed)d).",
                "%(count)d goals name activisms (%(named)d activisms named; needs %(needed)d).",
                len(naming),
            )
            % {"count": len(naming), "named": named, "needed": need_goals},
            _("Write a goal for the unit that names the activisms it means to work with."),
        ),
        Criterion(
            "targets",
            _status(now.cases > 0 and share >= rules["target_share"]),
            _("Most cases have a target level."),
            ngettext(
                "%(count)d of %(total)d case has a target (%(share)s, needs %(needed)s).",
                "%(count)d of %(total)d cases have a target (%(share)s, needs %(needed)s).",
                now.cases,
            )
            % {
                "count": now.assessed,
                "total": now.cases,
                "share": percent(share),
                "needed": percent(rules["target_share"]),
            },
            ngettext(
                "Agree a target level for %(more)d more case.",
                "Agree target levels for %(more)d more cases.",
                more_targets,
            )
            % {"more": more_targets},
        ),
        Criterion(
            "plans",
            NOT_MEASURABLE,
            _("The cases have plans from the current level to the target."),
            _("Not yet measurable: plans arrive with the repertoire of practices."),
        ),
    ]


def _stage4(now: _Snapshot, rules: Mapping[str, Any]) -> list[Criterion]:
    need_domains = rules["min_domains"]
    months = rules["renewal_months"]
    share = _share(now.renewed, now.cases)
    more = max(_needed(rules["renewed_share"], now.cases) - now.renewed, 1)
    return [
        Criterion(
            "domains",
            _status(now.domains >= need_domains),
            _("Assessments cover several domains (ladders)."),
            ngettext(
                "Assessments cover %(count)d domain (needs %(needed)d).",
                "Assessments cover %(count)d domains (needs %(needed)d).",
                now.domains,
            )
            % {"count": now.domains, "needed": need_domains},
            ngettext(
                "Assess cases in %(more)d more domain, on another ladder.",
                "Assess cases in %(more)d more domains, on other ladders.",
                max(need_domains - now.domains, 1),
            )
            % {"more": max(need_domains - now.domains, 1)},
        ),
        Criterion(
            "renewed",
            _status(now.cases > 0 and share >= rules["renewed_share"]),
            ngettext(
                "Most cases were assessed within the last %(months)d month.",
                "Most cases were assessed within the last %(months)d months.",
                months,
            )
            % {"months": months},
            ngettext(
                "%(count)d of %(total)d case assessed within %(months)d months "
                "(%(share)s, needs %(needed)s).",
                "%(count)d of %(total)d cases assessed within %(months)d months "
                "(%(share)s, needs %(needed)s).",
                now.cases,
            )
            % {
                "count": now.renewed,
                "total": now.cases,
                "months": months,
                "share": percent(share),
                "needed": percent(rules["renewed_share"]),
            },
            ngettext(
                "Renew the assessment of %(more)d more case.",
                "Renew the assessments of %(more)d more cases.",
                more,
            )
            % {"more": more},
        ),
    ]


def _stage5(
    past: Sequence[_Snapshot], max_level: int, top_cases: int, rules: Mapping[str, Any]
) -> list[Criterion]:
    months = rules["renewal_months"]
    parts = []
    for snap in past:
        held = _stage4_holds(snap, rules)
        parts.append(
            (_("on %(day)s: held") if held else _("on %(day)s: did not hold"))
            % {"day": date_format(snap.day, "SHORT_DATE_FORMAT")}
            + " "
            + _("(domains: %(domains)d; renewed: %(renewed)d of %(total)d cases, %(share)s)")
            % {
                "domains": snap.domains,
                "renewed": snap.renewed,
                "total": snap.cases,
                "share": percent(_share(snap.renewed, snap.cases)),
            }
        )
    sustained = all(_stage4_holds(snap, rules) for snap in past)
    top = rules["top_level"]
    return [
        Criterion(
            "sustained",
            _status(sustained),
            _(
                "The stage 4 conditions have held for two years: several domains, and most cases "
                "renewed within %(months)d months, also on each date checked in the past."
            )
            % {"months": months},
            "; ".join(parts) + "." if parts else _("No past dates are checked."),
            _("Keep assessing in several domains and renewing most assessments every year."),
        ),
        Criterion(
            "lessons",
            NOT_MEASURABLE,
            _("Lessons from experiments are recorded."),
            _("Not yet measurable: lessons arrive with the repertoire of practices."),
        ),
        Criterion(
            "top_levels",
            _status(max_level >= top),
            _("The top levels of the stairs are in use (level %(level)d or higher).")
            % {"level": top},
            ngettext(
                "%(count)d case is at or aims at level %(level)d or higher "
                "(highest level in use: %(max)s).",
                "%(count)d cases are at or aim at level %(level)d or higher "
                "(highest level in use: %(max)s).",
                top_cases,
            )
            % {"count": top_cases, "level": top, "max": max_level or "–"},
            _(
                "Where it fits the case, aim higher: a target at level %(level)d or above, "
                "such as coordination with decision-making or integration."
            )
            % {"level": top},
        ),
    ]


def estimate(
    cases: Iterable[CaseRecord],
    goals: Iterable[GoalRecord] = (),
    *,
    today: dt.date,
    rules: Mapping[str, Any] | None = None,
) -> Estimate:
    """Estimate the stage (1–5) from the records; every criterion comes with its numbers."""
    rules = rules_from(None) if rules is None else dict(rules)
    cases = list(cases)
    goals = [g for g in goals if g.set_on <= today]
    dates = reference_dates(today, rules)
    now = _snapshot(cases, today, rules["renewal_months"])
    past = [_snapshot(cases, day, rules["renewal_months"]) for day in dates[1:]]
    top = rules["top_level"]
    levels = [
        max(c.latest_current or 0, c.latest_target or 0)
        for c in cases
        if c.last_assessed(today) is not None
    ]
    max_level = max(levels, default=0)
    top_cases = sum(1 for level in levels if level >= top)

    stages = [
        StageResult(2, _stage2(now, rules)),
        StageResult(3, _stage3(now, goals, rules)),
        StageResult(4, _stage4(now, rules)),
        StageResult(5, _stage5(past, max_level, top_cases, rules)),
    ]
    stage = 1
    for result in stages:
        if stage == result.number - 1 and result.holds:
            stage = result.number
            result.reached = True
    return Estimate(
        stage=stage,
        stages=stages,
        rules=rules,
        today=today,
        facts={
            "cases": now.cases,
            "assessed": now.assessed,
            "renewed": now.renewed,
            "domains": now.domains,
            "goals": sum(1 for g in goals if g.activisms),
            "max_level": max_level,
        },
    )
