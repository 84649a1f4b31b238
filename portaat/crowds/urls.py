from django.urls import include, path

from portaat.crowds import live, views

app_name = "crowds"

urlpatterns = [
    path("", views.call_list, name="calls"),
    path("join/", views.join, name="join"),
    path("v/<str:secret>/", views.volunteer_manage, name="volunteer_manage"),
    path("v/<str:secret>/export/", views.volunteer_export, name="volunteer_export"),
    path("v/<str:secret>/erase/", views.volunteer_erase, name="volunteer_erase"),
    path("r/<str:token>/", views.respond, name="respond"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/send/", views.call_send, name="call_send"),
    path("calls/<int:pk>/update/", views.call_update, name="call_update"),
    path(
        "calls/<int:pk>/stand-down/",
        views.call_close,
        {"kind": "stand-down"},
        name="call_stand_down",
    ),
    path("calls/<int:pk>/cancel/", views.call_close, {"kind": "cancel"}, name="call_cancel"),
    path("calls/<int:pk>/cap.xml", views.call_cap, name="call_cap"),
    path("calls/<int:pk>/headcount/", views.call_headcount, name="call_headcount"),
    path("calls/<int:pk>/events/", live.call_events, name="call_events"),
    path("calls/<int:pk>/deliveries/", views.delivery_status, name="call_deliveries"),
    path("audit/", views.audit_log, name="audit"),
    path("hooks/sms/", include("portaat.crowds.transports.sms_http.urls")),
    path("hooks/telegram/", include("portaat.crowds.transports.telegram.urls")),
    path("push/", include("portaat.crowds.transports.webpush.urls")),
]
