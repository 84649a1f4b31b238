"""CAP 1.2 export of a call: the OASIS Common Alerting Protocol, so that warning systems,
alert aggregators and other authorities' tools can read our calls for volunteers.

``call_alert`` writes one ``<alert>`` document per thing said about a call (the call itself, an
update, a stand-down, a cancellation); ``validate_alert`` checks a document's structure against
CAP 1.2 (element order, required elements, enumerations, time, point and shape formats) and is
what the tests use to prove our output, and what an integrator can run on theirs.

Identifiers and ``sent`` times are derived from stored data only (the call's id and send time,
the message's id and creation time), never from the moment of export, so an update exported
tomorrow references exactly the ``sender,identifier,sent`` the first alert carried today.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # nosec B405  # our own output; validate_alert refuses DTDs first
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from urllib.parse import urlsplit
from xml.parsers import expat
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from portaat.crowds.models import Call, CallMessage, CallStatus, MessageKind
from portaat.registry.models import Area, AreaKind

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
XMLDSIG_NS = "http://www.w3.org/2000/09/xmldsig#"

# fmt: off
STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = ("Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env",
              "Transport", "Infra", "CBRNE", "Other")
RESPONSE_TYPES = ("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess",
                  "AllClear", "None")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
# fmt: on

#: what PORTAAT_CAP_STATUS may say (System and Draft are not for a site-wide setting)
SETTING_STATUSES = ("Actual", "Exercise", "Test")

#: Approximate radius (km) of a circle around a gazetteer area's centroid. The gazetteer keeps
#: only a centroid and a kind, no boundaries, so these are rough sizes of Finnish areas of each
#: kind (a municipality's core ~10 km, a major district ~3 km, a district ~1.5 km, a
#: sub-district ~0.8 km), generous rather than tight: a receiver that filters by location
#: should rather include a neighbour than miss the place itself.
AREA_RADIUS_KM: dict[str, float] = {
    AreaKind.MUNICIPALITY: 10.0,
    AreaKind.MAJOR_DISTRICT: 3.0,
    AreaKind.DISTRICT: 1.5,
    AreaKind.SUB_DISTRICT: 0.8,
}
DEFAULT_AREA_RADIUS_KM = 1.5

#: Django language → CAP (RFC 3066) language of the info block
INFO_LANGUAGES = (("fi", "fi-FI"), ("sv", "sv-FI"), ("en", "en-US"))

HEADLINE_MAX = 160  # CAP: the headline SHOULD be short enough for a text message

# msgType, responseType and urgency for each kind of message about a call
_KIND_CAP: dict[str, tuple[str, str, str]] = {
    MessageKind.ALERT: ("Alert", "Execute", "Immediate"),
    MessageKind.UPDATE: ("Update", "Execute", "Immediate"),
    # "enough people": the call stands, but nobody more should set out
    MessageKind.ENOUGH: ("Update", "None", "Immediate"),
    # a stand-down ends a call that did its work; a cancellation one that should not go ahead
    MessageKind.STAND_DOWN: ("Cancel", "AllClear", "Past"),
    MessageKind.CANCEL: ("Cancel", "None", "Past"),
}

_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_RESTRICTED = re.compile(r"[\s,<&]")
# characters XML 1.0 cannot carry at all; ElementTree would write them and break the document
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ---------------------------------------------------------------------------------------------
# writing


def cap_datetime(value: datetime) -> str:
    """``2002-05-24T16:49:00-07:00``: local (TIME_ZONE) offset, whole seconds, never ``Z``."""
    zone = _zone()
    if timezone.is_naive(value):
        value = timezone.make_aware(value, zone)
    text = value.astimezone(zone).replace(microsecond=0).isoformat()
    # CAP 1.2: "The timezone for UTC MUST be represented as -00:00"
    return text[:-6] + "-00:00" if text.endswith("+00:00") else text


def alert_identifier(call: Call, message: CallMessage | None = None) -> str:
    """The stable CAP identifier of the call's alert (``message`` None or the call message
    itself) or of a later message about it; the site's host makes it unique across sites."""
    if call.pk is None:
        raise ValueError("the call must be saved before it can be exported")
    suffix = "alert" if message is None or message.kind == MessageKind.ALERT else message.pk
    if suffix is None:
        raise ValueError("the message must be saved before it can be exported")
    return f"portaat-call-{call.pk}-{suffix}@{_host()}"


