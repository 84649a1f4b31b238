from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from portaat.api import cases, registry
from portaat.api.ladders import LadderViewSet, StageViewSet

router = DefaultRouter()
router.register("ladders", LadderViewSet, basename="ladder")
router.register("stages", StageViewSet, basename="stage")
router.register("units", registry.UnitViewSet, basename="unit")
router.register("areas", registry.AreaViewSet, basename="area")
router.register("activism-kinds", registry.ActivismKindViewSet, basename="activism-kind")
router.register("activisms", registry.ActivismViewSet, basename="activism")
router.register("cases", cases.CaseViewSet, basename="case")
router.register("assessments", cases.AssessmentViewSet, basename="assessment")
router.register("interactions", cases.InteractionViewSet, basename="interaction")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
