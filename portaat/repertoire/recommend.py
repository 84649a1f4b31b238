"""Spread and scale: which practices worked in cases like this one, and why.

Pure functions over small records (no database access), so the rules are easy to test on
crafted data and to explain: every recommendation carries the numbers behind it.

Similarity of two cases (the same rules the issue names): the same ladder, a similar level
(current levels at most one apart), the same kind of activism, and nearby areas (a shared area,
or areas with the same parent). A case counts as similar when it shares the ladder or the kind
and at least one of the other signs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

OUTCOME_WEIGHT = {"worked": 1.0, "partly": 0.5, "failed": 0.0}


@dataclass(frozen=True)
class CaseFacts:
    case_id: int
    ladder_id: int
    kind_id: int
    areas: frozenset[int] = frozenset()
    area_parents: frozenset[int] = frozenset()
    current: int | None = None
    target: int | None = None


@dataclass(frozen=True)
class Trial:
    """A practice tried in a case by a closed experiment, with the case's level at the start."""

    practice_id: int
    case: CaseFacts
    outcome: str
    level_before: int | None
    level_after: int | None = None


@dataclass
class Recommendation:
    practice_id: int
    tried: int
    worked: float
    similar_cases: list[int] = field(default_factory=list)
    moves: list[tuple[int, int]] = field(default_factory=list)  # (before, after) levels

    @property
    def score(self) -> float:
        # Laplace-smoothed success rate, so one lucky trial does not beat four good ones
        return (self.worked + 1) / (self.tried + 2)


def similarity(a: CaseFacts, b: CaseFacts) -> int:
    """0 when not similar; otherwise more shared signs give a higher number."""
    same_ladder = a.ladder_id == b.ladder_id
    same_kind = a.kind_id == b.kind_id
    similar_level = (
        a.current is not None and b.current is not None and abs(a.current - b.current) <= 1
    )
    nearby = bool(a.areas & b.areas) or bool(a.area_parents & b.area_parents)
    signs = sum((same_ladder, same_kind, similar_level, nearby))
    if not (same_ladder or same_kind) or signs < 2:
        return 0
    return signs


def recommend(
    case: CaseFacts,
    trials: Iterable[Trial],
    *,
    tried_here: Iterable[int] = (),
    candidate_levels: Sequence[int] | None = None,
    practice_levels: dict[int, tuple[int, int]] | None = None,
    minimum_rate: float = 0.5,
) -> list[Recommendation]:
    """Practices that worked in similar cases and have not been tried (or planned) here.

    ``candidate_levels`` limits them to practices whose level range meets those levels (e.g. the
    levels between the case's current and target); ``practice_levels`` gives each practice's
    ``(level_from, level_to)`` for that check.
    """
    excluded = set(tried_here)
    wanted = set(candidate_levels) if candidate_levels is not None else None
    found: dict[int, Recommendation] = {}
    for trial in trials:
        if trial.practice_id in excluded or trial.case.case_id == case.case_id:
            continue
        if wanted is not None and practice_levels is not None:
            low, high = practice_levels.get(trial.practice_id, (0, -1))
            if not wanted & set(range(low, high + 1)):
                continue
        if similarity(case, trial.case) == 0:
            continue
        rec = found.setdefault(trial.practice_id, Recommendation(trial.practice_id, 0, 0.0))
        rec.tried += 1
        rec.worked += OUTCOME_WEIGHT.get(trial.outcome, 0.0)
        rec.similar_cases.append(trial.case.case_id)
        if trial.level_before is not None and trial.level_after is not None:
            rec.moves.append((trial.level_before, trial.level_after))
    results = [
        rec for rec in found.values() if rec.worked > 0 and rec.worked / rec.tried >= minimum_rate
    ]
    return sorted(results, key=lambda r: (-r.score, -r.tried, r.practice_id))


def next_levels(current: int | None, target: int | None, *, steps: int = 2) -> list[int]:
    """ "One step at a time": the next one or two levels towards the target (or away, down)."""
    if current is None:
        return list(range(1, 1 + steps))
    if target is None or target == current:
        return [current]
    direction = 1 if target > current else -1
    levels: list[int] = []
    level = current
    while len(levels) < steps and level != target:
        level += direction
        levels.append(level)
    return levels
