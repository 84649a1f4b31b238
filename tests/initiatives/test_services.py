"""Suggesting opportunities for an initiative, proposing them and following how they went."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portaat.initiatives import services
from portaat.initiatives.models import Match, MatchStatus
from portaat.models import Notification
from tests.initiatives.conftest import make_initiative, make_opportunity

pytestmark = pytest.mark.django_db


def titles(found):
    return [suggestion.opportunity.title for suggestion in found]


def test_suggestions_rank_by_domain_area_amount_and_deadline(initiative, catalogue):
    found = services.suggestions(initiative)
    # specific fits first; those that cannot fit (past, other domain, other city, too big,
    # hidden) are not suggested at all
    assert titles(found) == ["Lähiruoka-avustus", "Pienavustus", "Joukkorahoitusalusta"]
    best = found[0]
    codes = [reason.code for reason in best.reasons]
    assert codes == ["deadline", "domain", "area", "amount"]
    assert not best.soon
    small = found[1]
    assert small.soon  # deadline in 5 days
    assert "part_amount" in [reason.code for reason in small.reasons]


def test_reasons_are_in_the_readers_language(initiative, catalogue):
    with translation.override("en"):
        texts = [reason.text for reason in services.suggestions(initiative)[0].reasons]
    assert "Covers the area: Helsinki." in texts
    assert "The amount needed fits." in texts


def test_an_area_fits_through_the_gazetteer_hierarchy_only_downwards(reko_case, places, builtin):
    # an opportunity for Kallio does not fit an initiative for all of Helsinki … but the
    # Helsinki-wide one fits an initiative in Kallio (tested above)
    city_wide = make_initiative(reko_case.activism, domains=["reko"], areas=[places["helsinki"]])
    make_opportunity(title="Kallion avustus", areas=[places["kallio"]])
    assert titles(services.suggestions(city_wide)) == []


def test_an_initiative_without_domains_areas_or_amount_fits_everything_open(
    reko_case, places, catalogue
):
    loose = make_initiative(reko_case.activism, domains=[], areas=[], amount_sought=None)
    assert set(titles(services.suggestions(loose))) == {
        "Lähiruoka-avustus",
        "Pienavustus",
        "Joukkorahoitusalusta",
        "Kaavoitusavustus",
        "Espoon avustus",
        "Suuravustus",
    }


def test_proposed_opportunities_are_no_longer_suggested(initiative, catalogue, official):
    services.propose(initiative, catalogue["reko_grant"], by=official)
    assert "Lähiruoka-avustus" not in titles(services.suggestions(initiative))


def test_proposing_notifies_the_activisms_people_once(initiative, catalogue, official, activist):
    match = services.propose(initiative, catalogue["reko_grant"], by=official, note="Hakekaa!")
    assert match.reasons == ["deadline", "domain", "area", "amount"]
    notification = Notification.objects.get(user=activist)
    assert notification.kind == "initiative_match"
    assert notification.url == initiative.get_absolute_url()
    with pytest.raises(ValidationError):
        services.propose(initiative, catalogue["reko_grant"], by=official)
    assert Match.objects.count() == 1
    assert Notification.objects.filter(user=activist).count() == 1


@pytest.mark.parametrize("name", ["expired", "hidden"])
def test_a_closed_opportunity_cannot_be_proposed(initiative, catalogue, official, name):
    with pytest.raises(ValidationError):
        services.propose(initiative, catalogue[name], by=official)
    assert not Match.objects.exists()


def test_the_initiative_follows_its_proposals(initiative, catalogue, official, activist):
    match = services.propose(initiative, catalogue["reko_grant"], by=official)
    services.set_match_status(match, MatchStatus.APPLYING, by=activist)
    initiative.refresh_from_db()
    assert initiative.status == "under_way"
    other = services.propose(initiative, catalogue["crowdfunding"], by=official)
    services.set_match_status(other, MatchStatus.GRANTED, by=activist)
    services.set_match_status(match, MatchStatus.DECLINED, by=activist)
    initiative.refresh_from_db()
    assert initiative.status == "realised"  # a later "not granted" elsewhere does not undo it
    match.refresh_from_db()
    assert [entry["status"] for entry in match.history] == ["proposed", "applying", "declined"]
    assert match.history[-1]["by"] == activist.pk


def test_an_unknown_status_is_refused(initiative, catalogue, official):
    match = services.propose(initiative, catalogue["reko_grant"], by=official)
    with pytest.raises(ValidationError):
        services.set_match_status(match, "won", by=official)
    match.refresh_from_db()
    assert match.status == "proposed"


def test_the_public_catalogue_holds_only_open_entries(catalogue):
    assert "Vanha avustus" not in {o.title for o in services.open_opportunities()}
    assert "Piilotettu tila" not in {o.title for o in services.open_opportunities()}
