from django.urls import path

from .api import RecordHistory

urlpatterns = [
    path("audit/history/", RecordHistory.as_view(), name="audit-history"),
]
