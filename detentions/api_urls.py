"""`/api/v1/detentions/` and its event sub-resources; `/api/v1/approvals/` (PS3, E5)."""

from rest_framework.routers import SimpleRouter

from .api import DetentionViewSet
from .api_approvals import ApprovalViewSet

router = SimpleRouter()
router.register("detentions", DetentionViewSet, basename="detention")
router.register("approvals", ApprovalViewSet, basename="approval")
urlpatterns = router.urls