def call_alert(
    call: Call,
    message: CallMessage | None = None,
    *,
    sender: str,
    now: datetime | None = None,
    url: str | None = None,
    polygon: Sequence[tuple[float, float]] | None = None,
    sender_name: str | None = None,
) -> bytes:
    """The CAP 1.2 ``<alert>`` (UTF-8 XML) for ``call``, or for ``message`` about it.

    No message, or the call message: msgType Alert. An update or "enough people": Update. A
    stand-down or cancellation: Cancel. Updates and cancels reference the first alert and every
    update before them. ``sender`` identifies this site (e.g. ``portaat@city.example``, no
    spaces, commas, ``<`` or ``&``); ``now`` is the ``sent`` time only for a call not sent yet
    (a preview, status Draft); ``url`` is the absolute address of the call's public page;
    ``polygon`` an optional outline of the place as (lat, lon) points (closed if it is not);
    ``sender_name`` defaults to the setting PORTAAT_CAP_SENDER_NAME.

    Raises ValueError for what cannot be written as valid CAP (an unsaved call, a reminder
    message, a message of another call, bad coordinates or sender).
    """
    if call.pk is None:
        raise ValueError("the call must be saved before it can be exported")
    if not sender or _RESTRICTED.search(sender):
        raise ValueError("sender must be non-empty, without spaces, commas, '<' or '&'")
    kind = MessageKind.ALERT if message is None else message.kind
    if kind not in _KIND_CAP:
        raise ValueError(f"a {kind} message is not about a call and has no CAP form")
    if message is not None and message.call_id != call.pk:
        raise ValueError("the message belongs to another call")
    if url is not None and not _is_absolute_url(url):
        raise ValueError("url must be an absolute http(s) address")
    shape = _closed_polygon(polygon) if polygon else None
    msg_type, response_type, urgency = _KIND_CAP[kind]

    if msg_type == "Alert":
        sent = _alert_sent(call) or now or timezone.now()
    else:
        assert message is not None  # nosec B101  # type narrowing: no message means Alert
        sent = message.created_at
        if _alert_sent(call) is None:
            raise ValueError("the call has not been sent; there is no alert to update")

    alert = ET.Element(_tag("alert"))
    _sub(alert, "identifier", alert_identifier(call, message))
    _sub(alert, "sender", sender)
    _sub(alert, "sent", cap_datetime(sent))
    status = _status(call)
    _sub(alert, "status", status)
    _sub(alert, "msgType", msg_type)
    # The call is addressed to registered volunteers, but nothing in it is secret (no contact
    # data, only what to do where): it may be shown to anybody, so the scope is Public.
    _sub(alert, "scope", "Public")
    if status in ("Exercise", "Test"):
        with translation.override(settings.LANGUAGE_CODE):
            _sub(alert, "note", _("Exercise or test: this is not a real call for help."))
    if msg_type != "Alert":
        assert message is not None  # nosec B101  # type narrowing: no message means Alert
        _sub(alert, "references", " ".join(_references(call, message, sender)))
    _sub(alert, "incidents", f"portaat-call-{call.pk}@{_host()}")

    has_english = bool(call.instructions_en or (message is not None and message.text_en))
    name = sender_name if sender_name is not None else _setting_sender_name()
    areas = list(call.areas.order_by("municipality", "name", "pk"))
    skills = list(call.skills.all())
    for lang, cap_lang in INFO_LANGUAGES:
        if lang == "en" and not has_english:
            continue
        with translation.override(lang):
            _info(
                alert,
                call,
                message,
                lang=lang,
                cap_lang=cap_lang,
                kind=kind,
                response_type=response_type,
                urgency=urgency,
                sent=sent,
                url=url,
                polygon=shape,
                areas=areas,
                skills=", ".join(skill.name(lang) for skill in skills),
                sender_name=name,
            )

    ET.indent(alert)
    body = ET.tostring(alert, encoding="unicode", default_namespace=CAP_NS)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _info(
    alert: ET.Element,
    call: Call,
    message: CallMessage | None,
    *,
    lang: str,
    cap_lang: str,
    kind: str,
    response_type: str,
    urgency: str,
    sent: datetime,
    url: str | None,
    polygon: list[tuple[float, float]] | None,
    areas: list[Area],
    skills: str,
    sender_name: str,
) -> None:
    """One ``<info>`` block in ``lang`` (the caller has activated it for the fixed labels)."""
    info = _sub(alert, "info")
    _sub(info, "language", cap_lang)
    _sub(info, "category", str(call.category))
    _sub(info, "event", _("Call for volunteers"))
    _sub(info, "responseType", response_type)
    _sub(info, "urgency", urgency)
    _sub(info, "severity", str(call.severity))
    _sub(info, "certainty", "Observed")
    # effective: the information holds from the moment it is sent (people should answer now);
    # onset: when the help is needed at the place
    _sub(info, "effective", cap_datetime(sent))
    _sub(info, "onset", cap_datetime(call.starts_at))
    _sub(info, "expires", cap_datetime(call.ends_at))
    if sender_name:
        _sub(info, "senderName", sender_name)

    _sub(info, "headline", _headline(call, kind))

    said = message.text(lang).strip() if message is not None and kind != MessageKind.ALERT else ""
    summary = _summary(call, lang, areas, skills)
    _sub(info, "description", "\n\n".join(p for p in (said, summary) if p))
    _sub(info, "instruction", _instruction(call, kind, lang))
    if url:
        _sub(info, "web", url)

    _parameter(info, "peopleNeeded", str(call.needed))
    _parameter(info, "respondBy", cap_datetime(call.respond_by))
    if skills:
        _parameter(info, "skillsNeeded", skills)

    for area in _areas(call, lang, polygon, areas):
        info.append(area)


