from rest_framework import generics

from .models import NPU
from .principal import principal_of
from .serializers import NPUSerializer


def caller_organisation_id(request):
    """The organisation of whoever calls: an API key's, or the signed-in user's."""
    return principal_of(request).organisation_id


class NPUList(generics.ListAPIView):
    """The caller's force's NPUs (any valid key)."""

    serializer_class = NPUSerializer
    scope = "any"

    def get_queryset(self):
        return NPU.objects.filter(force_id=caller_organisation_id(self.request)).order_by("code")
