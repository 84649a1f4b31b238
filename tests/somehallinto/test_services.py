"""Domain rules: self-assessments with history, the unit's aggregate, guidance."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portaat.somehallinto import services
from portaat.somehallinto.models import Guidance, SelfAssessment
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_shipped_guidance_covers_every_level_in_three_languages(guidance):
    assert guidance == 8
    for item in Guidance.objects.all():
        for language in ("fi", "sv", "en"):
            assert getattr(item, f"title_{language}").strip()
            assert len(getattr(item, f"body_{language}")) > 200
    # the guidance the issue names: following groups, taking part, records, crisis help
    bodies = " ".join(Guidance.objects.values_list("body_en", flat=True))
    for topic in ("Follow public groups", "official document", "Archives Act", "crisis"):
        assert topic in bodies
    assert services.load_guidance() == 0  # a second load keeps what is there (edits survive)


def test_an_assessment_is_kept_as_history(official):
    services.assess_self(official, current=2, target=4)
    services.assess_self(official, current=3, target=5, note="Liityin ryhmään")
    levels = [(a.current_level, a.target_level) for a in services.history_of(official)]
    assert levels == [(3, 5), (2, 4)]


@pytest.mark.parametrize(("current", "target"), [(0, 4), (3, 9), (-1, 2)])
def test_a_level_outside_the_stairs_is_refused(official, current, target):
    with pytest.raises(ValidationError):
        services.assess_self(official, current=current, target=target)
    assert not SelfAssessment.objects.exists()


def test_the_unit_aggregates_the_latest_assessment_of_each_member(builtin, city):
    planning = city["unit"]
    first, second, outsider = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(unit=planning, user=first, role="official")
    MembershipFactory(unit=planning, user=second, role="official")
    MembershipFactory(unit=planning, user=UserFactory(), role="official")  # never assessed
    services.assess_self(first, current=1, target=3)
    services.assess_self(first, current=2, target=4)  # the latest counts
    services.assess_self(second, current=4, target=6)
    services.assess_self(outsider, current=8, target=8)  # not a member
    found = services.aggregate(planning)
    assert (found.officials, found.members) == (2, 3)
    assert found.median_current == 3 and found.median_target == 5
    assert dict((level, now) for level, now, _aims in found.distribution)[2] == 1
    assert dict((level, aims) for level, _now, aims in found.distribution)[6] == 1
    # the division above sees its unit's officials too
    assert services.aggregate(city["division"]).officials == 2


def test_unit_level_gives_the_report_the_units_own_and_its_officials(builtin, city, coordinator):
    planning = city["unit"]
    member = UserFactory()
    MembershipFactory(unit=planning, user=member, role="official")
    services.assess_self(member, current=3, target=5)
    services.assess_unit(planning, current=2, target=4, note="", by=coordinator)
    level = services.unit_level(planning)
    assert (level["own"].current_level, level["own"].target_level) == (2, 4)
    assert level["officials"] == 1 and level["median_current"] == 3
    assert set(level["titles"]) == set(range(1, 9))


def test_guidance_needs_finnish_and_swedish(guidance, coordinator):
    item = Guidance.objects.get(level=4)
    before = item.body_fi
    with pytest.raises(ValidationError):
        services.edit_guidance(
            item,
            texts={"title": {"fi": "T", "sv": ""}, "body": {"fi": "B", "sv": "B"}},
            by=coordinator,
        )
    item.refresh_from_db()
    assert item.body_fi == before
