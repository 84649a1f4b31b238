"""Permission-matrix rows of events (see tests/permissions.py).

Events to go to are for the administration: officials, elected members and coordinators see the
events in their areas, say "I'll go" and write notes afterwards; civic actors and researchers
do not. "I'll go" and the note are POST only (a GET is 405 to those allowed).
"""

from __future__ import annotations

from tests.permissions import (
    ADMINISTRATION,
    FORBIDDEN,
    NOT_ALLOWED,
    OK,
    TO_LOGIN,
    Expected,
    admin_rows,
    api_rows,
    row,
)

ADMINISTRATION_POST = row(TO_LOGIN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)
API_ADMINISTRATION = row(FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK)

ROWS: dict[str, list[tuple[str, dict[str, Expected]]]] = {
    "events/": [("/events/", ADMINISTRATION), ("/events/?area={event_area}", ADMINISTRATION)],
    "events/<int:pk>/": [("/events/{event_pk}/", ADMINISTRATION)],
    "events/<int:pk>/going/": [("/events/{event_pk}/going/", ADMINISTRATION_POST)],
    "events/<int:pk>/note/": [("/events/{event_pk}/note/", ADMINISTRATION_POST)],
}
api_rows(ROWS, "events", "{event_pk}", API_ADMINISTRATION)
admin_rows(ROWS, "events/event", "{event_pk}")
admin_rows(ROWS, "events/attendance", "{attendance_pk}")
admin_rows(ROWS, "events/eventnote", "{event_note_pk}")

# placeholder → any value that resolves (for test_each_example_url_reaches_its_route)
DUMMY_VALUES: dict[str, str] = {
    "event_pk": "1",
    "attendance_pk": "1",
    "event_note_pk": "1",
    "event_area": "helsinki-kallio",
}


def values(personas, case) -> dict[str, str]:
    """Placeholder → a real value, made in the test database."""
    import datetime as dt

    from django.utils import timezone

    from portaat.events import services
    from tests.events.factories import EventFactory
    from tests.factories import AreaFactory

    area = AreaFactory(key="events-kallio", name="Kallio", municipality="Helsinki")
    case.activism.areas.add(area)
    event = EventFactory(areas=[area], start_time=timezone.now() - dt.timedelta(hours=1))
    attendance = event.attendances.create(user=personas["official"])
    note = services.write_note(event, case=case, note="Hyvä ilta.", by=personas["official"])
    return {
        "event_pk": str(event.pk),
        "attendance_pk": str(attendance.pk),
        "event_note_pk": str(note.pk),
        "event_area": area.key,
    }
