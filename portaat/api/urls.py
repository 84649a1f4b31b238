from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from portaat.api import cases, registry, repertoire, thanks
from portaat.api import events as events_api
from portaat.api import figures as figures_api
from portaat.api import initiatives as initiatives_api
from portaat.api import listening as listening_api
from portaat.api import research as research_api
from portaat.api import somehallinto as somehallinto_api
from portaat.api import workshops as workshops_api
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
router.register("practices", repertoire.PracticeViewSet, basename="practice")
router.register("plan-items", repertoire.PlanItemViewSet, basename="plan-item")
router.register("experiments", repertoire.ExperimentViewSet, basename="experiment")
router.register("notifications", repertoire.NotificationViewSet, basename="notification")
router.register("thanks", thanks.ThanksViewSet, basename="thanks")
somehallinto_api.register(router)
events_api.register(router)
figures_api.register(router)
initiatives_api.register(router)
research_api.register(router)
workshops_api.register(router)
listening_api.register(router)

urlpatterns = [
    path(
        "v1/cases/<int:pk>/recommendations/",
        repertoire.CaseRecommendationsView.as_view(),
        name="case-recommendations",
    ),
    path("v1/", include(router.urls)),
    *somehallinto_api.urlpatterns,
    *events_api.urlpatterns,
    *figures_api.urlpatterns,
    *initiatives_api.urlpatterns,
    *research_api.urlpatterns,
    *workshops_api.urlpatterns,
    *listening_api.urlpatterns,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
