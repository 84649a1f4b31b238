"""Language identification of short posts (portaat/analytics/language.py).

The examples are written to be hard in the ways real posts are: one line, hashtags, @mentions,
URLs, emoji, slang, Helsinki "Stadi" slang, Finland-Swedish, and look-alike languages (Estonian
for Finnish, Norwegian and Danish for Swedish) that must stay "other".
"""

from __future__ import annotations

import pytest

from portaat.analytics import language
from portaat.analytics.language import clean, detect, detect_many

FINNISH = [
    "Kalliossa ratikka 3 kulkee taas harvemmin.",
    "Ratikka myöhässä taas 🙄",
    "Missä on lähin uimahalli?",
    "Kiitos kaupungille nopeasta aurauksesta!",
    "Mä en ymmärrä miks tää kaava hyväksyttiin",
    "Stadissa on kesällä parasta 🌞 #stadi",
    "Mennään Hesaan huomenna",
    "Onko kellään tietoa milloin silta avataan?",
    "Lumet on taas auraamatta koko kadulla",
    "Hyvä päätös!",
    "Bussi ei tullut ollenkaan",
    "Tosi kiva puisto, suosittelen",
    "@HSL miks 550 on aina myöhässä??",
    "Asukastilaisuus tiistaina klo 18, tervetuloa! https://www.hel.fi/kaavoitus",
    "Ihan kamalaa meteliä koko yön",
    "Kiitti vaan HSL 🙃",
    "Täällä sataa",
    "Parkkipaikkoja liian vähän",
    "Oon asunut Vuosaaressa 20 vuotta",
    "Ei taas! Metro seis.",
    "Pyöräkaista loppuu kesken risteyksen #pyöräily #helsinki",
    "Spåra tuli vihdoin, mut oli ihan täys",
    "Mestoilla ei oo mitään tekemistä iltasin",
    "Sairaalaan jonot kasvaa",
    "Koulun piha on pelkkää asfalttia",
    "Puut kaadettiin ilman kuulemista",
    "KIITOS KAIKILLE TALKOISIIN OSALLISTUNEILLE!!!",
    "Lapsiperheet muuttaa pois kaupungista",
    "Kaavoitus etenee hitaasti",
    "Hei, tietääkö joku onko kirjasto auki huomenna?",
]

SWEDISH = [
    "Spårvagnen till Berghäll går alldeles för sällan nu.",
    "Vi behöver fler daghemsplatser i Vallgård",
    "Varför är det alltid fyran? 🚋",
    "Tack för snabb snöröjning!",
    "Hela stan är full av folk idag",
    "Bussen kom inte alls i morse",
    "Int vet jag vad dom håller på med",
    "Äntligen en cykelbana på Runebergsgatan #cykel",
    "Skolan i Drumsö behöver nya lokaler",
    "Det är kallt i spårvagnen",
    "Bra beslut!",
    "Parkeringen vid stationen är alltid full",
    "@HRT varför går inte nattbussen?",
    "Marknad på Hagnäs torg i helgen",
    "Vad tycker ni om den nya detaljplanen?",
    "Snöplogen fyllde just infarten 🙃",
    "Hälsostationen har bara finsk service",
    "Jag bor i Hertonäs och pendlar till stan",
    "Kolkraftverket är äntligen stängt 🎉",
    "Otryggt vid metrostationen på kvällarna",
    "Nog är det skönt med sommar",
    "Mera cykelparkering till Otnäs, tack",
    "Träden fälldes utan att någon frågade oss",
    "Varför plogas inte gångvägarna?",
    "Simhallen är stängd hela sommaren",
]

ENGLISH = [
    "The new bike lane on Mannerheimintie is great.",
    "Tram 3 is late again 🙄",
    "Where is the nearest swimming hall?",
    "Thanks for the quick snow clearing!",
    "Anyone know when the bridge opens?",
    "Great decision!",
    "Bus never showed up",
    "So much noise all night",
    "Moving to Helsinki next month, any tips? #expat",
    "Rent is way too high here",
    "@cityofhelsinki why are the bike lanes not plowed?",
    "Public hearing tomorrow at 6pm https://example.org/event",
    "Best sauna in town tbh",
    "Kallio is the coolest neighbourhood",
    "lol the metro broke down again",
    "Why do the trams stop running so early?",
    "Love the new library 📚",
    "Parking is a nightmare in Espoo",
    "The city should plant more trees",
    "Daycare queues are ridiculous",
]

