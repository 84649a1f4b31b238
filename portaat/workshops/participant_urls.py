from django.urls import URLPattern, URLResolver, path

from portaat.workshops import participant_views as views

app_name = "join"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.enter_code, name="enter"),
    path("<str:code>/", views.workshop, name="workshop"),
    path("<str:code>/answer/<int:item_pk>/", views.answer, name="answer"),
]