def _summary(call: Call, lang: str, areas: list[Area], skills: str) -> str:
    """The call's essentials in ``lang``; the wording is the volunteers' messages' own
    (``render.py``), so one translation serves both."""
    start, end = call.starts_at.astimezone(_zone()), call.ends_at.astimezone(_zone())
    when = (
        f"{formats.date_format(start, 'SHORT_DATETIME_FORMAT')}"
        f"–{formats.time_format(end, 'TIME_FORMAT')}"
    )
    lines = [_("When: %(when)s") % {"when": when}]
    names = [area.display_name(lang) for area in areas]
    place = ", ".join(filter(None, [call.address, *names]))
    if place:
        lines.append(_("Where: %(place)s") % {"place": place})
    lines.append(_("People needed: %(count)s") % {"count": call.needed})
    if skills:
        lines.append(_("Skills needed: %(skills)s") % {"skills": skills})
    lines.append(_("Please answer by %(time)s.") % {"time": _local(call.respond_by)})
    return "\n".join(lines)


def _headline(call: Call, kind: str) -> str:
    template = {
        MessageKind.UPDATE: _("Update: %(title)s"),
        MessageKind.STAND_DOWN: _("Stand down: %(title)s"),
        MessageKind.CANCEL: _("Cancelled: %(title)s"),
        MessageKind.ENOUGH: _("Enough people: %(title)s"),
    }.get(MessageKind(kind), "%(title)s")
    return _shorten(template % {"title": call.title}, HEADLINE_MAX)


def _instruction(call: Call, kind: str, lang: str) -> str:
    closing = {
        MessageKind.STAND_DOWN: _("The work is done. Thank you for your help!"),
        MessageKind.CANCEL: _("The call is cancelled: no help is needed. Thank you!"),
        MessageKind.ENOUGH: _("Enough people are coming. Thank you!"),
    }.get(MessageKind(kind))
    return closing if closing is not None else call.instructions(lang)


