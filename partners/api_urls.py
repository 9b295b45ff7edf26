from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import ReferralViewSet
from .webhook_api import WebhookTestView

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")
urlpatterns = [
    *router.urls,
    path("webhooks/<int:pk>/test/", WebhookTestView.as_view(), name="api-webhook-test"),
]
