from django.urls import URLPattern, URLResolver, path

from portaat.planning import views

app_name = "planning"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.analysis, name="analysis"),
    path("export.<str:fmt>", views.export, name="export"),
    path("topics/", views.topic_run_request, name="topic_run"),
    path("runs/<int:pk>/topics/<int:topic>/", views.topic_detail, name="topic"),
    path("attach/", views.attach, name="attach"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/delete/", views.alert_delete, name="alert_delete"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<int:pk>/", views.theme_edit, name="theme_edit"),
]