def _areas(
    call: Call, lang: str, polygon: list[tuple[float, float]] | None, areas: list[Area]
) -> Iterable[ET.Element]:
    """The call's own place (point + radius and/or outline) first, then one ``<area>`` per
    gazetteer area with a circle of its kind's approximate size around its centroid."""
    has_point = call.lat is not None and call.lon is not None
    if has_point or polygon or call.address:
        own = ET.Element(_tag("area"))
        _sub(own, "areaDesc", call.address or _("Call area"))
        if polygon:
            _sub(own, "polygon", " ".join(_point(lat, lon) for lat, lon in polygon))
        if call.lat is not None and call.lon is not None:
            radius_km = (call.radius_m or 0) / 1000
            _sub(own, "circle", f"{_point(call.lat, call.lon)} {radius_km:.3f}")
        yield own
    for area in areas:
        element = ET.Element(_tag("area"))
        _sub(element, "areaDesc", area.display_name(lang))
        radius_km = AREA_RADIUS_KM.get(area.kind, DEFAULT_AREA_RADIUS_KM)
        _sub(element, "circle", f"{_point(area.lat, area.lon)} {radius_km:.3f}")
        yield element


def _references(call: Call, message: CallMessage, sender: str) -> list[str]:
    """``sender,identifier,sent`` of the first alert and of each update before ``message``."""
    alert_sent = _alert_sent(call)
    assert alert_sent is not None  # nosec B101  # type narrowing: call_alert checked it
    refs = [f"{sender},{alert_identifier(call)},{cap_datetime(alert_sent)}"]
    earlier = call.messages.filter(
        kind__in=[MessageKind.UPDATE, MessageKind.ENOUGH], created_at__lte=message.created_at
    ).exclude(pk=message.pk)
    for previous in earlier.order_by("created_at", "pk"):
        if (previous.created_at, previous.pk) < (message.created_at, message.pk):
            ident = alert_identifier(call, previous)
            refs.append(f"{sender},{ident},{cap_datetime(previous.created_at)}")
    return refs


def _alert_sent(call: Call) -> datetime | None:
    """When the call itself went out: the call's send time, else its call message's time."""
    if call.sent_at is not None:
        return call.sent_at
    if call.pk is None:
        return None
    first = call.messages.filter(kind=MessageKind.ALERT).order_by("created_at", "pk").first()
    return first.created_at if first is not None else None


def _status(call: Call) -> str:
    if call.status == CallStatus.DRAFT:
        return "Draft"  # CAP: "a preliminary template or draft, not actionable"
    status = getattr(settings, "PORTAAT_CAP_STATUS", "Actual")
    if status not in SETTING_STATUSES:
        raise ImproperlyConfigured(
            f"PORTAAT_CAP_STATUS must be one of {', '.join(SETTING_STATUSES)}, not {status!r}"
        )
    return str(status)


def _setting_sender_name() -> str:
    return str(getattr(settings, "PORTAAT_CAP_SENDER_NAME", "") or "")


