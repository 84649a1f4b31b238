from django.urls import URLPattern, URLResolver, path

from portaat.research import views

app_name = "research"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.project_list, name="list"),
    path("new/", views.propose, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/grant/", views.grant, name="grant"),
    path("<int:pk>/dictionary/", views.dictionary, name="dictionary"),
    path("<int:pk>/export/<slug:dataset>.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/export/<slug:dataset>.json", views.export_json, name="export_json"),
]