OTHER = [
    # Estonian (the classic thief of short Finnish posts)
    "Kas keegi teab, kas perearsti juurde saab ilma isikukoodita?",
    "Helsingi festival algab järgmisel nädalal, kes tuleb kaasa?",
    "Tallinna ja Helsingi vaheline tunnel jääb vist unistuseks.",
    "Väga ilus ilm täna!",
    # Norwegian and Danish (the thieves of short Swedish posts)
    "Køen på motorveien var helt sprø i dag. Hvordan orker folk dette?",
    "Skiløypene rundt Helsingfors er flotte i år. Anbefales!",
    "Barna trenger flere trygge steder å være etter skolen.",
    "Jeg synes ikke at det er en god idé",
    "Hvad synes I om den nye cykelsti?",
    # German
    "Wann fährt die Straßenbahn endlich wieder normal?",
    "Die Straßen in Helsinki sind voller Schlaglöcher.",
    "Das ist nicht gut",
    # Russian, Arabic, other scripts
    "Квартиры в Хельсинки снова подорожали.",
    "В Итякескусе открыли новый медицинский центр.",
    "مرحبا بالجميع في هلسنكي",
    "赫尔辛基的公共交通很好",
    # French, Spanish
    "Le tramway est encore en retard aujourd'hui.",
    "El metro de Helsinki es muy limpio.",
    # no language at all
    "",
    "   ",
    "😂😂😂",
    "🚋🚋🚋 🔥",
    "https://example.org/x/y?z=1",
    "@someone @another",
    "#",
    "12:30 3/4 2024",
    "!!!???",
    "k",
]


@pytest.mark.parametrize("text", FINNISH)
def test_finnish(text: str) -> None:
    assert detect(text) == "fi"


@pytest.mark.parametrize("text", SWEDISH)
def test_swedish(text: str) -> None:
    assert detect(text) == "sv"


@pytest.mark.parametrize("text", ENGLISH)
def test_english(text: str) -> None:
    assert detect(text) == "en"


@pytest.mark.parametrize("text", OTHER)
def test_other_languages_and_non_language(text: str) -> None:
    assert detect(text) == "other"


def test_clean_drops_urls_mentions_hashtag_marks_emoji_and_digits() -> None:
    cleaned = clean("@HSL Ratikka 9 myöhässä 🙄 #ratikka https://hsl.fi/x?y=1 www.hel.fi")
    assert cleaned == "Ratikka myöhässä ratikka"


def test_url_does_not_make_a_finnish_post_english() -> None:
    text = "Lue lisää https://www.example.com/the-news-of-the-day-and-this-is-english"
    assert detect(text) == "fi"


def test_all_caps_post_is_recognised() -> None:
    assert detect("ASUNNOTTOMUUS EI OLE YKSILÖN VIKA") == "fi"
    assert detect("STÄNG ESPLANADEN FÖR BILAR") == "sv"


def test_model_alone_would_mislabel_short_posts_that_detect_gets_right() -> None:
    """The re-weighing must matter: some short posts go wrong with the bare model."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    bare = LanguageIdentifier.from_model_file(MODEL_FILE)
    samples = FINNISH + SWEDISH + ENGLISH
    wrong = [t for t in samples if bare.classify(clean(t))[0] not in {"fi", "sv", "en"}]
    assert wrong, "expected the bare model to fail on some short posts"
    expected = {
        t: lang
        for lang, texts in (("fi", FINNISH), ("sv", SWEDISH), ("en", ENGLISH))
        for t in texts
    }
    assert [detect(t) for t in wrong] == [expected[t] for t in wrong]


def test_function_words_decide_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(_words: str) -> None:
        raise AssertionError("the model should not be consulted")

    monkeypatch.setattr(language, "_logits", boom)
    assert detect("Mä en tiedä miks tää on niin vaikeeta") == "fi"
    assert detect("Varför är det så svårt att hitta och boka") == "sv"


def test_scores_rank_the_right_language_first() -> None:
    ranked = sorted(
        language.scores("Tack för hjälpen med snöröjningen"),
        key=lambda k: -language.scores("Tack för hjälpen med snöröjningen")[k],
    )
    assert ranked[0] == "sv"
    assert language.scores("") == {}


def test_detect_many_keeps_order() -> None:
    texts = ["Kiitos paljon!", "Tack så mycket!", "Thank you so much!", "Danke schön", "🙂"]
    assert detect_many(texts) == ["fi", "sv", "en", "other", "other"]
    assert detect_many([]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hej hej!", "sv"),
        ("Bra", "sv"),
        ("Tack!", "sv"),
        ("Moi kaikki!", "fi"),
        ("Kiitos", "fi"),
        ("lol", "en"),
        ("Thanks!", "en"),
        ("Takk!", "other"),  # Norwegian
        ("Tak!", "other"),  # Danish
        ("Aitäh!", "other"),  # Estonian
        ("God morgen Helsingfors!", "other"),  # Norwegian
        ("Guten Morgen Helsinki!", "other"),
        ("Tere hommikust Helsingi!", "other"),
    ],
)
def test_one_to_three_word_posts(text: str, expected: str) -> None:
    assert detect(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Snaijaatsä? Mä dallaan stadiin",
        "Kyl mä tsiigaan",
        "Jätkät bamlaa skutsis",
        "Spåra on taas myöhässä",
    ],
)
def test_helsinki_slang_is_finnish(text: str) -> None:
    assert detect(text) == "fi"


@pytest.mark.parametrize(
    "text",
    ["Noo, int e de så farligt", "Vi sku ha behövt mera plats", "He e nu bra", "Nog är det skönt"],
)
def test_finland_swedish_is_swedish(text: str) -> None:
    assert detect(text) == "sv"
