from rest_framework.routers import SimpleRouter

from .api import PlaceOfSafetyViewSet

router = SimpleRouter()
router.register("places-of-safety", PlaceOfSafetyViewSet, basename="place-of-safety")
urlpatterns = router.urls
