"""The CAP 1.2 export of a call (issue #8, item 6), checked structurally, field by field."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext

from portaat.crowds.cap import (
    AREA_RADIUS_KM,
    CAP_NS,
    alert_identifier,
    call_alert,
    cap_datetime,
    validate_alert,
)
from portaat.crowds.models import Call, CallMessage, CallStatus, MessageKind, Skill
from portaat.registry.models import Area, AreaKind

NS = {"cap": CAP_NS}
SENDER = "portaat@kaupunki.example.fi"
URL = "https://portaat.example.fi/avunpyynnot/1/"
FIXTURES = Path(__file__).parent / "fixtures" / "cap"

ALERT_ORDER = [
    "identifier",
    "sender",
    "sent",
    "status",
    "msgType",
    "scope",
    "incidents",
    "info",
    "info",
]
INFO_ORDER = [
    "language",
    "category",
    "event",
    "responseType",
    "urgency",
    "severity",
    "certainty",
    "effective",
    "onset",
    "expires",
    "headline",
    "description",
    "instruction",
    "web",
    "parameter",
    "parameter",
    "parameter",
    "area",
    "area",
    "area",
]


def local(element: ET.Element) -> str:
    return element.tag.split("}", 1)[1]


def parse(xml: bytes) -> ET.Element:
    root = ET.fromstring(xml)  # noqa: S314  # our own output and our own fixtures
    assert root.tag == f"{{{CAP_NS}}}alert"
    return root


def text(parent: ET.Element, path: str) -> str:
    found = parent.find(path, NS)
    assert found is not None, path
    return found.text or ""


def infos(root: ET.Element) -> dict[str, ET.Element]:
    return {text(info, "cap:language"): info for info in root.findall("cap:info", NS)}


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = "https://portaat.example.fi"


@pytest.fixture
def kallio(db: None) -> Area:
    return Area.objects.create(
        key="helsinki-kallio-cap",
        name="Kallio",
        name_sv="Berghäll",
        kind=AreaKind.DISTRICT,
        municipality="Helsinki",
        lat=60.1841,
        lon=24.9497,
    )


@pytest.fixture
def helsinki(db: None) -> Area:
    return Area.objects.create(
        key="helsinki-cap",
        name="Helsinki",
        name_sv="Helsingfors",
        kind=AreaKind.MUNICIPALITY,
        municipality="Helsinki",
        lat=60.1699,
        lon=24.9384,
    )


@pytest.fixture
def call(kallio: Area, helsinki: Area) -> Call:
    """A sent call in winter (Helsinki at +02:00): point and radius plus two gazetteer areas."""
    call = Call.objects.create(
        title="Hiekkasäkkejä Kallion rantaan",
        instructions_fi="Tule Hakaniemen torille, ota mukaan työhanskat.",
        instructions_sv="Kom till Hagnäs torg, ta med arbetshandskar.",
        lat=60.1794,
        lon=24.9512,
        radius_m=500,
        address="Hakaniemen tori",
        starts_at=datetime(2025, 1, 15, 9, 0, tzinfo=UTC),
        ends_at=datetime(2025, 1, 15, 14, 0, tzinfo=UTC),
        respond_by=datetime(2025, 1, 15, 8, 30, tzinfo=UTC),
        needed=12,
        severity="Severe",
        category="Env",
        status=CallStatus.SENT,
        sent_at=datetime(2025, 1, 15, 8, 0, 5, 123456, tzinfo=UTC),
    )
    call.areas.add(kallio, helsinki)
    skill = Skill.objects.create(
        slug="sandbags-cap", name_fi="Nostaminen", name_sv="Lyft", name_en="Lifting"
    )
    call.skills.add(skill)
    CallMessage.objects.create(call=call, kind=MessageKind.ALERT, created_at=call.sent_at)
    return call


def message(call: Call, kind: str, minutes: int, **texts: str) -> CallMessage:
    assert call.sent_at is not None
    return CallMessage.objects.create(
        call=call, kind=kind, created_at=call.sent_at + timedelta(minutes=minutes), **texts
    )


@pytest.mark.django_db
def test_alert_header_in_cap_order(call: Call) -> None:
    xml = call_alert(call, sender=SENDER, url=URL)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    root = parse(xml)
    assert [local(child) for child in root] == ALERT_ORDER
    assert text(root, "cap:identifier") == f"portaat-call-{call.pk}-alert@portaat.example.fi"
    assert text(root, "cap:sender") == SENDER
    # Helsinki winter time, whole seconds, an offset and never "Z"
    assert text(root, "cap:sent") == "2025-01-15T10:00:05+02:00"
    assert text(root, "cap:status") == "Actual"
    assert text(root, "cap:msgType") == "Alert"
    assert text(root, "cap:scope") == "Public"
    assert text(root, "cap:incidents") == f"portaat-call-{call.pk}@portaat.example.fi"
    assert root.find("cap:references", NS) is None
    assert validate_alert(xml) == []


@pytest.mark.django_db
def test_finnish_and_swedish_info_blocks(call: Call, kallio: Area, helsinki: Area) -> None:
    root = parse(call_alert(call, sender=SENDER, url=URL))
    blocks = infos(root)
    assert list(blocks) == ["fi-FI", "sv-FI"]  # no English text: no en-US block

    fi, sv = blocks["fi-FI"], blocks["sv-FI"]
    for info in (fi, sv):
        assert [local(child) for child in info] == INFO_ORDER
        assert text(info, "cap:category") == "Env"
        assert text(info, "cap:responseType") == "Execute"
        assert text(info, "cap:urgency") == "Immediate"
        assert text(info, "cap:severity") == "Severe"
        assert text(info, "cap:certainty") == "Observed"
        assert text(info, "cap:effective") == "2025-01-15T10:00:05+02:00"
        assert text(info, "cap:onset") == "2025-01-15T11:00:00+02:00"
        assert text(info, "cap:expires") == "2025-01-15T16:00:00+02:00"
        assert text(info, "cap:headline") == "Hiekkasäkkejä Kallion rantaan"
        assert text(info, "cap:web") == URL
        parameters = {
            text(p, "cap:valueName"): text(p, "cap:value")
            for p in info.findall("cap:parameter", NS)
        }
        assert parameters["peopleNeeded"] == "12"
        assert parameters["respondBy"] == "2025-01-15T10:30:00+02:00"

    with translation.override("fi"):
        assert text(fi, "cap:event") == gettext("Call for volunteers")
    with translation.override("sv"):
        assert text(sv, "cap:event") == gettext("Call for volunteers")
    assert text(fi, "cap:instruction") == call.instructions_fi
    assert text(sv, "cap:instruction") == call.instructions_sv
    assert "Hakaniemen tori" in text(fi, "cap:description")
    assert "12" in text(fi, "cap:description")
    assert {text(p, "cap:value") for p in fi.findall("cap:parameter", NS)} >= {"Nostaminen"}
    assert {text(p, "cap:value") for p in sv.findall("cap:parameter", NS)} >= {"Lyft"}

    # areas: the meeting point's circle (radius in km, 3 decimals), then the gazetteer areas
    # (ordered by municipality and name) with circles of their kind's approximate size
    fi_areas = fi.findall("cap:area", NS)
    assert [text(a, "cap:areaDesc") for a in fi_areas] == ["Hakaniemen tori", "Helsinki", "Kallio"]
    sv_areas = sv.findall("cap:area", NS)
    assert [text(a, "cap:areaDesc") for a in sv_areas][1:] == ["Helsingfors", "Berghäll"]
    assert [text(a, "cap:circle") for a in fi_areas] == [
        "60.1794,24.9512 0.500",
        f"60.1699,24.9384 {AREA_RADIUS_KM[AreaKind.MUNICIPALITY]:.3f}",
        f"60.1841,24.9497 {AREA_RADIUS_KM[AreaKind.DISTRICT]:.3f}",
    ]
    assert [text(a, "cap:circle") for a in fi_areas][1:] == [
        "60.1699,24.9384 10.000",
        "60.1841,24.9497 1.500",
    ]


@pytest.mark.django_db
def test_english_block_only_with_english_text(call: Call) -> None:
    call.instructions_en = "Come to Hakaniemi market square, bring work gloves."
    call.save()
    root = parse(call_alert(call, sender=SENDER))
    assert list(infos(root)) == ["fi-FI", "sv-FI", "en-US"]
    en = infos(root)["en-US"]
    assert text(en, "cap:instruction") == call.instructions_en
    assert en.find("cap:web", NS) is None  # no url given: no web element


@pytest.mark.django_db
def test_swedish_block_falls_back_to_finnish_instructions(call: Call) -> None:
    call.instructions_sv = ""
    call.save()
    sv = infos(parse(call_alert(call, sender=SENDER)))["sv-FI"]
    assert text(sv, "cap:instruction") == call.instructions_fi


@pytest.mark.django_db
def test_polygon_is_closed_and_comes_before_the_circle(call: Call) -> None:
    outline = [(60.18, 24.94), (60.18, 24.96), (60.17, 24.96)]  # open: first != last
    xml = call_alert(call, sender=SENDER, polygon=outline)
    own = infos(parse(xml))["fi-FI"].findall("cap:area", NS)[0]
    assert [local(child) for child in own] == ["areaDesc", "polygon", "circle"]
    pairs = text(own, "cap:polygon").split()
    assert pairs == ["60.18,24.94", "60.18,24.96", "60.17,24.96", "60.18,24.94"]
    assert pairs[0] == pairs[-1] and len(pairs) >= 4
    assert validate_alert(xml) == []


@pytest.mark.django_db
def test_areas_only_call(kallio: Area) -> None:
    call = Call.objects.create(
        title="Metsäetsintä",
        instructions_fi="Kokoontuminen kerrotaan tekstiviestillä.",
        starts_at=datetime(2025, 7, 1, 15, 0, tzinfo=UTC),
        ends_at=datetime(2025, 7, 1, 19, 0, tzinfo=UTC),
        respond_by=datetime(2025, 7, 1, 14, 30, tzinfo=UTC),
        needed=30,
        status=CallStatus.SENT,
        sent_at=datetime(2025, 7, 1, 14, 0, tzinfo=UTC),
    )
    call.areas.add(kallio)
    xml = call_alert(call, sender=SENDER)
    root = parse(xml)
    assert text(root, "cap:sent") == "2025-07-01T17:00:00+03:00"  # summer time
    areas = infos(root)["fi-FI"].findall("cap:area", NS)
    assert [text(a, "cap:areaDesc") for a in areas] == ["Kallio"]
    assert validate_alert(xml) == []


@pytest.mark.django_db
def test_identifiers_and_sent_are_stable(call: Call) -> None:
    first = call_alert(call, sender=SENDER, now=datetime(2030, 1, 1, tzinfo=UTC))
    again = call_alert(call, sender=SENDER)
    assert first == again  # `now` only matters for a call not sent yet
    alert_message = call.messages.get(kind=MessageKind.ALERT)
    assert call_alert(call, alert_message, sender=SENDER) == first
    assert alert_identifier(call, alert_message) == alert_identifier(call)


@pytest.mark.django_db
def test_update_references_the_first_alert(call: Call) -> None:
    alert = parse(call_alert(call, sender=SENDER))
    triple = ",".join(text(alert, f"cap:{name}") for name in ("sender", "identifier", "sent"))

    update = message(call, MessageKind.UPDATE, 20, text_fi="Tarvitaan myös lapioita.")
    xml = call_alert(call, update, sender=SENDER)
    root = parse(xml)
    assert [local(child) for child in root] == [
        "identifier",
        "sender",
        "sent",
        "status",
        "msgType",
        "scope",
        "references",
        "incidents",
        "info",
        "info",
    ]
    assert text(root, "cap:msgType") == "Update"
    assert text(root, "cap:identifier") == f"portaat-call-{call.pk}-{update.pk}@portaat.example.fi"
    assert text(root, "cap:identifier") != text(alert, "cap:identifier")
    assert text(root, "cap:sent") == "2025-01-15T10:20:05+02:00"
    assert text(root, "cap:references") == triple
    fi, sv = infos(root)["fi-FI"], infos(root)["sv-FI"]
    assert text(fi, "cap:description").startswith("Tarvitaan myös lapioita.")
    assert text(sv, "cap:description").startswith("Tarvitaan myös lapioita.")  # fi fallback
    with translation.override("fi"):
        assert text(fi, "cap:headline") == gettext("Update: %(title)s") % {"title": call.title}
    with translation.override("sv"):
        assert text(sv, "cap:headline") == gettext("Update: %(title)s") % {"title": call.title}
    assert validate_alert(xml) == []

    # a second update supersedes the alert and the first update
    second = message(call, MessageKind.UPDATE, 40, text_fi="Riittää.")
    refs = text(parse(call_alert(call, second, sender=SENDER)), "cap:references").split()
    assert refs == [
        triple,
        f"{SENDER},{text(root, 'cap:identifier')},{text(root, 'cap:sent')}",
    ]


@pytest.mark.django_db
def test_stand_down_and_cancel_are_cancel_messages(call: Call) -> None:
    alert = parse(call_alert(call, sender=SENDER))
    triple = ",".join(text(alert, f"cap:{name}") for name in ("sender", "identifier", "sent"))
    for kind, response in ((MessageKind.STAND_DOWN, "AllClear"), (MessageKind.CANCEL, "None")):
        said = message(call, kind, 60, text_fi="Kiitos kaikille!", text_sv="Tack alla!")
        xml = call_alert(call, said, sender=SENDER)
        root = parse(xml)
        assert text(root, "cap:msgType") == "Cancel"
        assert text(root, "cap:references").split()[0] == triple
        sv = infos(root)["sv-FI"]
        assert text(sv, "cap:responseType") == response
        assert text(sv, "cap:urgency") == "Past"
        assert text(sv, "cap:description").startswith("Tack alla!")
        closing = {
            MessageKind.STAND_DOWN: "The work is done. Thank you for your help!",
            MessageKind.CANCEL: "The call is cancelled: no help is needed. Thank you!",
        }[kind]
        with translation.override("sv"):
            assert text(sv, "cap:instruction") == gettext(closing)
        assert validate_alert(xml) == [], kind


@pytest.mark.django_db
def test_enough_people_is_an_update_without_action(call: Call) -> None:
    xml = call_alert(call, message(call, MessageKind.ENOUGH, 30), sender=SENDER)
    root = parse(xml)
    assert text(root, "cap:msgType") == "Update"
    fi = infos(root)["fi-FI"]
    assert text(fi, "cap:responseType") == "None"
    assert text(fi, "cap:urgency") == "Immediate"
    assert validate_alert(xml) == []


@pytest.mark.django_db
def test_exercise_status_from_settings(call: Call, settings: Any) -> None:
    settings.PORTAAT_CAP_STATUS = "Exercise"
    xml = call_alert(call, sender=SENDER)
    root = parse(xml)
    assert text(root, "cap:status") == "Exercise"
    assert text(root, "cap:note")  # CAP: an exercise SHOULD say so in <note>
    assert validate_alert(xml) == []
    settings.PORTAAT_CAP_STATUS = "Real"
    with pytest.raises(ImproperlyConfigured):
        call_alert(call, sender=SENDER)


@pytest.mark.django_db
def test_draft_preview_uses_now(call: Call) -> None:
    Call.objects.filter(pk=call.pk).update(status=CallStatus.DRAFT, sent_at=None)
    call.messages.all().delete()
    call.refresh_from_db()
    xml = call_alert(call, sender=SENDER, now=datetime(2025, 1, 14, 12, 0, tzinfo=UTC))
    root = parse(xml)
    assert text(root, "cap:status") == "Draft"
    assert text(root, "cap:sent") == "2025-01-14T14:00:00+02:00"
    with pytest.raises(ValueError, match="not been sent"):
        update = CallMessage.objects.create(call=call, kind=MessageKind.UPDATE)
        call_alert(call, update, sender=SENDER)


@pytest.mark.django_db
def test_markup_and_control_characters_in_text(call: Call) -> None:
    call.title = "Puut <kaatuneet> & tiet\x07 poikki " + "x" * 125
    call.address = 'Kulma "A" & <B>'
    call.save()
    xml = call_alert(call, sender=SENDER)
    assert validate_alert(xml) == []
    fi = infos(parse(xml))["fi-FI"]
    assert text(fi, "cap:headline").startswith("Puut <kaatuneet> & tiet poikki")
    assert len(text(fi, "cap:headline")) <= 160
    assert text(fi.findall("cap:area", NS)[0], "cap:areaDesc") == 'Kulma "A" & <B>'


@pytest.mark.django_db
def test_what_cannot_be_written_is_refused(call: Call) -> None:
    with pytest.raises(ValueError, match="sender"):
        call_alert(call, sender="portaat kaupunki")
    with pytest.raises(ValueError, match="sender"):
        call_alert(call, sender="a,b")
    with pytest.raises(ValueError, match="no CAP form"):
        call_alert(call, message(call, MessageKind.REMINDER, 1), sender=SENDER)
    other = Call.objects.create(
        title="Toinen",
        instructions_fi="-",
        starts_at=call.starts_at,
        ends_at=call.ends_at,
        respond_by=call.respond_by,
        needed=1,
    )
    with pytest.raises(ValueError, match="another call"):
        call_alert(other, message(call, MessageKind.UPDATE, 1), sender=SENDER)
    with pytest.raises(ValueError, match="polygon"):
        call_alert(call, sender=SENDER, polygon=[(60.1, 24.9), (60.2, 24.9)])
    with pytest.raises(ValueError, match="out of range"):
        call_alert(call, sender=SENDER, polygon=[(91, 24.9), (60.2, 24.9), (60.2, 25.0)])
    with pytest.raises(ValueError, match="url"):
        call_alert(call, sender=SENDER, url="/avunpyynnot/1/")


def test_cap_datetime_format() -> None:
    assert cap_datetime(datetime(2025, 7, 1, 9, 30, 15, 999, tzinfo=UTC)) == (
        "2025-07-01T12:30:15+03:00"
    )


def test_cap_datetime_utc_is_minus_zero(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    assert cap_datetime(datetime(2025, 7, 1, 9, 30, tzinfo=UTC)) == "2025-07-01T09:30:00-00:00"


# ---------------------------------------------------------------------------------------------
# the checker, on a hand-written document broken one way at a time


def fixture() -> str:
    return (FIXTURES / "minimal_valid.xml").read_text(encoding="utf-8")


def broken(old: str, new: str) -> bytes:
    source = fixture()
    assert old in source, old
    return source.replace(old, new, 1).encode("utf-8")


def test_hand_written_document_is_valid() -> None:
    assert validate_alert(fixture().encode("utf-8")) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("<identifier>storm-2025-07-01-001</identifier>", "", "identifier is required"),
        ("<identifier>storm-2025-07-01-001</identifier>", "<identifier> </identifier>", "space"),
        ("<sender>rescue@example.fi</sender>", "<sender>rescue, team</sender>", "comma"),
        ("2025-07-01T14:05:00+03:00</sent>", "2025-07-01T11:05:00Z</sent>", "alert/sent"),
        ("2025-07-01T14:05:00+03:00</sent>", "2025-07-01T14:05:00.5+03:00</sent>", "alert/sent"),
        ("2025-07-01T14:05:00+03:00</sent>", "2025-13-01T14:05:00+03:00</sent>", "real date"),
        ("<status>Exercise</status>", "<status>Real</status>", "status 'Real'"),
        ("<msgType>Update</msgType>", "<msgType>Updated</msgType>", "msgType"),
        ("<scope>Public</scope>", "<scope>Restricted</scope>", "restriction is required"),
        ("<urgency>Expected</urgency>", "<urgency>Now</urgency>", "urgency 'Now'"),
        ("<category>Safety</category>", "<category>Crowd</category>", "category"),
        ("<responseType>Avoid</responseType>", "<responseType>Go</responseType>", "response"),
        ("<certainty>Likely</certainty>", "", "certainty is required"),
        ("<event>Myrsky</event>", "", "event is required"),
        ("<language>fi-FI</language>", "<language>fi_FI</language>", "RFC 3066"),
        ("<areaDesc>Keskuspuisto</areaDesc>", "", "areaDesc is required"),
        (" 60.20,24.94 60.20,24.90</polygon>", " 60.20,24.94 60.21,24.90</polygon>", "not closed"),
        ("<polygon>60.20,24.90 60.22,24.90 60.22,24.94 60.20,24.94 ", "<polygon>", "at least 4"),
        ("<polygon>60.20,24.90 ", "<polygon>60.20;24.90 ", "'lat,lon' pair"),
        ("<circle>60.21,24.92 2.5</circle>", "<circle>60.21,24.92</circle>", "lat,lon radius"),
        ("<circle>60.21,24.92 2.5</circle>", "<circle>95.21,24.92 2.5</circle>", "WGS 84"),
        ("<circle>60.21,24.92 2.5</circle>", "<circle>60.21,24.92 -1</circle>", "radius"),
        ("<altitude>0</altitude>", "", "ceiling needs altitude"),
        ("<references>rescue@example.fi,storm-2025-07-01-000,", "<references>", "sender,ident"),
        ("-000,2025-07-01T13:00:00+03:00</ref", "-000,2025-07-01T10:00:00Z</ref", "sent time"),
        (
            "<references>rescue@example.fi,storm-2025-07-01-000,2025-07-01T13:00:00+03:00"
            "</references>",
            "",
            "references is required for msgType Update",
        ),
        ("<web>https://example.fi/myrsky</web>", "<web>myrsky.html</web>", "absolute URL"),
        ("<value>1</value>", "", "value is required"),
        ("<note>Harjoitus</note>", "<note>a</note><note>b</note>", "at most 1"),
        ("<headline>Kaatuneita", "<headline>" + "x" * 161 + "Kaatuneita", "160"),
        ("<expires>2025-07-01T23:00:00+03:00</expires>", "<expiry>x</expiry>", "not a CAP 1.2"),
    ],
)
def test_checker_catches(old: str, new: str, expected: str) -> None:
    problems = validate_alert(broken(old, new))
    assert problems, f"no problem found after replacing {old!r}"
    assert any(expected in problem for problem in problems), problems


def test_checker_catches_wrong_order() -> None:
    xml = broken(
        "<identifier>storm-2025-07-01-001</identifier>\n  <sender>rescue@example.fi</sender>",
        "<sender>rescue@example.fi</sender>\n  <identifier>storm-2025-07-01-001</identifier>",
    )
    assert validate_alert(xml) == [
        "alert/identifier: out of order (must come before sender)",
    ]
    xml = broken(
        "<severity>Severe</severity>\n    <certainty>Likely</certainty>\n    <exp",
        "<certainty>Likely</certainty>\n    <severity>Severe</severity>\n    <exp",
    )
    assert validate_alert(xml) == [
        "alert/info[1]/severity: out of order (must come before certainty)",
    ]


def test_checker_catches_wrong_namespace_and_bad_xml() -> None:
    other = fixture().replace("cap:1.2", "cap:1.1").encode("utf-8")
    assert "root element" in validate_alert(other)[0]
    assert "not well-formed" in validate_alert(b"<alert><identifier></alert>")[0]
    doctype = b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "b">]><alert/>'
    assert "DTD" in validate_alert(doctype)[0]
    # the same in UTF-16, which a byte search for "<!DOCTYPE" does not see
    wide = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE alert [<!ENTITY a "b">]><alert/>'
    assert "DTD" in validate_alert(wide.encode("utf-16"))[0]
    foreign = broken("<note>Harjoitus</note>", '<note xmlns="urn:example">Harjoitus</note>')
    assert any("namespace" in problem for problem in validate_alert(foreign))


@pytest.mark.django_db
def test_checker_catches_breakage_of_our_own_output(call: Call) -> None:
    square = [(60.18, 24.94), (60.18, 24.96), (60.17, 24.96), (60.17, 24.94)]
    good = call_alert(call, sender=SENDER, polygon=square)
    assert validate_alert(good) == []
    root = parse(good)
    identifier = root.find("cap:identifier", NS)
    assert identifier is not None
    root.remove(identifier)
    assert "alert/identifier is required but missing" in validate_alert(ET.tostring(root))
    source = good.decode("utf-8")
    polygon = text(parse(good), "cap:info/cap:area/cap:polygon")
    opened = source.replace(polygon, polygon.rsplit(" ", 1)[0]).encode("utf-8")
    assert any("not closed" in problem for problem in validate_alert(opened))
    with_z = source.replace("+02:00</sent>", "Z</sent>").encode("utf-8")
    assert any("alert/sent" in problem for problem in validate_alert(with_z))
    bad_enum = source.replace("<severity>Severe<", "<severity>Bad<").encode("utf-8")
    assert any("severity 'Bad'" in problem for problem in validate_alert(bad_enum))
