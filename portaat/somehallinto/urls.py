from django.urls import URLPattern, URLResolver, path

from portaat.somehallinto import views

app_name = "somehallinto"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.mine, name="mine"),
    path("levels/<int:level>/", views.level, name="level"),
    path("levels/<int:level>/edit/", views.level_edit, name="level_edit"),
    path("units/<slug:slug>/", views.unit, name="unit"),
]
