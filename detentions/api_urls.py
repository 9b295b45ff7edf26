"""`/api/v1/detentions/` and its event sub-resources (people/ is in incident_urls)."""

from rest_framework.routers import SimpleRouter

from .detentions import DetentionViewSet

router = SimpleRouter()
router.register("detentions", DetentionViewSet, basename="detention")
urlpatterns = router.urls
