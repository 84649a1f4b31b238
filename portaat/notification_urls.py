from django.urls import URLPattern, URLResolver, path

from portaat import notification_views as views

app_name = "notifications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_read, name="read"),
    path("settings/", views.digest_settings, name="settings"),
]