def _closed_polygon(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    shape = [(float(lat), float(lon)) for lat, lon in points]
    for lat, lon in shape:
        _check_point(lat, lon)
    if shape[0] != shape[-1]:
        shape.append(shape[0])
    if len(shape) < 4:
        raise ValueError("a polygon needs at least three distinct points")
    return shape


def _point(lat: float, lon: float) -> str:
    _check_point(lat, lon)
    return f"{_number(lat)},{_number(lon)}"


def _check_point(lat: float, lon: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _local(value: datetime) -> str:
    return formats.date_format(value.astimezone(_zone()), "SHORT_DATETIME_FORMAT")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _parameter(info: ET.Element, name: str, value: str) -> None:
    parameter = _sub(info, "parameter")
    _sub(parameter, "valueName", name)
    _sub(parameter, "value", value)


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _tag(name: str) -> str:
    return f"{{{CAP_NS}}}{name}"


def _zone() -> tzinfo:
    return ZoneInfo(settings.TIME_ZONE)


def _host() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return _RESTRICTED.sub("", host)


def _is_absolute_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# ---------------------------------------------------------------------------------------------
# checking

# (element, least, most) in the order CAP 1.2 requires; most None = unbounded
_Schema = tuple[tuple[str, int, int | None], ...]
ALERT_ELEMENTS: _Schema = (
    ("identifier", 1, 1),
    ("sender", 1, 1),
    ("sent", 1, 1),
    ("status", 1, 1),
    ("msgType", 1, 1),
    ("source", 0, 1),
    ("scope", 1, 1),
    ("restriction", 0, 1),
    ("addresses", 0, 1),
    ("code", 0, None),
    ("note", 0, 1),
    ("references", 0, 1),
    ("incidents", 0, 1),
    ("info", 0, None),
)
INFO_ELEMENTS: _Schema = (
    ("language", 0, 1),
    ("category", 1, None),
    ("event", 1, 1),
    ("responseType", 0, None),
    ("urgency", 1, 1),
    ("severity", 1, 1),
    ("certainty", 1, 1),
    ("audience", 0, 1),
    ("eventCode", 0, None),
    ("effective", 0, 1),
    ("onset", 0, 1),
    ("expires", 0, 1),
    ("senderName", 0, 1),
    ("headline", 0, 1),
    ("description", 0, 1),
    ("instruction", 0, 1),
    ("web", 0, 1),
    ("contact", 0, 1),
    ("parameter", 0, None),
    ("resource", 0, None),
    ("area", 0, None),
)
VALUE_PAIR_ELEMENTS: _Schema = (("valueName", 1, 1), ("value", 1, 1))
RESOURCE_ELEMENTS: _Schema = (
    ("resourceDesc", 1, 1),
    ("mimeType", 1, 1),
    ("size", 0, 1),
    ("uri", 0, 1),
    ("derefUri", 0, 1),
    ("digest", 0, 1),
)
AREA_ELEMENTS: _Schema = (
    ("areaDesc", 1, 1),
    ("polygon", 0, None),
    ("circle", 0, None),
    ("geocode", 0, None),
    ("altitude", 0, 1),
    ("ceiling", 0, 1),
)
_ENUMS = {
    "status": STATUSES,
    "msgType": MSG_TYPES,
    "scope": SCOPES,
    "category": CATEGORIES,
    "responseType": RESPONSE_TYPES,
    "urgency": URGENCIES,
    "severity": SEVERITIES,
    "certainty": CERTAINTIES,
}
_NON_EMPTY = {"identifier", "sender", "event", "areaDesc", "valueName", "resourceDesc"}


class _Doctype(Exception):
    """The document given to ``validate_alert`` has a DOCTYPE."""


def _refuse_doctype(*_args: object) -> None:
    raise _Doctype


def validate_alert(xml: bytes) -> list[str]:
    """Structural problems of a CAP 1.2 document, in English for developers; [] when valid.

    Checks the namespace, that required elements are present, in the CAP 1.2 order and not
    repeated beyond their limit; the enumerations; the date-time format (no ``Z``, no
    fractions); identifier and sender characters; ``references`` entries; language codes;
    polygon and circle syntax, closure and coordinate ranges. Documents with a DTD are refused
    before a tree is built (CAP has none, and entity declarations are how XML parsers are
    attacked)."""
    # A first pass stops at a DOCTYPE whatever the document's encoding (a search of the bytes
    # for "<!DOCTYPE" misses it in UTF-16), and only a document it read whole is parsed again.
    scan = expat.ParserCreate(namespace_separator="}")
    scan.StartDoctypeDeclHandler = _refuse_doctype
    try:
        scan.Parse(xml, True)
    except _Doctype:
        return ["a CAP document has no DTD or entity declarations"]
    except expat.ExpatError as exc:
        return [f"not well-formed XML: {exc}"]
    try:
        root = ET.fromstring(xml)  # noqa: S314  # nosec B314  # well-formed and without a DTD
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    if root.tag != _tag("alert"):
        return [f"the root element must be <alert> in {CAP_NS}, not {root.tag}"]

    problems: list[str] = []
    children = _check_sequence(root, ALERT_ELEMENTS, "alert", problems, trailing=XMLDSIG_NS)
    for name in ("identifier", "sender"):
        for element in children.get(name, []):
            if _RESTRICTED.search(element.text or ""):
                problems.append(f"alert/{name} contains a space, comma, '<' or '&'")
    for element in children.get("sent", []):
        _check_datetime(element, "alert/sent", problems)
    scope = _text(children, "scope")
    if scope == "Restricted" and "restriction" not in children:
        problems.append("alert/restriction is required when the scope is Restricted")
    if scope == "Private" and "addresses" not in children:
        problems.append("alert/addresses is required when the scope is Private")
    msg_type = _text(children, "msgType")
    if msg_type in ("Update", "Cancel", "Ack", "Error") and "references" not in children:
        problems.append(f"alert/references is required for msgType {msg_type}")
    for element in children.get("references", []):
        _check_references(element.text or "", problems)
    for index, info in enumerate(children.get("info", []), start=1):
        _check_info(info, f"alert/info[{index}]", problems)
    return problems


def _check_info(info: ET.Element, path: str, problems: list[str]) -> None:
    children = _check_sequence(info, INFO_ELEMENTS, path, problems)
    language = _text(children, "language")
    if language is not None and not _LANGUAGE_RE.match(language):
        problems.append(f"{path}/language {language!r} is not an RFC 3066 language code")
    for name in ("effective", "onset", "expires"):
        for element in children.get(name, []):
            _check_datetime(element, f"{path}/{name}", problems)
    headline = _text(children, "headline")
    if headline is not None and len(headline) > HEADLINE_MAX:
        problems.append(f"{path}/headline is longer than {HEADLINE_MAX} characters")
    web = _text(children, "web")
    if web is not None and not _is_absolute_url(web):
        problems.append(f"{path}/web {web!r} is not an absolute URL")
    for name in ("eventCode", "parameter"):
        for index, pair in enumerate(children.get(name, []), start=1):
            _check_sequence(pair, VALUE_PAIR_ELEMENTS, f"{path}/{name}[{index}]", problems)
    for index, resource in enumerate(children.get("resource", []), start=1):
        _check_sequence(resource, RESOURCE_ELEMENTS, f"{path}/resource[{index}]", problems)
    for index, area in enumerate(children.get("area", []), start=1):
        _check_area(area, f"{path}/area[{index}]", problems)


def _check_area(area: ET.Element, path: str, problems: list[str]) -> None:
    children = _check_sequence(area, AREA_ELEMENTS, path, problems)
    for index, element in enumerate(children.get("polygon", []), start=1):
        _check_polygon(element.text or "", f"{path}/polygon[{index}]", problems)
    for index, element in enumerate(children.get("circle", []), start=1):
        _check_circle(element.text or "", f"{path}/circle[{index}]", problems)
    for index, geocode in enumerate(children.get("geocode", []), start=1):
        _check_sequence(geocode, VALUE_PAIR_ELEMENTS, f"{path}/geocode[{index}]", problems)
    for name in ("altitude", "ceiling"):
        value = _text(children, name)
        if value is not None and not _NUMBER_RE.match(value):
            problems.append(f"{path}/{name} {value!r} is not a number")
    if "ceiling" in children and "altitude" not in children:
        problems.append(f"{path}/ceiling needs altitude")


def _check_sequence(
    parent: ET.Element,
    schema: _Schema,
    path: str,
    problems: list[str],
    *,
    trailing: str | None = None,
) -> dict[str, list[ET.Element]]:
    """Order, counts, enumerations and emptiness of ``parent``'s children; returns them by
    name. ``trailing``: a namespace whose elements may follow the CAP ones (a signature)."""
    position = {name: index for index, (name, _least, _most) in enumerate(schema)}
    found: dict[str, list[ET.Element]] = {}
    last = -1
    last_name = ""
    in_trailer = False
    for child in parent:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        if trailing is not None and child.tag.startswith(f"{{{trailing}}}"):
            in_trailer = True
            continue
        namespace, _brace, name = (
            child.tag[1:].partition("}") if child.tag[0] == "{" else ("", "", child.tag)
        )
        if namespace != CAP_NS:
            problems.append(f"{path}/{name}: not in the CAP 1.2 namespace ({namespace or 'none'})")
            continue
        if name not in position:
            problems.append(f"{path}/{name}: not a CAP 1.2 element here")
            continue
        if in_trailer:
            problems.append(f"{path}/{name}: out of order (must come before the signature)")
        elif position[name] < last:
            problems.append(f"{path}/{name}: out of order (must come before {last_name})")
        elif position[name] > last:
            last, last_name = position[name], name
        found.setdefault(name, []).append(child)
    for name, least, most in schema:
        count = len(found.get(name, []))
        if count < least:
            problems.append(f"{path}/{name} is required but missing")
        if most is not None and count > most:
            problems.append(f"{path}/{name} may appear at most {most} time(s), found {count}")
        for element in found.get(name, []):
            text = (element.text or "").strip()
            if name in _ENUMS and text not in _ENUMS[name]:
                problems.append(f"{path}/{name} {text!r} is not one of {', '.join(_ENUMS[name])}")
            elif name in _NON_EMPTY and not text:
                problems.append(f"{path}/{name} is empty")
    return found


def _check_datetime(element: ET.Element, path: str, problems: list[str]) -> None:
    text = (element.text or "").strip()
    if not _DATETIME_RE.match(text):
        problems.append(
            f"{path} {text!r} is not a CAP date-time like 2002-05-24T16:49:00-07:00 "
            "(no Z, no fractions of a second)"
        )
        return
    try:
        datetime.fromisoformat(text)
    except ValueError:
        problems.append(f"{path} {text!r} is not a real date and time")


def _check_references(text: str, problems: list[str]) -> None:
    entries = text.split()
    if not entries:
        problems.append("alert/references is empty")
    for entry in entries:
        parts = entry.split(",")
        if len(parts) != 3 or not parts[0] or not parts[1]:
            problems.append(f"alert/references entry {entry!r} is not sender,identifier,sent")
            continue
        if not _DATETIME_RE.match(parts[2]):
            problems.append(f"alert/references entry {entry!r} has a bad sent time")


def _check_polygon(text: str, path: str, problems: list[str]) -> None:
    pairs = text.split()
    points = [_parse_point(pair, path, problems) for pair in pairs]
    if any(point is None for point in points):
        return
    if len(points) < 4:
        problems.append(f"{path} needs at least 4 coordinate pairs, found {len(points)}")
    elif points[0] != points[-1]:
        problems.append(f"{path} is not closed (the first and last pairs differ)")


def _check_circle(text: str, path: str, problems: list[str]) -> None:
    parts = text.split()
    if len(parts) != 2:
        problems.append(f"{path} {text!r} is not 'lat,lon radius'")
        return
    _parse_point(parts[0], path, problems)
    if not _NUMBER_RE.match(parts[1]) or float(parts[1]) < 0:
        problems.append(f"{path} radius {parts[1]!r} is not a non-negative number of km")


def _parse_point(pair: str, path: str, problems: list[str]) -> tuple[float, float] | None:
    parts = pair.split(",")
    if len(parts) != 2 or not all(_NUMBER_RE.match(part) for part in parts):
        problems.append(f"{path}: {pair!r} is not a 'lat,lon' pair")
        return None
    lat, lon = float(parts[0]), float(parts[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems.append(f"{path}: {pair!r} is outside WGS 84 latitude/longitude ranges")
        return None
    return lat, lon


def _text(children: dict[str, list[ET.Element]], name: str) -> str | None:
    elements = children.get(name)
    return (elements[0].text or "").strip() if elements else None
