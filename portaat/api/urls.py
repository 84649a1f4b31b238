from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from portaat.api.ladders import LadderViewSet, StageViewSet

router = DefaultRouter()
router.register("ladders", LadderViewSet, basename="ladder")
router.register("stages", StageViewSet, basename="stage")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
