from django.urls import URLPattern, URLResolver, path

from portaat.workshops import stream, views

app_name = "workshops"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.workshop_list, name="list"),
    path("new/", views.workshop_new, name="new"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/events/", stream.workshop_events, name="events"),
    path("<int:pk>/close/", views.workshop_close, name="close"),
    path("<int:pk>/export.csv", views.workshop_export, name="export"),
    path("<int:pk>/summary/", views.workshop_summary, name="summary"),
    path("<int:pk>/items/<int:item_pk>/lock/", views.item_lock, name="lock"),
    path("<int:pk>/items/<int:item_pk>/outcome/", views.item_outcome, name="outcome"),
    path("<int:pk>/answers/<int:answer_pk>/hide/", views.answer_hide, name="hide"),
]
