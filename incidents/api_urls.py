"""`/api/v1/incidents/` and `/api/v1/people/`."""

from rest_framework.routers import SimpleRouter

from .incidents import IncidentViewSet
from .people import PersonViewSet

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("people", PersonViewSet, basename="person")
urlpatterns = router.urls
