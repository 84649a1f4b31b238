"""Place extraction with the gazetteer (portaat/analytics/places.py).

One parametrised case per inflection type, Swedish and English forms, multi-word and
hyphenated names, colloquial names, and every trap class named in issue 7.
"""

from __future__ import annotations

import pytest

from portaat.analytics import gazetteer
from portaat.analytics.places import (
    PlaceMatcher,
    default_matcher,
    extract_places,
    finnish_forms,
    name_forms,
)

FINNISH_INFLECTION = [
    # (text, expected) — inner locatives, genitive, illative with -Vn
    ("Kalliossa ratikka kulkee harvoin.", ["Kallio"]),
    ("Baanaa pitkin Töölöön pyörällä.", ["Etu-Töölö", "Taka-Töölö"]),
    ("Käpylään tulee uusi päiväkoti.", ["Käpylä"]),
    ("Pasilan asemalla on ruuhkaa.", ["Pasila"]),
    ("Muutettiin Espoon puolelle.", ["Espoo"]),
    ("Asuntojen hinnat Helsingissä nousee.", ["Helsinki"]),
    # outer locatives
    ("Junalla Pasilasta Malmille 8 min.", ["Pasila", "Malmi"]),
    ("Malmilla satoi rakeita.", ["Malmi"]),
    ("Vantaalla kadut on jäässä.", ["Vantaa"]),
    # -i with an e-stem (niemi, saari, mäki, lahti, vuori)
    ("Herttoniemen puistossa kaadettiin puita.", ["Herttoniemi"]),
    ("Lauttasaaressa taas uus tornitalohanke.", ["Lauttasaari"]),
    ("Vuosaaresta on pitkä matka keskustaan.", ["Vuosaari"]),
    ("Myyrmäessä jäähalli täynnä.", ["Myyrmäki"]),
    ("Kivenlahdessa avattiin metroasema.", ["Kivenlahti"]),
    ("Punavuoressa on hyviä kahviloita.", ["Punavuori"]),
    # consonant gradation
    ("Kampin metroasemalla tappelu.", ["Kamppi"]),
    ("Viikin pellot on upeita.", ["Viikki"]),
    ("Soukassa on rauhallista.", ["Soukka"]),
    ("Arabianrannan rannassa uimaranta.", ["Arabianranta"]),
    ("Kruununhaassa ja Kivihaassa.", ["Kruununhaka", "Kivihaka"]),
    ("Roihupellon teollisuusalue.", ["Roihupelto"]),
    ("Niittykummun metroasema.", ["Niittykumpu"]),
    # -nen (singular and the plural use) and -s stems
    ("Sörnäisten rantatien kuopat on legendaarisia.", ["Sörnäinen"]),
    ("Kauniaisissa on hyvät koulut.", ["Kauniainen"]),
    ("Itäkeskuksessa ruuhkaa lauantaisin.", ["Itäkeskus"]),
    ("Veromiehessä on paljon varastoja.", ["Veromies"]),
    # partitive, essive, translative
    ("Rakastan Vuosaarta ja Töölöä.", ["Vuosaari", "Etu-Töölö", "Taka-Töölö"]),
    ("Kalasatamana alue on vielä kesken.", ["Kalasatama"]),
    # clipped spoken locatives and clitics
    ("Stadis on kivaa ja Vantaal tylsää", ["Helsinki", "Vantaa"]),
    ("Helsingissäkin sataa.", ["Helsinki"]),
    # inhabitants
    ("Missä vantaalaiset nyt hoidetaan?", ["Vantaa"]),
    ("Herttoniemeläiset vastustaa kaavaa.", ["Herttoniemi"]),
    # lower-case post
    ("vanhat talot purkuun pohjois-haagassa?? ei hyvä", ["Pohjois-Haaga"]),
]

