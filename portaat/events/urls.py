from django.urls import URLPattern, URLResolver, path

from portaat.events import views

app_name = "events"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/going/", views.going, name="going"),
    path("<int:pk>/note/", views.note, name="note"),
]
