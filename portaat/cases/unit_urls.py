from django.urls import URLPattern, URLResolver, path

from portaat.cases import unit_views

app_name = "units"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", unit_views.unit_list, name="list"),
]
