from django.urls import URLPattern, URLResolver, path

from portaat.registry import views

app_name = "registry"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.activism_list, name="list"),
]
