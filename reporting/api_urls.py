from django.urls import path

from .api import S136ReturnView

urlpatterns = [
    path("reports/s136-return/", S136ReturnView.as_view(), name="api-s136-return"),
]
