from django.urls import URLPattern, URLResolver, path

from portaat.figures import views

app_name = "figures"

urlpatterns: list[URLPattern | URLResolver] = [
    path("activisms/<int:pk>/", views.activism_figures, name="activism"),
    path("activisms/<int:pk>/links/", views.link_new, name="link_new"),
    path("links/<int:pk>/revoke/", views.link_revoke, name="link_revoke"),
    path("s/<str:secret>/", views.personal, name="personal"),
    path("units/<slug:slug>/", views.unit_figures, name="unit"),
    path("export.csv", views.export_csv, name="export"),
]
