from django.urls import URLPattern, URLResolver

app_name = "repertoire"

urlpatterns: list[URLPattern | URLResolver] = []
