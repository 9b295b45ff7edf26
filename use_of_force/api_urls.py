"""`/api/v1/detentions/{id}/use-of-force/` and `searches/` (GET list, POST)."""

from django.urls import path

from .api import SearchViewSet, UseOfForceViewSet

ACTIONS = {"get": "list", "post": "create"}

urlpatterns = [
    path(
        "detentions/<int:pk>/use-of-force/",
        UseOfForceViewSet.as_view(ACTIONS),
        name="api-detention-use-of-force",
    ),
    path(
        "detentions/<int:pk>/searches/",
        SearchViewSet.as_view(ACTIONS),
        name="api-detention-searches",
    ),
]
