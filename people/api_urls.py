"""`/api/v1/people/`, `/api/v1/response-plans/`, `/api/v1/warning-markers/`."""

from rest_framework.routers import SimpleRouter

from .api import PersonViewSet
from .plan_api import ResponsePlanViewSet, WarningMarkerViewSet

router = SimpleRouter()
router.register("people", PersonViewSet, basename="person")
router.register("response-plans", ResponsePlanViewSet, basename="response-plan")
router.register("warning-markers", WarningMarkerViewSet, basename="warning-marker")
urlpatterns = router.urls
