"""`/api/v1/detentions/` and its event sub-resources."""

from rest_framework.routers import SimpleRouter

from .api import DetentionViewSet

router = SimpleRouter()
router.register("detentions", DetentionViewSet, basename="detention")
urlpatterns = router.urls