SWEDISH = [
    ("Spårvagnen till Berghäll går för sällan.", ["Kallio"]),
    ("Vallgårds gamla trähus är fantastiska.", ["Vallila"]),
    ("Marknad på Hagnäs torg i helgen.", ["Kallio"]),
    ("Metron till Drumsö har varit ett lyft.", ["Lauttasaari"]),
    ("Nattbussen från Hertonäs går sällan.", ["Herttoniemi"]),
    ("Hälsocentralen i Östra centrum har längre öppettider.", ["Itäkeskus"]),
    ("Östra centrums parkeringshus stängs.", ["Itäkeskus"]),
    ("Esbo och Grankulla har egna skolor.", ["Espoo", "Kauniainen"]),
    ("Helsingfors stads nya bostadsprogram.", ["Helsinki"]),
    ("Daghemmet i Tölö har lång kö.", ["Etu-Töölö", "Taka-Töölö"]),
    ("Busholmen och Västra hamnen byggs ut.", ["Jätkäsaari", "Länsisatama"]),
    ("Östra Helsingfors behöver fler daghem.", ["Itäinen suurpiiri"]),
    ("Malms sjukhus har långa köer.", ["Malmi"]),
    ("Rånförsök i Mattby i kväll, polisen i Esbo söker vittnen.", ["Matinkylä", "Espoo"]),
]

ENGLISH = [
    ("Espoo's district heating goes coal-free.", ["Espoo"]),
    ("Moved from Lauttasaari to Kontula.", ["Lauttasaari", "Kontula"]),
    ("Is Kallio safe at night?", ["Kallio"]),
    ("The Helsinki–Espoo metro stops early.", ["Helsinki", "Espoo"]),
    ("Police presence at the Itis mall has increased.", ["Itäkeskus"]),
    ("East Helsinki needs more health stations.", ["Itäinen suurpiiri"]),
]

MULTI_WORD_AND_HYPHENATED = [
    ("Etu-Töölössä remontoidaan.", ["Etu-Töölö"]),
    ("Itä-Pakilan pientaloalue.", ["Itä-Pakila"]),
    ("Keski-Pasilan tornit nousee.", ["Keski-Pasila"]),
    ("Itä-Helsingissä on liian vähän terveysasemia.", ["Itäinen suurpiiri"]),
    ("Malmin lentokentän niityt on ainutlaatuisia.", ["Malmin lentokenttä"]),
    ("Pikku Huopalahden puistossa sorsia.", ["Pikku Huopalahti"]),
    ("Vanhassa Munkkiniemessä on rauhallista.", ["Vanha Munkkiniemi"]),
    ("Itäisessä suurpiirissä asuu paljon lapsiperheitä.", ["Itäinen suurpiiri"]),
    ("Helsingin pitäjän kirkonkylässä on vanha kirkko.", ["Helsingin pitäjän kirkonkylä"]),
    ("Mustikkamaa-Korkeasaaren silta.", ["Mustikkamaa-Korkeasaari"]),
    ("Helsinki-Espoo-yhteistyö toimii.", ["Helsinki", "Espoo"]),
    ("Helsinki-Vantaan lentoasemalla ruuhkaa.", ["Lentokenttä"]),
]

COLLOQUIAL = [
    ("Stadin mestoilla rakennetaan joka kulmalla.", ["Helsinki"]),
    ("Hesassa on kallista asua.", ["Helsinki"]),
    ("Tölikan puolella kadut auki.", ["Etu-Töölö", "Taka-Töölö"]),
    ("Vuokin rannat on parhaat.", ["Vuosaari"]),
    ("Hertsikassa on hyvä kirjasto.", ["Herttoniemi"]),
    ("Itiksestä Lepuskiin ilman vaihtoja.", ["Itäkeskus", "Leppävaara"]),
    ("Sörkan metroasema on rauhallisempi.", ["Sörnäinen"]),
    ("Kontsa elää!", ["Kontula"]),
    ("Ogelin asemalla.", ["Oulunkylä"]),
    ("Kaivarissa piknikillä.", ["Kaivopuisto"]),
    ("Tiksissä junat seis.", ["Tikkurila"]),
    ("Granissa ei ole asuntoja myynnissä.", ["Kauniainen"]),
    ("Munkissa rantaraitti on poikki.", ["Munkkiniemi"]),
    ("Korkiksessa näkee lumileopardin.", ["Mustikkamaa-Korkeasaari"]),
]

