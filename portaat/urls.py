from django.contrib import admin
from django.urls import include, path

from portaat import api_key_views, metrics, views
from portaat.ladders import views as ladder_views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("two-step/", views.second_step, name="second_step"),
    path("metrics", metrics.metrics, name="metrics"),
    path("stages/", ladder_views.stage_list, name="stages"),
    path("ladders/", include("portaat.ladders.urls")),
    path("activisms/", include("portaat.registry.urls")),
    path("cases/", include("portaat.cases.urls")),
    path("data/", include("portaat.registry.transfer_urls")),
    path("practices/", include("portaat.repertoire.urls")),
    path("experiments/", include("portaat.repertoire.experiment_urls")),
    path("notifications/", include("portaat.notification_urls")),
    path("units/", include("portaat.cases.unit_urls")),
    path("workshops/", include("portaat.workshops.urls")),
    path("w/", include("portaat.workshops.participant_urls")),
    path("listening/", include("portaat.listening.urls")),
    path("planning/", include("portaat.planning.urls")),
    path("crowds/", include("portaat.crowds.urls")),
    path("thanks/", include("portaat.thanks.urls")),
    path("somehallinto/", include("portaat.somehallinto.urls")),
    path("events/", include("portaat.events.urls")),
    path("figures/", include("portaat.figures.urls")),
    path("initiatives/", include("portaat.initiatives.urls")),
    path("research/", include("portaat.research.urls")),
    path("api-keys/", api_key_views.api_keys, name="api_keys"),
    path("api-keys/<int:pk>/revoke/", api_key_views.revoke, name="api_key_revoke"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("portaat.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portaat.views.error_400"
handler403 = "portaat.views.error_403"
handler404 = "portaat.views.error_404"
handler429 = "portaat.views.error_429"  # django-allauth's rate limits
handler500 = "portaat.views.error_500"
