from django.urls import URLPattern, URLResolver

app_name = "somehallinto"

urlpatterns: list[URLPattern | URLResolver] = []
