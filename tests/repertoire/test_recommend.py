"""The recommendation rules on crafted records (pure functions, no database)."""

from __future__ import annotations

from portaat.repertoire.recommend import CaseFacts, Trial, next_levels, recommend, similarity

REKO, PLANNING = 1, 2  # kinds
REKO_LADDER, CITY_LADDER = 10, 20
KALLIO, VALLILA, TAPIOLA = 100, 101, 200
HELSINKI, ESPOO = 1000, 2000


def case(
    case_id,
    *,
    ladder=REKO_LADDER,
    kind=REKO,
    areas=(KALLIO,),
    parents=(HELSINKI,),
    current=3,
    target=5,
):
    return CaseFacts(case_id, ladder, kind, frozenset(areas), frozenset(parents), current, target)


HERE = case(1)


def trial(practice, other, outcome="worked", before=3, after=5):
    return Trial(practice, other, outcome, before, after)


def test_a_practice_that_worked_in_similar_cases_is_recommended_with_its_numbers():
    trials = [
        trial(7, case(2)),
        trial(7, case(3, areas=(VALLILA,))),
        trial(7, case(4, current=4)),
        trial(7, case(5), outcome="failed", after=3),
    ]
    [rec] = recommend(HERE, trials)
    assert rec.practice_id == 7
    assert (rec.tried, rec.worked) == (4, 3.0)
    assert sorted(rec.similar_cases) == [2, 3, 4, 5]
    assert rec.moves.count((3, 5)) == 3


def test_a_practice_already_tried_or_planned_here_is_not_recommended():
    trials = [trial(7, case(2)), trial(8, case(3))]
    recs = recommend(HERE, trials, tried_here={7})
    assert [r.practice_id for r in recs] == [8]


def test_trials_in_the_case_itself_do_not_count():
    assert recommend(HERE, [trial(7, HERE)]) == []


def test_dissimilar_cases_do_not_count():
    far = case(9, ladder=CITY_LADDER, kind=PLANNING, areas=(TAPIOLA,), parents=(ESPOO,), current=7)
    assert similarity(HERE, far) == 0
    assert recommend(HERE, [trial(7, far)]) == []


def test_the_same_ladder_alone_is_not_enough():
    # same ladder, but other kind, far level and far area: one sign only
    other = case(9, kind=PLANNING, areas=(TAPIOLA,), parents=(ESPOO,), current=7)
    assert similarity(HERE, other) == 0


def test_practices_that_mostly_failed_are_not_recommended():
    trials = [
        trial(7, case(2), outcome="failed"),
        trial(7, case(3), outcome="partly"),
        trial(7, case(4), outcome="failed"),
    ]
    assert recommend(HERE, trials) == []


def test_more_evidence_ranks_higher_than_one_lucky_trial():
    trials = [trial(7, case(2))] + [trial(8, case(n)) for n in range(3, 7)]
    assert [r.practice_id for r in recommend(HERE, trials)] == [8, 7]


def test_candidate_levels_limit_the_practices():
    trials = [trial(7, case(2)), trial(8, case(3))]
    recs = recommend(HERE, trials, candidate_levels=[4, 5], practice_levels={7: (4, 4), 8: (7, 8)})
    assert [r.practice_id for r in recs] == [7]


def test_next_levels_go_one_step_at_a_time():
    assert next_levels(3, 5) == [4, 5]
    assert next_levels(3, 8) == [4, 5]
    assert next_levels(6, 4) == [5, 4]  # a lower target is a direction too
    assert next_levels(5, 5) == [5]
    assert next_levels(None, None) == [1, 2]
