from django.urls import URLPattern, URLResolver, path

from portaat.repertoire import experiment_views as views

app_name = "experiments"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.experiment_list, name="list"),
    path("new/", views.experiment_new, name="new"),
    path("<int:pk>/", views.experiment_detail, name="detail"),
    path("<int:pk>/close/", views.experiment_close, name="close"),
    path("<int:pk>/abandon/", views.experiment_abandon, name="abandon"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("plan/new/", views.plan_new, name="plan_new"),
    path("plan/<int:pk>/", views.plan_item, name="plan_item"),
]
