from django.urls import URLPattern, URLResolver, path

from portaat.registry import transfer_views as views

app_name = "transfer"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.data_index, name="index"),
    path("import/activisms/", views.import_upload, name="import"),
    path("import/activisms/<str:token>/", views.import_preview, name="import_preview"),
    path("import/activisms/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("export/activisms.<str:fmt>", views.export_activisms, name="export_activisms"),
    path("export/cases.<str:fmt>", views.export_cases, name="export_cases"),
    path("export/assessments.<str:fmt>", views.export_assessments, name="export_assessments"),
]