TRAPS = [
    # the common noun kallio
    ("Kalliolla kiipeily on parasta stressinhallintaa.", []),
    ("Tänään mentiin kalliolle kiipeilemään.", []),
    ("kallion päällä oli ihan täydellinen keli", []),
    ("Kalliokiipeilyä parhaimmillaan.", []),
    ("Alppilan kallioilla on paras auringonlasku.", ["Alppila"]),
    # but the proper noun is Kallio, even at the start of a sentence in a place form
    ("Kallion lukion ilmaisutaidon linja on paras.", ["Kallio"]),
    ("Kallio on kaunis.", ["Kallio"]),
    ("Kalliossa ammuskelua??", ["Kallio"]),
    ("KALLION KIRJASTO AUKI TAAS!!!", ["Kallio"]),
    ("Muutin eilen Kallioon.", ["Kallio"]),
    ("#kallio #helsinki", ["Kallio", "Helsinki"]),
    # a surname after a first name
    ("Kun Pasi Kallio sanoi, että tontti on myyty.", []),
    ("Eilen Roberta Metsola puhui Brysselissä.", []),
    ("Metsolassa on uusi koulu.", ["Metsola"]),
    ("Naapurin Malmit toi pullaa.", []),
    # the first name Pasi
    ("Kun Pasi sanoi asukasillassa että tontti on myyty.", []),
    ("Pasille kiitos!", []),
    # Swedish hela, dammen, dal, vik
    ("Hela stan är full av folk.", []),
    ("Hela kvarteret luktar sopor.", []),
    ("Dammen i parken har torkat ut.", []),
    ("Promenad genom dalen, vid viken.", []),
    # airport codes and the newspaper
    ("Lento HEL–ARN peruttiin.", []),
    ("Flight HEL-ARN cancelled, HEL to OUL delayed.", []),
    ("Helsingin Sanomat kirjoitti taskupuistoista.", []),
    ("Hesarissa oli hyvä juttu.", []),
    # English words equal to place names
    ("Each family got a kilo of potatoes.", []),
    ("Kilon asema on pimeä.", ["Kilo"]),
    ("Harjun päällä kulkeva polku on kulunut.", []),
    ("Vappumunkit loppu jo kymmeneltä.", []),
    ("Lentokentällä oli jonoa.", []),
    # a name inside an unrelated compound is not a mention
    ("Kalliokiipeily ja Espoonlahti.", ["Espoonlahti"]),
]


@pytest.mark.parametrize(("text", "expected"), FINNISH_INFLECTION)
def test_finnish_inflected_forms(text: str, expected: list[str]) -> None:
    assert extract_places(text, "fi") == expected


@pytest.mark.parametrize(("text", "expected"), SWEDISH)
def test_swedish_names_and_genitives(text: str, expected: list[str]) -> None:
    assert extract_places(text, "sv") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: list[str]) -> None:
    assert extract_places(text, "en") == expected


@pytest.mark.parametrize(("text", "expected"), MULTI_WORD_AND_HYPHENATED)
def test_multi_word_and_hyphenated_names(text: str, expected: list[str]) -> None:
    assert extract_places(text) == expected


@pytest.mark.parametrize(("text", "expected"), COLLOQUIAL)
def test_colloquial_names(text: str, expected: list[str]) -> None:
    assert extract_places(text, "fi") == expected


@pytest.mark.parametrize(("text", "expected"), TRAPS)
def test_traps(text: str, expected: list[str]) -> None:
    assert extract_places(text) == expected


def test_order_of_first_mention_without_duplicates() -> None:
    text = "Kontulasta Vuosaareen pitää mennä Itiksen kautta. Kontulassa ja Vuosaaressa sama juttu."
    assert extract_places(text) == ["Kontula", "Vuosaari", "Itäkeskus"]


