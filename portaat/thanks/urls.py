from django.urls import URLPattern, URLResolver, path

from portaat.thanks import views

app_name = "thanks"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.wall, name="wall"),
    path("new/", views.thanks_new, name="new"),
    path("<int:pk>/", views.thanks_detail, name="detail"),
    path("moderation/", views.moderation, name="moderation"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("settings/", views.preferences, name="settings"),
]
