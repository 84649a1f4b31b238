from django.contrib import admin
from django.db import models

from portaat.events.models import Attendance, Event, EventNote


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["__str__", "start_time", "place_name", "status", "activism", "fetched_at"]
    list_filter = ["status"]
    search_fields = ["source_id", "name_fi", "name_sv", "name_en", "place_name", "publisher"]
    filter_horizontal = ["areas"]
    raw_id_fields = ["activism"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin[Attendance]):
    list_display = ["event", "user", "created_at"]
    raw_id_fields = ["event", "user"]


@admin.register(EventNote)
class EventNoteAdmin(admin.ModelAdmin[EventNote]):
    list_display = ["event", "interaction", "author", "created_at"]
    raw_id_fields = ["event", "interaction", "author"]