def test_district_wins_over_its_sub_district_of_the_same_name() -> None:
    names = [p for p in gazetteer.places() if p["name"] == "Kruununhaka"]
    assert {p["kind"] for p in names} == {"district", "sub_district"}
    (reading,) = default_matcher().forms("kruununhaassa")
    assert reading.ids == ("helsinki-kruununhaka",)


def test_shared_alias_returns_every_place_in_gazetteer_order() -> None:
    (reading,) = default_matcher().forms("töölössä")
    assert reading.ids == ("helsinki-etu-toolo", "helsinki-taka-toolo")


def test_every_returned_name_is_a_canonical_gazetteer_name() -> None:
    canonical = {p["name"] for p in gazetteer.places()}
    cases = FINNISH_INFLECTION + SWEDISH + ENGLISH + MULTI_WORD_AND_HYPHENATED + COLLOQUIAL + TRAPS
    for text, _expected in cases:
        assert set(extract_places(text)) <= canonical


def test_every_gazetteer_place_is_found_by_its_finnish_and_swedish_name() -> None:
    matcher = default_matcher()
    for place in gazetteer.places():
        # mid-sentence, capitalised: the unambiguous position
        for name in (place["name"], place["name_sv"]):
            found = matcher.extract(f"Asun nyt {name} alueella.")
            assert place["name"] in found or _is_sub_district_with_district_name(place), (
                name,
                found,
            )


def _is_sub_district_with_district_name(place: dict[str, object]) -> bool:
    parents = {p["id"]: p for p in gazetteer.places()}
    parent = parents.get(str(place.get("parent")))
    return bool(parent) and parent is not None and parent["name"] == place["name"]


@pytest.mark.parametrize(
    ("word", "case", "form"),
    [
        ("herttoniemi", "gen", "herttoniemen"),
        ("lauttasaari", "ine", "lauttasaaressa"),
        ("myyrmäki", "ill", "myyrmäkeen"),
        ("myyrmäki", "ine", "myyrmäessä"),
        ("kamppi", "ine", "kampissa"),
        ("kamppi", "ill", "kamppiin"),
        ("helsinki", "ine", "helsingissä"),
        ("espoo", "ill", "espooseen"),
        ("vantaa", "ade", "vantaalla"),
        ("sörnäinen", "gen", "sörnäisten"),
        ("itäkeskus", "ela", "itäkeskuksesta"),
        ("ruskeasuo", "ill", "ruskeasuohon"),
        ("töölö", "ill", "töölöön"),
        ("pähkinärinne", "ill", "pähkinärinteeseen"),
        ("ojanko", "ine", "ojangossa"),
        ("linjat", "ade", "linjoilla"),
    ],
)
def test_finnish_paradigm(word: str, case: str, form: str) -> None:
    assert form in finnish_forms(word)[case]


def test_swedish_and_english_forms() -> None:
    assert name_forms("Vallgård", "sv")["gen"] == ("vallgårds",)
    assert name_forms("Helsingfors", "sv")["gen"] == ("helsingfors",)
    assert "espoo's" in name_forms("Espoo", "fi")["gen"]


def test_a_custom_gazetteer_and_alias_table() -> None:
    places = [
        {"id": "x", "name": "Kallio", "name_sv": "Berghäll", "aliases": [], "parent": None},
        {"id": "y", "name": "Rauha", "name_sv": "Fred", "aliases": ["Rauhis"], "parent": None},
    ]
    aliases = {
        "ambiguous": {"rauha": {"start": ["ine"]}},
        "aliases": [{"id": "y", "names": ["Peace"], "lang": "en"}],
    }
    matcher = PlaceMatcher(places, aliases)
    assert matcher.extract("Asun Kalliossa ja Rauhiksessa. Peace's end.") == ["Kallio", "Rauha"]
    assert matcher.extract("Kaipaan rauhaa. Rauha on tärkeää.") == []  # ambiguous now
    assert matcher.extract("Rauhassa on hiljaista.") == ["Rauha"]


def test_empty_and_non_text() -> None:
    assert extract_places("") == []
    assert extract_places("🚋🚋 123 !!! https://example.org/Kallio @Kallio") == []
