"""The maturity engine alone: plain records in, stage and explained criteria out (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import translation

from portaat.cases.maturity import (
    DEFAULT_RULES,
    MET,
    NOT_MEASURABLE,
    UNMET,
    CaseRecord,
    Estimate,
    GoalRecord,
    configured_rules,
    estimate,
    months_before,
    reference_dates,
    rules_from,
)

TODAY = dt.date(2026, 11, 27)
LONG_AGO = dt.date(2020, 1, 1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def case(
    ladder: int = 1,
    *dates: dt.date,
    current: int | None = None,
    target: int | None = None,
    opened: dt.date = LONG_AGO,
) -> CaseRecord:
    if dates and current is None:
        current, target = 2, 5
    return CaseRecord(
        ladder=ladder,
        opened_on=opened,
        assessment_dates=tuple(dates),
        latest_current=current,
        latest_target=target,
    )


def goal(*activisms: int, day: dt.date = TODAY) -> GoalRecord:
    return GoalRecord(set_on=day, activisms=frozenset(activisms))


def criterion(result: Estimate, stage: int, key: str):
    found = [c for s in result.stages if s.number == stage for c in s.criteria if c.key == key]
    assert len(found) == 1, (stage, key)
    return found[0]


RECENT = months_before(TODAY, 2)


def sustained_cases() -> list[CaseRecord]:
    """Two domains, every case renewed yearly for three years: stage-4 data now and back then."""
    yearly = (
        RECENT,
        months_before(TODAY, 13),
        months_before(TODAY, 25),
        months_before(TODAY, 30),
    )
    return [case(1, *yearly), case(2, *yearly, current=3, target=7)]


# --- stage 1 and 2 ------------------------------------------------------------------------------


def test_no_cases_is_stage_one_and_says_what_lifts_it():
    result = estimate([], [], today=TODAY)
    assert result.stage == 1
    assert criterion(result, 2, "cases").status == UNMET
    assert criterion(result, 2, "cases").numbers == "0 cases registered (needs 1)."
    assert [c.key for c in result.lift] == ["cases", "assessed"]
    assert "Register the activisms" in result.lift[0].advice


def test_cases_without_assessments_stay_at_stage_one():
    result = estimate([case(1), case(2)], today=TODAY)
    assert result.stage == 1
    assert criterion(result, 2, "cases").status == MET
    assessed = criterion(result, 2, "assessed")
    assert assessed.status == UNMET
    assert assessed.numbers == "0 of 2 cases assessed (needs 1)."
    assert [c.key for c in result.lift] == ["assessed"]


def test_one_assessed_case_reaches_stage_two():
    result = estimate([case(1, RECENT), case(1)], today=TODAY)
    assert result.stage == 2
    assert criterion(result, 2, "assessed").numbers == "1 of 2 cases assessed (needs 1)."
    assert result.stages[0].reached


# --- stage 3 --------------------------------------------------------------------------------------


def test_stage_three_needs_a_goal_that_names_activisms():
    cases = [case(1, RECENT), case(1, RECENT)]
    without = estimate(cases, [GoalRecord(set_on=TODAY)], today=TODAY)
    assert without.stage == 2
    goals = criterion(without, 3, "goals")
    assert goals.status == UNMET
    assert goals.numbers == "0 goals name activisms (0 activisms named; needs 1)."
    assert [c.key for c in without.lift] == ["goals"]

    named = estimate(cases, [goal(10, 11), goal(11)], today=TODAY)
    assert named.stage == 3
    assert criterion(named, 3, "goals").numbers == (
        "2 goals name activisms (2 activisms named; needs 1)."
    )


def test_a_goal_dated_in_the_future_does_not_count():
    result = estimate([case(1, RECENT)], [goal(1, day=TODAY + dt.timedelta(days=1))], today=TODAY)
    assert criterion(result, 3, "goals").status == UNMET


@pytest.mark.parametrize(
    ("assessed", "total", "status", "text"),
    [
        (1, 2, MET, "1 of 2 cases have a target (50 %, needs 50 %)."),
        (2, 5, UNMET, "2 of 5 cases have a target (40 %, needs 50 %)."),
        (3, 5, MET, "3 of 5 cases have a target (60 %, needs 50 %)."),
    ],
)
def test_targets_share_boundary(assessed, total, status, text):
    cases = [case(1, RECENT) for _ in range(assessed)] + [case(1)] * (total - assessed)
    targets = criterion(estimate(cases, [goal(1)], today=TODAY), 3, "targets")
    assert targets.status == status
    assert targets.numbers == text


def test_advice_counts_how_many_more_targets_are_needed():
    cases = [case(1, RECENT)] + [case(1)] * 4
    result = estimate(cases, [goal(1)], today=TODAY)
    assert result.stage == 2
    assert [c.key for c in result.lift] == ["targets"]
    assert result.lift[0].advice == "Agree target levels for 2 more cases."


def test_plans_are_not_measurable_and_do_not_block():
    result = estimate([case(1, RECENT)], [goal(1)], today=TODAY)
    plans = criterion(result, 3, "plans")
    assert plans.status == NOT_MEASURABLE
    assert "repertoire" in plans.numbers
    assert result.stage == 3
    assert plans not in result.lift


# --- stage 4 --------------------------------------------------------------------------------------


def test_stage_four_needs_two_domains():
    one = estimate([case(1, RECENT), case(1, RECENT)], [goal(1)], today=TODAY)
    assert one.stage == 3
    assert criterion(one, 4, "domains").numbers == "Assessments cover 1 domain (needs 2)."
    assert [c.key for c in one.lift] == ["domains"]

    two = estimate([case(1, RECENT), case(2, RECENT)], [goal(1)], today=TODAY)
    assert two.stage == 4
    assert criterion(two, 4, "domains").status == MET


def test_a_domain_counts_only_when_its_cases_are_assessed():
    result = estimate([case(1, RECENT), case(2)], [goal(1)], today=TODAY)
    assert criterion(result, 4, "domains").status == UNMET


def test_renewal_within_twelve_months_boundary():
    exactly = months_before(TODAY, 12)
    just_over = exactly - dt.timedelta(days=1)
    cases = [case(1, exactly), case(2, just_over)]
    renewed = criterion(estimate(cases, [goal(1)], today=TODAY), 4, "renewed")
    assert renewed.status == MET  # 1 of 2 = 50 %, and the day exactly 12 months ago counts
    assert renewed.numbers == "1 of 2 cases assessed within 12 months (50 %, needs 50 %)."

    cases = [case(1, just_over), case(2, just_over), case(1, RECENT)]
    renewed = criterion(estimate(cases, [goal(1)], today=TODAY), 4, "renewed")
    assert renewed.status == UNMET
    assert renewed.numbers == "1 of 3 cases assessed within 12 months (33 %, needs 50 %)."
    assert renewed.advice == "Renew the assessment of 1 more case."


def test_renewal_uses_the_latest_assessment():
    old_and_new = case(1, months_before(TODAY, 30), RECENT)
    result = estimate([old_and_new, case(2, RECENT)], [goal(1)], today=TODAY)
    assert criterion(result, 4, "renewed").status == MET


def test_stages_are_cumulative():
    """Stage-4 data without a goal stays at stage 2: stage 3 is not met."""
    result = estimate([case(1, RECENT), case(2, RECENT)], [], today=TODAY)
    assert criterion(result, 4, "domains").status == MET
    assert criterion(result, 4, "renewed").status == MET
    assert result.stage == 2
    assert [c.key for c in result.lift] == ["goals"]


# --- stage 5 --------------------------------------------------------------------------------------


def test_stage_five_when_sustained_for_two_years_with_top_levels():
    result = estimate(sustained_cases(), [goal(1)], today=TODAY)
    assert result.stage == 5
    sustained = criterion(result, 5, "sustained")
    assert sustained.status == MET
    assert sustained.numbers.count("held") == 2
    assert "renewed: 2 of 2 cases" in sustained.numbers
    assert criterion(result, 5, "lessons").status == NOT_MEASURABLE
    top = criterion(result, 5, "top_levels")
    assert top.status == MET
    assert top.numbers == "1 case is at or aims at level 7 or higher (highest level in use: 7)."
    assert result.next_stage is None
    assert result.lift == []


def test_stage_five_needs_top_levels():
    cases = [case(c.ladder, *c.assessment_dates) for c in sustained_cases()]
    result = estimate(cases, [goal(1)], today=TODAY)
    assert result.stage == 4
    assert [c.key for c in result.lift] == ["top_levels"]
    assert criterion(result, 5, "top_levels").numbers == (
        "0 cases are at or aim at level 7 or higher (highest level in use: 5)."
    )


def test_recent_activity_alone_is_not_sustained():
    """A unit that started assessing this year has no stage-4 history a year or two ago."""
    cases = [case(1, RECENT, current=7, target=8), case(2, RECENT)]
    result = estimate(cases, [goal(1)], today=TODAY)
    assert result.stage == 4
    sustained = criterion(result, 5, "sustained")
    assert sustained.status == UNMET
    assert sustained.numbers.count("did not hold") == 2


def test_a_gap_year_breaks_the_two_years():
    """Assessed now and 25 months ago, but nothing within the year before 12 months ago."""
    dates = (RECENT, months_before(TODAY, 25))
    cases = [case(1, *dates, current=7, target=8), case(2, *dates)]
    result = estimate(cases, [goal(1)], today=TODAY)
    sustained = criterion(result, 5, "sustained")
    assert sustained.status == UNMET
    first, second = sustained.numbers.split("; on ")
    assert "did not hold" in first  # 12 months ago: latest was 25 months old then
    assert "held" in second and "did not hold" not in second


def test_cases_opened_later_do_not_count_in_the_past():
    recent_case = case(3, opened=RECENT)
    result = estimate([*sustained_cases(), recent_case], [goal(1)], today=TODAY)
    assert "renewed: 2 of 2 cases" in criterion(result, 5, "sustained").numbers


def test_levels_count_only_for_assessed_cases():
    result = estimate([case(1, current=7, target=8)], today=TODAY)
    assert criterion(result, 5, "top_levels").status == UNMET


# --- rules ----------------------------------------------------------------------------------------


def test_rules_override_thresholds():
    cases = [case(1, RECENT), case(1), case(1)]
    default = estimate(cases, [goal(1)], today=TODAY)
    assert criterion(default, 3, "targets").status == UNMET
    lenient = estimate(cases, [goal(1)], today=TODAY, rules=rules_from({"target_share": 0.3}))
    targets = criterion(lenient, 3, "targets")
    assert targets.status == MET
    assert targets.numbers == "1 of 3 cases have a target (33 %, needs 30 %)."


def test_rules_override_top_level_and_domains():
    cases = [case(1, RECENT, current=3, target=6)]
    rules = rules_from({"min_domains": 1, "top_level": 6, "sustained_months": [1]})
    result = estimate(cases, [goal(1)], today=TODAY, rules=rules)
    assert criterion(result, 4, "domains").status == MET
    assert criterion(result, 5, "top_levels").status == MET


def test_perspectives_rule_is_exposed_to_the_loader():
    assert rules_from({"perspectives": ["official"]})["perspectives"] == ("official",)
    assert DEFAULT_RULES["perspectives"] == ("official", "workshop")


@override_settings(PORTAAT_MATURITY_RULES={"renewed_share": 0.75, "renewal_months": 6})
def test_settings_override_the_defaults():
    rules = configured_rules()
    assert rules["renewed_share"] == 0.75
    assert rules["renewal_months"] == 6
    assert rules["target_share"] == DEFAULT_RULES["target_share"]
    result = estimate([case(1, RECENT), case(2, RECENT)], [goal(1)], today=TODAY, rules=rules)
    renewed = criterion(result, 4, "renewed")
    assert renewed.requirement == "Most cases were assessed within the last 6 months."
    assert "needs 75 %" in renewed.numbers


def test_no_setting_means_the_defaults(settings):
    if hasattr(settings, "PORTAAT_MATURITY_RULES"):
        del settings.PORTAAT_MATURITY_RULES
    assert configured_rules() == rules_from({})


@pytest.mark.parametrize(
    "overrides",
    [
        {"no_such_rule": 1},
        {"target_share": 1.5},
        {"target_share": "half"},
        {"min_domains": -1},
        {"top_level": 9},
        {"sustained_months": [0]},
        {"perspectives": "official"},
    ],
)
def test_bad_rules_fail_loudly(overrides):
    with pytest.raises(ImproperlyConfigured):
        rules_from(overrides)


def test_months_before_clamps_to_the_end_of_the_month():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)
    assert months_before(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    assert reference_dates(TODAY, DEFAULT_RULES) == [
        TODAY,
        dt.date(2025, 11, 27),
        dt.date(2024, 11, 27),
    ]


def test_texts_are_translatable():
    with translation.override("fi"):
        result = estimate([], today=TODAY)
    # the texts are built with gettext, in the language active when the estimate is made
    assert result.stages[0].criteria[0].requirement
