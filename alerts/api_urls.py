from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import AlertViewSet
from .notify_api import DeliveryReceiptView

router = SimpleRouter()
router.register("alerts", AlertViewSet, basename="alert")
urlpatterns = [
    path(
        "notify/delivery-receipts/",
        DeliveryReceiptView.as_view(),
        name="notify-delivery-receipts",
    ),
    *router.urls,
]
