from rest_framework.routers import SimpleRouter

from .api import ReferralViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")
urlpatterns = router.urls
