from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import history


class RecordHistory(APIView):
    """A record's history (and what it owns), oldest first: keys with `audit:read`, auditors."""

    scope = "audit"

    @extend_schema(
        parameters=[
            OpenApiParameter("model", OpenApiTypes.STR, description="app_label.model"),
            OpenApiParameter("id", OpenApiTypes.STR),
        ],
        responses=inline_serializer(
            "AuditHistoryVersion",
            {
                "model": serializers.CharField(),
                "object_id": serializers.CharField(),
                "history_id": serializers.IntegerField(),
                "changed_at": serializers.DateTimeField(),
                "changed_by": serializers.CharField(),
                "actor_kind": serializers.CharField(),
                "api_key_id": serializers.CharField(allow_null=True),
                "triggered_by": serializers.CharField(allow_null=True),
                "change_type": serializers.ChoiceField(["created", "changed", "deleted"]),
                "correction": serializers.BooleanField(),
                "reason": serializers.CharField(allow_null=True),
                "changes": serializers.DictField(),
            },
            many=True,
        ),
    )
    def get(self, request):
        label, pk = request.query_params.get("model", ""), request.query_params.get("id", "")
        model = history.tracked_model(label.lower())
        if not pk or not model.history.filter(**{model._meta.pk.attname: pk}).exists():
            raise Http404
        versions = history.timeline(model, pk)
        data = [v.as_api() for v in versions]
        for item in data:
            item["object_id"] = str(item["object_id"])
            item["changed_at"] = history._jsonable(item["changed_at"])
        return Response(data)
